// gzip (`app.log.1.gz`, `chat.jsonl.gz`, `backup.tar.gz`): inflated as it is read, never past the
// bomb limits, and read like a file. The content is shown as `app.log.1.gz!` and its reader is picked
// by the name without `.gz` (files/formats.ts): `chat.jsonl.gz` is read as JSONL, lines counted in
// the inflated text. A tar inside is the same archive to a user: its members are
// `backup.tar.gz!home/app/.env` (limits.ts archivePathOf). The name a gzip header may carry (FNAME)
// is not used: not every tool writes it, and a location should not depend on the tool.
import { pipeline, Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Chunk } from '../../types.js';
import type { ScanContext } from '../../scan/context.js';
import { ArchiveBombError, errorMessage } from '../../errors.js';
import { STREAM_BYTES, WHOLE_FILE_LIMIT, type FileRef } from '../files/file-ref.js';
import { ARCHIVE_LIMITS, memoryRef, tooDeep, type ReadAny } from './limits.js';

/** Inflated content past this is not gathered whole for a reader that wants it whole (a zip inside). */
const LOAD_LIMIT = 256 * 1024 * 1024;

function bombCheck(out: number, consumed: number): string | undefined {
  if (out > ARCHIVE_LIMITS.maxTotalBytes) return `inflates past ${ARCHIVE_LIMITS.maxTotalBytes} bytes`;
  const ratio = out / Math.max(1, consumed);
  if (out > ARCHIVE_LIMITS.ratioFrom && ratio > ARCHIVE_LIMITS.maxRatio) {
    return `${out} bytes from ${consumed} compressed, a ${Math.round(ratio)}:1 ratio (limit ${ARCHIVE_LIMITS.maxRatio}:1), looks like a gzip bomb`;
  }
  return undefined;
}

/** The inflated content of `file` as a stream that fails with ArchiveBombError past the limits. */
function inflated(file: FileRef): Readable {
  // (a megabyte at a time: a 320 MB export gzipped took over 6 s at zlib's 16 KB)
  const gunzip = createGunzip({ chunkSize: STREAM_BYTES });
  let out = 0;
  const limiter = new Transform({
    transform(piece: Buffer, _encoding, done) {
      out += piece.length;
      // bytesWritten: the compressed bytes zlib has consumed so far, so the ratio is the real one
      const problem = bombCheck(out, gunzip.bytesWritten);
      done(problem ? new ArchiveBombError(problem) : null, problem ? undefined : piece);
    },
  });
  // a consumer that stops early (the sniffer reads only the head) ends the whole chain
  return pipeline(file.stream(), gunzip, limiter, () => undefined);
}

interface Gathered {
  buf: Buffer;
  /** the whole content is in buf */
  complete: boolean;
  error?: unknown;
}

/** The inflated content, whole when it is no larger than `limit` bytes. */
async function gather(file: FileRef, limit: number): Promise<Gathered> {
  const parts: Buffer[] = [];
  let n = 0;
  try {
    for await (const piece of inflated(file)) {
      parts.push(piece as Buffer);
      n += (piece as Buffer).length;
      if (n > limit) return { buf: Buffer.concat(parts), complete: false };
    }
    return { buf: Buffer.concat(parts), complete: true };
  } catch (error) {
    return { buf: Buffer.concat(parts), complete: false, error };
  }
}

/** Inflated content too large to hold: inflated again from the start each time a reader streams it. */
function streamRef(file: FileRef, displayPath: string, atLeast: number): FileRef {
  return {
    displayPath,
    size: atLeast,
    stream: () => inflated(file),
    async load() {
      const got = await gather(file, LOAD_LIMIT);
      if (got.error) throw got.error;
      if (!got.complete) throw new Error(`inflates past ${LOAD_LIMIT} bytes: too large to open in memory`);
      return got.buf;
    },
  };
}

export async function* readGzip(file: FileRef, ctx: ScanContext, depth: number, readAny: ReadAny): AsyncGenerator<Chunk> {
  if (tooDeep(file, ctx, depth)) return;
  const inner = `${file.displayPath}!`;
  const first = await gather(file, WHOLE_FILE_LIMIT);
  if (first.error instanceof ArchiveBombError) {
    ctx.error(file.displayPath, `refused: ${first.error.message}`);
    return;
  }
  if (first.error !== undefined) {
    // a truncated download or a cut log still holds what came before the cut
    const kept = first.buf.length > 0 ? `; the ${first.buf.length} bytes before it were scanned` : '';
    ctx.error(file.displayPath, `corrupt or truncated gzip data: ${errorMessage(first.error)}${kept}`);
    if (first.buf.length === 0) return;
  }
  const ref = first.complete || first.error !== undefined ? memoryRef(inner, first.buf) : streamRef(file, inner, first.buf.length);
  try {
    yield* readAny(ref, ctx, depth + 1);
  } catch (err) {
    const why = err instanceof ArchiveBombError ? `refused the rest: ${err.message}` : `corrupt or truncated gzip data: ${errorMessage(err)}`;
    ctx.error(file.displayPath, why);
  }
}
