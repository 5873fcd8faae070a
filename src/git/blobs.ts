// Blob contents straight from git's object store: ids and sizes in one `cat-file --batch-check`, many blobs
// through one `cat-file --batch` read in request order (pulled, so only one blob is held at a time),
// large ones streamed by their own `cat-file blob`. Never --textconv or --filters: the bytes as stored.
// The one batch reader: the staged scan and the history scan's HEAD check both read through it.
import type { Readable } from 'node:stream';
import { GitError } from '../errors.js';
import { gitBytes, gitStream, startGit } from './process.js';

export interface BlobId {
  sha: string;
  size: number;
}

/**
 * Each name (an object id, or `<tree-ish>:<path>`; no newline in a name) as a blob, in the order given;
 * undefined where git has no blob by that name (missing, deleted at that commit, not a blob).
 */
export async function blobIds(cwd: string, env: NodeJS.ProcessEnv, names: readonly string[]): Promise<(BlobId | undefined)[]> {
  if (names.length === 0) return [];
  const out = await gitBytes(cwd, env, ['cat-file', '--batch-check=%(objecttype) %(objectsize) %(objectname)'], `${names.join('\n')}\n`);
  // one line per name, `<name> missing` included
  const lines = out.toString('latin1').split('\n');
  return names.map((_n, i) => {
    const [type, size, sha] = (lines[i] ?? '').split(' ');
    return type === 'blob' && sha !== undefined && size !== undefined ? { sha, size: Number(size) } : undefined;
  });
}

/** Object id → size in bytes; absent when git does not have the object. */
export async function blobSizes(cwd: string, env: NodeJS.ProcessEnv, shas: readonly string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const id of await blobIds(cwd, env, shas)) if (id) sizes.set(id.sha, id.size);
  return sizes;
}

export interface Blob {
  /** the object id git read */
  sha: string;
  content: Buffer;
}

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * The blobs named (object ids, or `<tree-ish>:<path>`; no newline in a name), in that order.
 * Stopping early ends the git process.
 */
export async function* readBlobs(cwd: string, env: NodeJS.ProcessEnv, shas: readonly string[]): AsyncGenerator<Blob> {
  if (shas.length === 0) return;
  const p = startGit(cwd, env, ['cat-file', '--batch'], { input: true });
  // names are bytes (paths may not be UTF-8): callers carry them as latin1 strings
  p.stdin?.end(Buffer.from(`${shas.join('\n')}\n`, 'latin1'));
  let parts: Buffer[] = [];
  let have = 0;
  let want: { sha: string; size: number } | undefined;
  let index = 0;
  try {
    for await (const piece of p.stdout as AsyncIterable<Buffer>) {
      parts.push(piece);
      have += piece.length;
      for (;;) {
        if (!want) {
          const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
          parts = [buf];
          const nl = buf.indexOf(10);
          if (nl < 0) break;
          const [sha, type, size] = buf.toString('latin1', 0, nl).split(' ');
          const asked = shas[index];
          if (sha === undefined || asked === undefined || (OBJECT_ID.test(asked) && sha !== asked) || type !== 'blob' || size === undefined) {
            throw new GitError(`git cat-file: object ${shas[index] ?? '?'} is not a readable blob`);
          }
          want = { sha, size: Number(size) };
          parts = [buf.subarray(nl + 1)];
          have = buf.length - nl - 1;
        }
        const w: { sha: string; size: number } = want;
        // the content and its trailing newline
        if (have < w.size + 1) break;
        const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
        want = undefined;
        parts = [buf.subarray(w.size + 1)];
        have = buf.length - w.size - 1;
        yield { sha: w.sha, content: buf.subarray(0, w.size) };
        index++;
      }
    }
    await p.done;
    if (index < shas.length) throw new GitError(`git cat-file stopped after ${index} of ${shas.length} blobs`);
  } finally {
    p.end();
  }
}

/**
 * One large blob as a stream: it ends only once git has exited 0, and a reader that stops early
 * (sniffing reads the first 8000 bytes of a 2 GB blob) ends git with it.
 */
export function blobStream(cwd: string, env: NodeJS.ProcessEnv, sha: string): Readable {
  return gitStream(cwd, env, ['cat-file', 'blob', sha]);
}

export async function blobBytes(cwd: string, env: NodeJS.ProcessEnv, sha: string): Promise<Buffer> {
  return gitBytes(cwd, env, ['cat-file', 'blob', sha]);
}
