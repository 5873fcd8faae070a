// A file to read, wherever it lives: on disk, inside an archive, or in git's object store.
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

/** Past this, text is scanned in line-aligned windows instead of whole. */
export const WHOLE_FILE_LIMIT = 32 * 1024 * 1024;

export interface Window {
  /** the bytes read since the previous window */
  bytes: Buffer;
  /** the stream has ended: this is the last window */
  final: boolean;
}

/** A large file's stream gathered into windows of at least `size` bytes (the last may be smaller). */
export async function* windowsOf(file: FileRef, size: number): AsyncGenerator<Window> {
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
