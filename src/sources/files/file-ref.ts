// A file to read, wherever it lives: on disk, inside an archive, or in git's object store.
import { createReadStream, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';

export interface FileRef {
  /** the path users see: relative to where they ran keyguard; archive members as `a.zip!inner/path` */
  displayPath: string;
  /** size in bytes when known up front */
  size: number;
  /** the whole content (only for sizes the caller has checked) */
  load(): Promise<Buffer>;
  /** the content as a stream, for files too large to hold */
  stream(): Readable;
  /** set for files on disk */
  absPath?: string;
}

/**
 * Bytes per piece where a file or an archive member is streamed and where zlib inflates or deflates:
 * Node's defaults (64 KB a read, 16 KB of zlib output) are a thread-pool round trip each, and a 96 MB
 * zipped export took 3.4 s to inflate that way against 0.6 s a megabyte at a time.
 */
export const STREAM_BYTES = 1024 * 1024;

/** A file on disk, read whole or streamed a megabyte at a time. */
export function diskRef(absPath: string, displayPath: string, size: number): FileRef {
  return {
    displayPath,
    size,
    absPath,
    load: async () => readFileSync(absPath),
    stream: () => createReadStream(absPath, { highWaterMark: STREAM_BYTES }),
  };
}

/** Past this, text is scanned in line-aligned windows instead of whole. */
export const WHOLE_FILE_LIMIT = 32 * 1024 * 1024;

export interface Window {
  /** the bytes read since the previous window */
  bytes: Buffer;
  /** the stream has ended: this is the last window */
  final: boolean;
}

/**
 * A large file in windows of `size` bytes (the last may be smaller), each in a buffer of its own. A
 * file on disk is read straight into its windows; anything else is streamed and gathered.
 */
export async function* windowsOf(file: FileRef, size: number): AsyncGenerator<Window> {
  if (file.absPath) {
    yield* diskWindows(file.absPath, size);
    return;
  }
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const piece of file.stream()) {
    const b = piece as Buffer;
    pending.push(b);
    pendingBytes += b.length;
    if (pendingBytes >= size) {
      yield { bytes: Buffer.concat(pending), final: false };
      pending.length = 0;
      pendingBytes = 0;
    }
  }
  yield { bytes: Buffer.concat(pending), final: true };
}

/** Windows read with one descriptor: no copy from stream pieces into the window (a 300 MB file: 50 ms). */
async function* diskWindows(path: string, size: number): AsyncGenerator<Window> {
  const handle = await open(path, 'r');
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(size);
      let n = 0;
      while (n < size) {
        const { bytesRead } = await handle.read(buf, n, size - n, null);
        if (bytesRead === 0) break;
        n += bytesRead;
      }
      yield { bytes: buf.subarray(0, n), final: n < size };
      if (n < size) return;
    }
  } finally {
    await handle.close();
  }
}
