// Staged blobs read whole: files git compares as binary (UTF-16 text, archives, `-diff` attributes
// all land here, so content sniffing decides, not git's diff heuristics), and listed paths with no
// staged change. Each goes through the same reader as a file on disk.
import { Readable } from 'node:stream';
import type { Chunk } from '../../types.js';
import type { ScanContext } from '../../scan/context.js';
import { errorMessage } from '../../errors.js';
import { blobBytes, blobSizes, blobStream, readBlobs } from '../../git/blobs.js';
import { WHOLE_FILE_LIMIT, type FileRef } from '../files/file-ref.js';

export interface WholeBlob {
  path: string;
  sha: string;
}

async function* asStaged(chunks: AsyncIterable<Chunk>): AsyncGenerator<Chunk> {
  for await (const c of chunks) yield { ...c, origin: { ...c.origin, kind: 'staged' } };
}

export async function* scanWholeBlobs(cwd: string, env: NodeJS.ProcessEnv, blobs: readonly WholeBlob[], ctx: ScanContext): AsyncGenerator<Chunk> {
  if (blobs.length === 0) return;
  const { readAny } = await import('../files/read-any.js');
  let sizes: Map<string, number>;
  try {
    sizes = await blobSizes(cwd, env, [...new Set(blobs.map((b) => b.sha))]);
  } catch (err) {
    for (const b of blobs) ctx.error(b.path, errorMessage(err));
    return;
  }
  const small: WholeBlob[] = [];
  const large: Array<WholeBlob & { size: number }> = [];
  for (const b of blobs) {
    const size = sizes.get(b.sha);
    if (size === undefined) ctx.error(b.path, `staged blob ${b.sha} is not in the object store`);
    else if (size <= WHOLE_FILE_LIMIT) small.push(b);
    else large.push({ ...b, size });
  }
  let i = 0;
  try {
    for await (const blob of readBlobs(
      cwd,
      env,
      small.map((b) => b.sha),
    )) {
      const b = small[i++]!;
      const ref: FileRef = { displayPath: b.path, size: blob.content.length, load: async () => blob.content, stream: () => Readable.from([blob.content]) };
      try {
        yield* asStaged(readAny(ref, ctx));
      } catch (err) {
        ctx.error(b.path, errorMessage(err));
      }
    }
  } catch (err) {
    // git itself failed: every blob not yet read is unread
    for (const b of small.slice(i)) ctx.error(b.path, errorMessage(err));
  }
  for (const b of large) {
    const ref: FileRef = { displayPath: b.path, size: b.size, load: () => blobBytes(cwd, env, b.sha), stream: () => blobStream(cwd, env, b.sha) };
    try {
      yield* asStaged(readAny(ref, ctx));
    } catch (err) {
      ctx.error(b.path, errorMessage(err));
    }
  }
}
