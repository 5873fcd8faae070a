// SQLite's write-ahead log applied to a copy of the database bytes, so rows a running shell has
// committed but not yet checkpointed are read too, without opening (or locking) the live files.
// Format: https://www.sqlite.org/fileformat.html §4 (32-byte header, frames of 24 bytes + one page,
// cumulative checksums; a frame counts once a later commit frame with the same salts validates).

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

function checksum(buf: Buffer, off: number, len: number, s: [number, number], bigEndian: boolean): void {
  let [s0, s1] = s;
  for (let i = off; i < off + len; i += 8) {
    const x0 = bigEndian ? buf.readUInt32BE(i) : buf.readUInt32LE(i);
    const x1 = bigEndian ? buf.readUInt32BE(i + 4) : buf.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  s[0] = s0;
  s[1] = s1;
}

/** Page size from the database header (1 means 65536). */
export function pageSizeOf(db: Buffer): number {
  const v = db.length >= 18 ? db.readUInt16BE(16) : 0;
  return v === 1 ? 65536 : v;
}

export interface CommittedFrames {
  pageSize: number;
  /** page number → offset in the WAL of its newest committed content */
  pages: Map<number, number>;
  /** the database's size in pages after the last commit */
  dbPages: number;
}

/** The frames a reader of the database sees; undefined when the WAL is not one for this database. */
export function committedFrames(db: Buffer, wal: Buffer): CommittedFrames | undefined {
  if (wal.length < WAL_HEADER) return undefined;
  const magic = wal.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return undefined;
  const bigEndian = (magic & 1) === 1;
  const pageSize = wal.readUInt32BE(8);
  if (pageSize < 512 || pageSize > 65536 || (db.length > 0 && pageSizeOf(db) !== pageSize)) return undefined;
  const s: [number, number] = [0, 0];
  checksum(wal, 0, 24, s, bigEndian);
  if (s[0] !== wal.readUInt32BE(24) || s[1] !== wal.readUInt32BE(28)) return undefined;
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  const pages = new Map<number, number>();
  const uncommitted = new Map<number, number>();
  let dbPages = Math.floor(db.length / pageSize);
  for (let off = WAL_HEADER; off + FRAME_HEADER + pageSize <= wal.length; off += FRAME_HEADER + pageSize) {
    if (wal.readUInt32BE(off + 8) !== salt1 || wal.readUInt32BE(off + 12) !== salt2) break;
    checksum(wal, off, 8, s, bigEndian);
    checksum(wal, off + FRAME_HEADER, pageSize, s, bigEndian);
    if (s[0] !== wal.readUInt32BE(off + 16) || s[1] !== wal.readUInt32BE(off + 20)) break;
    uncommitted.set(wal.readUInt32BE(off), off + FRAME_HEADER);
    const commitSize = wal.readUInt32BE(off + 4);
    if (commitSize > 0) {
      for (const [pg, at] of uncommitted) pages.set(pg, at);
      uncommitted.clear();
      dbPages = commitSize;
    }
  }
  return { pageSize, pages, dbPages };
}

/** Offsets of the WAL's frames (header and page) that no reader sees: superseded, uncommitted or stale. */
export function oldFrames(db: Buffer, wal: Buffer): [number, number][] {
  const committed = committedFrames(db, wal);
  if (!committed) return [];
  const seen = new Set(committed.pages.values());
  const out: [number, number][] = [];
  const step = FRAME_HEADER + committed.pageSize;
  for (let off = WAL_HEADER; off + step <= wal.length; off += step) if (!seen.has(off + FRAME_HEADER)) out.push([off, off + step]);
  return out;
}

/** The database as it is with the WAL's committed frames applied; the input when the WAL adds nothing. */
export function applyWal(db: Buffer, wal: Buffer): Buffer {
  const committed = committedFrames(db, wal);
  if (!committed || committed.pages.size === 0) return db;
  const { pageSize, pages, dbPages } = committed;
  const out = Buffer.alloc(dbPages * pageSize);
  db.copy(out, 0, 0, Math.min(db.length, out.length));
  for (const [pg, at] of pages) if (pg >= 1 && pg <= dbPages) wal.copy(out, (pg - 1) * pageSize, at, at + pageSize);
  return out;
}
