// Content sniffing: what a buffer is, by its first bytes (never by extension alone).
export type Sniffed = 'text' | 'utf16le' | 'utf16be' | 'zip' | 'gzip' | 'tar' | 'sqlite' | 'binary' | 'empty';

const SNIFF_BYTES = 8000;
const USTAR = Buffer.from('ustar', 'latin1');
const SQLITE = Buffer.from('SQLite format 3\0', 'latin1');

/** Compared in place: sniffing runs on every file, and a copy per file shows in a tree scan's profile. */
function startsWithAt(head: Uint8Array, at: number, magic: Buffer): boolean {
  for (let i = 0; i < magic.length; i++) if (head[at + i] !== magic[i]) return false;
  return true;
}

export function sniff(head: Uint8Array): Sniffed {
  if (head.length === 0) return 'empty';
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) && (head[3] === 0x04 || head[3] === 0x06)) return 'zip';
  // gzip: magic and the deflate method; tar: POSIX/GNU "ustar" magic in the first header block
  if (head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return 'gzip';
  if (head.length >= 262 && startsWithAt(head, 257, USTAR)) return 'tar';
  if (head.length >= 16 && startsWithAt(head, 0, SQLITE)) return 'sqlite';
  const n = Math.min(head.length, SNIFF_BYTES);
  // A BOM alone is two bytes a Latin-1 file can start with too; UTF-16 text also has NUL bytes.
  const hasNul = (head.length > n ? head.subarray(0, n) : head).indexOf(0) >= 0;
  if (head[0] === 0xff && head[1] === 0xfe && (hasNul || n <= 2)) return 'utf16le';
  if (head[0] === 0xfe && head[1] === 0xff && (hasNul || n <= 2)) return 'utf16be';
  return hasNul ? 'binary' : 'text';
}

/** UTF-16 text re-encoded as latin1-compatible text: keys are ASCII, so nothing is lost for matching. */
export function utf16ToString(buf: Buffer, bigEndian: boolean): string {
  const body = buf.subarray(2);
  if (!bigEndian) return body.toString('utf16le');
  const even = Buffer.from(body.subarray(0, body.length - (body.length % 2)));
  return even.swap16().toString('utf16le');
}
