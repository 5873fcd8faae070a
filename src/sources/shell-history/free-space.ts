// Where an SQLite file keeps bytes no row owns: pages on the freelist, the gap between a b-tree page's
// cell pointers and its cells, and freed cells (freeblocks). A key there is a deleted or older copy;
// a key elsewhere is a live row, an index entry or an overflow page, so its place alone says which.
// Format: https://www.sqlite.org/fileformat.html §1.3 (header), §1.5 (freelist), §1.6 (b-tree pages).
import { pageSizeOf } from './wal.js';

export type Range = [number, number];

const BTREE_TYPES = new Set([2, 5, 10, 13]);

function freelistPages(db: Buffer, pageSize: number, pages: number, out: Range[]): Set<number> {
  const free = new Set<number>();
  let trunk = db.length >= 40 ? db.readUInt32BE(32) : 0;
  // a corrupt chain can loop: never visit more trunks than there are pages
  for (let seen = 0; trunk >= 1 && trunk <= pages && seen < pages && !free.has(trunk); seen++) {
    free.add(trunk);
    const base = (trunk - 1) * pageSize;
    const leaves = Math.min(db.readUInt32BE(base + 4), (pageSize - 8) / 4);
    out.push([base + 8 + 4 * leaves, base + pageSize]);
    for (let i = 0; i < leaves; i++) {
      const leaf = db.readUInt32BE(base + 8 + 4 * i);
      if (leaf < 1 || leaf > pages || free.has(leaf)) continue;
      free.add(leaf);
      out.push([(leaf - 1) * pageSize, leaf * pageSize]);
    }
    trunk = db.readUInt32BE(base);
  }
  return free;
}

function btreeFreeSpace(db: Buffer, page: number, pageSize: number, out: Range[]): void {
  const base = (page - 1) * pageSize;
  const hdr = base + (page === 1 ? 100 : 0);
  const type = db[hdr]!;
  if (!BTREE_TYPES.has(type)) return;
  const cells = db.readUInt16BE(hdr + 3);
  const contentStart = db.readUInt16BE(hdr + 5) || 65536;
  const pointersEnd = hdr + (type === 2 || type === 5 ? 12 : 8) + 2 * cells;
  if (pointersEnd < base + contentStart && contentStart <= pageSize) out.push([pointersEnd, base + contentStart]);
  let block = db.readUInt16BE(hdr + 1);
  for (let n = 0; block >= 4 && block + 4 <= pageSize && n < pageSize / 4; n++) {
    const size = db.readUInt16BE(base + block + 2);
    out.push([base + block, base + Math.min(pageSize, block + size)]);
    const next = db.readUInt16BE(base + block);
    // freeblocks are kept in increasing order: anything else is corrupt
    if (next <= block) break;
    block = next;
  }
}

/** Byte ranges of `db` (an SQLite database file) that hold no live content, in no particular order. */
export function freeRanges(db: Buffer): Range[] {
  const pageSize = pageSizeOf(db);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return [];
  const pages = Math.floor(db.length / pageSize);
  const out: Range[] = [];
  try {
    const free = freelistPages(db, pageSize, pages, out);
    for (let p = 1; p <= pages; p++) if (!free.has(p)) btreeFreeSpace(db, p, pageSize, out);
  } catch {
    // a corrupt page (a read past its end): the ranges found so far are still right
  }
  return out;
}

export function within(ranges: readonly Range[], offset: number): boolean {
  return ranges.some(([a, b]) => a <= offset && offset < b);
}
