// Find the keys to redact in a file of any size without holding it: positional reads in windows,
// each cut after its last newline (a key never spans one; the later pieces of a key split across
// lines are kept with its first) but never closer to the window's end than
// `overlap` bytes, which is more than the longest key in any encoding. Hits are searched in the whole
// window and kept only when they start before the cut, so a key across a cut is found whole, once.
import type { FileHandle } from 'node:fs/promises';
import { applyHits, hitsIn, type Hit, type KeyTargets } from './redact-bytes.js';

export interface FileHit extends Hit {
  /** 1-based line of the hit (lines end at byte 0x0A) */
  line: number;
}

/** Says why redacting a line would break it, or undefined when the redacted line is fine. */
export type LineCheck = (before: Buffer, after: Buffer, line: number) => string | undefined;

export interface Position {
  offset: number;
  line: number;
  /** `offset` is where a line starts (known for 0 and for the last line start of a scan) */
  lineStart?: boolean;
}

export interface FileScan {
  hits: FileHit[];
  /** the file's size as far as it was read */
  end: number;
  /** where a later pass over bytes appended meanwhile starts: the last line start, or `overlap` before the end */
  resume: Position;
}

export const WINDOW = 16 * 1024 * 1024;

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(10, from); i !== -1 && i < to; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/** Check every line of `buf` a hit falls on that lies whole in `buf`; throws on the first refusal. */
function checkLines(buf: Buffer, startsLine: boolean, final: boolean, hits: readonly FileHit[], base: number, check: LineCheck): void {
  let i = 0;
  while (i < hits.length) {
    const first = hits[i]!;
    const at = first.at - base;
    const nl = at === 0 ? -1 : buf.lastIndexOf(10, at - 1);
    let end = buf.indexOf(10, at);
    let j = i + 1;
    while (j < hits.length && (end === -1 || hits[j]!.at - base < end)) j++;
    const whole = (nl !== -1 || startsLine) && (end !== -1 || final);
    if (whole) {
      if (end === -1) end = buf.length;
      const before = buf.subarray(nl + 1, end);
      const why = check(before, applyHits(before, hits.slice(i, j), base + nl + 1), first.line);
      if (why) throw new Error(why);
    }
    i = j;
  }
}

interface Window {
  /** file offset of the window's first byte */
  base: number;
  /** line number at `base` */
  line: number;
  /** hits at or after this index of the window are left to the next window */
  cut: number;
  /** hits before this file offset were kept by an earlier window */
  taken: number;
}

/** The hits of one window that are its to keep, with their lines; the line number and `taken` after the cut. */
function keepHits(buf: Buffer, targets: KeyTargets, w: Window): { hits: FileHit[]; line: number; taken: number } {
  const hits: FileHit[] = [];
  let { line, taken } = w;
  let counted = 0;
  let joined: number | undefined;
  for (const h of hitsIn(buf, targets)) {
    // the later pieces of a key split across lines go with its first piece, past the cut: the next
    // window would not see them as a key
    const goesOn = h.joined !== undefined && h.joined === joined;
    if (h.at >= w.cut && !goesOn) break;
    if (w.base + h.at < taken) continue;
    line += countNewlines(buf, counted, h.at);
    counted = h.at;
    hits.push({ ...h, at: w.base + h.at, line });
    taken = w.base + h.at + h.from.length;
    joined = h.joined;
  }
  const atCut = counted <= w.cut ? line + countNewlines(buf, counted, w.cut) : line - countNewlines(buf, w.cut, counted);
  return { hits, line: atCut, taken };
}

/** The hits in a whole buffer, with their lines; `check` throws on a line it refuses. */
export function bufferHits(buf: Buffer, targets: KeyTargets, check?: LineCheck): FileHit[] {
  const { hits } = keepHits(buf, targets, { base: 0, line: 1, cut: buf.length, taken: 0 });
  if (check && hits.length > 0) checkLines(buf, true, true, hits, 0, check);
  return hits;
}

export interface ScanOptions {
  from?: Position;
  window?: number;
  check?: LineCheck;
}

/** The hits in `fh` from `from` to its current end. */
export async function scanFile(fh: FileHandle, targets: KeyTargets, opts: ScanOptions = {}): Promise<FileScan> {
  const window = opts.window ?? WINDOW;
  const overlap = Math.max(64 * 1024, 2 * targets.longest);
  const hits: FileHit[] = [];
  let pos = opts.from?.offset ?? 0;
  let line = opts.from?.line ?? 1;
  let carry = Buffer.alloc(0);
  let startsLine = pos === 0 || opts.from?.lineStart === true;
  let taken = pos; // hits before this were kept by an earlier window
  let lastLineStart = pos;
  const fresh = Buffer.allocUnsafe(window);
  for (;;) {
    const { bytesRead } = await fh.read(fresh, 0, window, pos + carry.length);
    const final = bytesRead < window;
    const buf = carry.length > 0 ? Buffer.concat([carry, fresh.subarray(0, bytesRead)]) : fresh.subarray(0, bytesRead);
    let cut = buf.length;
    if (!final) {
      // after the last newline before the overlap, unless that is far back (one long line): then at the overlap
      const limit = buf.length - overlap;
      const nl = limit > 0 ? buf.lastIndexOf(10, limit - 1) : -1;
      cut = limit <= 0 ? 0 : nl >= 0 && nl + 1 > limit / 2 ? nl + 1 : limit;
    }
    const kept = keepHits(buf, targets, { base: pos, line, cut, taken });
    if (opts.check && kept.hits.length > 0) checkLines(buf, startsLine, final, kept.hits, pos, opts.check);
    hits.push(...kept.hits);
    line = kept.line;
    taken = kept.taken;
    const lastNl = cut === 0 ? -1 : buf.lastIndexOf(10, cut - 1);
    if (lastNl >= 0) lastLineStart = pos + lastNl + 1;
    if (cut > 0) startsLine = buf[cut - 1] === 10;
    // a copy, so the next read into `fresh` cannot change it
    carry = Buffer.from(buf.subarray(cut));
    pos += cut;
    if (final) break;
  }
  const end = pos + carry.length;
  const resume = Math.max(lastLineStart, end - overlap, 0);
  return { hits, end, resume: { offset: resume, line, lineStart: resume === lastLineStart } };
}
