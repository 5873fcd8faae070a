// Archives in history. git's patch shows a committed .tgz, .gz or .zip only as "Binary files differ",
// so the blob is read whole through the readers `scan` opens archives with (same bomb limits), and
// its members are reported as `path!member` at the commit. Keys the parent's version of the same
// path already held were carried, not introduced, as for text lines (introduced.ts). Picked by name:
// reading every binary blob of a history (images, builds) would cost far more than it finds.
import { detect } from '../../engine/detect.js';
import { fingerprint } from '../../engine/fingerprint.js';
import { errorMessage } from '../../errors.js';
import { blobBytes, blobIds, blobStream, type BlobId } from '../../git/blobs.js';
import { displayBytes } from '../../git/quote.js';
import { ScanContext } from '../../scan/context.js';
import type { Chunk, CommitInfo } from '../../types.js';
import type { FileRef } from '../files/file-ref.js';

export interface CommittedArchive {
  commit: CommitInfo;
  /** latin1 bytes, as git printed it */
  path: string;
  /** first parent: its version of the path holds the keys that were carried */
  parent: string | undefined;
}

const ARCHIVE_NAME = /\.(?:gz|tgz|tar|zip)$/i;

export function isArchiveName(path: string): boolean {
  return ARCHIVE_NAME.test(path);
}

/** `backup.tgz` for `backup.tgz!home/app/.env`; undefined for a path that is no archive member. */
export function archiveOf(path: string): string | undefined {
  const bang = path.indexOf('!');
  return bang > 0 && isArchiveName(path.slice(0, bang)) ? path.slice(0, bang) : undefined;
}

function blobRef(cwd: string, env: NodeJS.ProcessEnv, displayPath: string, blob: BlobId): FileRef {
  return { displayPath, size: blob.size, load: () => blobBytes(cwd, env, blob.sha), stream: () => blobStream(cwd, env, blob.sha) };
}

/** Keys in the parent's version, read on the side: its problems were reported at its own commit. */
async function keysIn(ref: FileRef, ctx: ScanContext): Promise<Set<string>> {
  const { readAny } = await import('../files/read-any.js');
  const keys = new Set<string>();
  try {
    for await (const c of readAny(ref, new ScanContext(ctx.ownKeys))) {
      for (const m of detect(c.text, { bytes: c.bytes === true, ownKeys: ctx.ownKeys })) keys.add(m.secret);
    }
  } catch {
    // what could not be read is not known to be carried: its keys count as new
  }
  return keys;
}

/** The chunk with carried keys blanked out (same length, so places stay); undefined when nothing is new. */
function withoutCarried(chunk: Chunk, carried: ReadonlySet<string>, ctx: ScanContext): Chunk | undefined {
  if (carried.size === 0) return chunk;
  const ms = detect(chunk.text, { bytes: chunk.bytes === true, ownKeys: ctx.ownKeys });
  const old = ms.filter((m) => carried.has(m.secret));
  if (old.length === 0) return chunk;
  if (old.length === ms.length) return undefined;
  let text = chunk.text;
  for (const m of old) text = text.slice(0, m.start) + '*'.repeat(m.end - m.start) + text.slice(m.end);
  return { ...chunk, text };
}

/** The members of each archive the commits changed, as chunks of those commits. */
export async function* archiveChunks(cwd: string, env: NodeJS.ProcessEnv, archives: readonly CommittedArchive[], ctx: ScanContext): AsyncGenerator<Chunk> {
  // a path with a newline cannot go through --batch-check
  const readable = archives.filter((a) => !a.path.includes('\n'));
  for (const a of archives) if (a.path.includes('\n')) ctx.skip('binary');
  if (readable.length === 0) return;
  const names = readable.flatMap((a) => [`${a.commit.sha}:${a.path}`, ...(a.parent ? [`${a.parent}:${a.path}`] : [])]);
  let ids: (BlobId | undefined)[];
  try {
    ids = await blobIds(cwd, env, names);
  } catch (err) {
    for (const a of readable) ctx.error(`commit ${a.commit.sha}`, `${displayBytes(a.path)}: ${errorMessage(err)}`);
    return;
  }
  const { readAny } = await import('../files/read-any.js');
  let at = 0;
  for (const a of readable) {
    const blob = ids[at++];
    const before = a.parent ? ids[at++] : undefined;
    // deleted by this commit, or the same blob as before (a merge taking one side's version)
    if (!blob || blob.sha === before?.sha) continue;
    const path = displayBytes(a.path);
    const carried = before ? await keysIn(blobRef(cwd, env, path, before), ctx) : new Set<string>();
    try {
      for await (const c of readAny(blobRef(cwd, env, path, blob), ctx)) {
        const chunk = withoutCarried(c, carried, ctx);
        if (chunk) yield { ...chunk, origin: { ...chunk.origin, kind: 'commit', commit: a.commit } };
      }
    } catch (err) {
      ctx.error(`${path} (commit ${a.commit.sha})`, errorMessage(err));
    }
  }
}

/**
 * Fingerprints of the keys in these archives as they are at `head` (display paths): `git grep` at HEAD
 * cannot see into compressed bytes, so whether an archive's key is still there is asked here.
 */
export async function archiveKeysAtHead(cwd: string, env: NodeJS.ProcessEnv, head: string, paths: readonly string[], ctx: ScanContext): Promise<Set<string>> {
  const found = new Set<string>();
  // back to the bytes git printed (display paths are their UTF-8 reading)
  const raw = paths.map((p) => Buffer.from(p, 'utf8').toString('latin1')).filter((p) => !p.includes('\n'));
  if (raw.length === 0) return found;
  try {
    const ids = await blobIds(
      cwd,
      env,
      raw.map((p) => `${head}:${p}`),
    );
    for (const [i, id] of ids.entries()) {
      if (id) for (const key of await keysIn(blobRef(cwd, env, paths[i]!, id), ctx)) found.add(fingerprint(key));
    }
  } catch {
    // not known to be at HEAD: the finding says it is only in history, as for a HEAD git could not read
  }
  return found;
}
