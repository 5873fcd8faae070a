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
