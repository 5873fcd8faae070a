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

/** The database as it is with the WAL's committed frames applied; the input when the WAL adds nothing. */
export function applyWal(db: Buffer, wal: Buffer): Buffer {
  if (wal.length < WAL_HEADER) return db;
  const magic = wal.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return db;
  const bigEndian = (magic & 1) === 1;
  const pageSize = wal.readUInt32BE(8);
  if (pageSize < 512 || pageSize > 65536 || (db.length > 0 && pageSizeOf(db) !== pageSize)) return db;
  const s: [number, number] = [0, 0];
  checksum(wal, 0, 24, s, bigEndian);
  if (s[0] !== wal.readUInt32BE(24) || s[1] !== wal.readUInt32BE(28)) return db;
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
  if (pages.size === 0) return db;
  const out = Buffer.alloc(dbPages * pageSize);
  db.copy(out, 0, 0, Math.min(db.length, out.length));
  for (const [pg, at] of pages) if (pg >= 1 && pg <= dbPages) wal.copy(out, (pg - 1) * pageSize, at, at + pageSize);
  return out;
}
