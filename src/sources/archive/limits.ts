// Bomb limits shared by every archive reader (zip, gzip, tar): what one archive may inflate to, at
// what ratio, and how deep archives may nest. A bomb is refused with a reason, not read until memory
// or time runs out.
import { Readable } from 'node:stream';
import type { Chunk } from '../../types.js';
import type { ScanContext } from '../../scan/context.js';
import type { FileRef } from '../files/file-ref.js';

export const ARCHIVE_LIMITS = {
  /** one member, uncompressed */
  maxMemberBytes: 2 * 1024 * 1024 * 1024,
  /** all members of one archive (or one gzip stream), uncompressed */
  maxTotalBytes: 8 * 1024 * 1024 * 1024,
  /** uncompressed:compressed, checked once more than `ratioFrom` bytes came out */
  maxRatio: 1000,
  ratioFrom: 1024 * 1024,
  /** archives inside archives: a gzip layer counts as one (a gzip quine would never end otherwise) */
  maxDepth: 3,
};

export type ReadAny = (file: FileRef, ctx: ScanContext, depth: number) => AsyncGenerator<Chunk>;

/**
 * The path members are reported under. A gzip stream's content is shown as `file.gz!`; a tar or zip
 * inside it is the same archive to a user (`backup.tar.gz`), so its members are `backup.tar.gz!home/app/.env`.
 */
export function archivePathOf(displayPath: string): string {
  return displayPath.endsWith('!') ? displayPath.slice(0, -1) : displayPath;
}

/** true (and reported) when an archive at this depth is one level too deep to open */
export function tooDeep(file: FileRef, ctx: ScanContext, depth: number): boolean {
  if (depth <= ARCHIVE_LIMITS.maxDepth) return false;
  ctx.error(archivePathOf(file.displayPath), `archive nested deeper than ${ARCHIVE_LIMITS.maxDepth} levels: not opened`);
  return true;
}

/** A member held in memory. */
export function memoryRef(displayPath: string, buf: Buffer): FileRef {
  return { displayPath, size: buf.length, load: async () => buf, stream: () => Readable.from([buf]) };
}
