// Plain text, read as bytes (latin1) so invalid UTF-8 never hides a key. Large files go in windows
// cut at line ends: a key written whole never spans a newline, so windows need no overlap. A key split
// across lines (joined.ts) does: where the window's last lines hold a split trace, the window is cut
// before the first line that does instead, so the key's pieces are all in the next window. Nothing is
// read twice, so nothing is reported twice.
import type { Chunk, Origin, OriginKind } from '../../types.js';
import type { ScanContext } from '../../scan/context.js';
import { mayContainKey, traceStartsIn } from '../../engine/prefilter.js';
import { isKeyChar } from '../../engine/key-chars.js';
import { hasSplitTrace } from '../../engine/joined.js';
import { WHOLE_FILE_LIMIT, windowsOf, type FileRef } from './file-ref.js';
import { Utf16Counter } from '../../engine/utf16-units.js';

/** Sizes for large files (tests make them small). */
export const TEXT_LIMITS = {
  /** files up to this size are read whole */
  wholeFile: WHOLE_FILE_LIMIT,
  /** bytes per window past it (16 MB windows were slower, and held twice the memory: 250 MB for a 525 MB file) */
  window: 4 * 1024 * 1024,
};

/** Lines a split key's pieces may be on: joined.ts follows at most 24 pieces, one line each at most. */
const SPLIT_LINES = 24;

/**
 * Where to cut a window that ends at `cut` (a line start) so a key split across its last lines goes
 * whole into the next window: the start of the first of the last lines that holds a split trace, or
 * `cut` itself. Only a window whose tail holds a trace is looked at line by line.
 */
function splitSafeCut(text: Buffer | string, cut: number): number {
  let back = cut;
  // `back > 1`: a negative offset would make Buffer.lastIndexOf search from the end
  for (let n = 0; n < SPLIT_LINES && back > 1; n++) back = text.lastIndexOf('\n', back - 2) + 1;
  if (!hasSplitTrace(text.slice(back, cut))) return cut;
  for (let line = back; line < cut;) {
    let end = text.indexOf('\n', line);
    end = end < 0 || end >= cut ? cut : end + 1;
    // a trace on the window's first line cannot go to the next window: the window would be empty
    if (line > 0 && hasSplitTrace(text.slice(line, end))) return line;
    line = end;
  }
  return cut;
}

function countNewlines(buf: Buffer, end = buf.length, from = 0): number {
  let n = 0;
  let i = buf.indexOf(10, from);
  while (i >= 0 && i < end) {
    n++;
    i = buf.indexOf(10, i + 1);
  }
  return n;
}

/** More places than this, or regions covering more than half the buffer: the buffer is read whole. */
const MAX_REGIONS = 256;

/** Start of the line `back` lines before the one holding `at`. */
function linesBack(buf: Buffer, at: number, back: number): number {
  let s = at > 0 ? buf.lastIndexOf(10, at - 1) + 1 : 0;
  for (let n = 0; n < back && s > 0; n++) s = s > 1 ? buf.lastIndexOf(10, s - 2) + 1 : 0;
  return s;
}

/** End (past its newline) of the line `ahead` lines after the one holding `at`. */
function linesAhead(buf: Buffer, at: number, ahead: number): number {
  let e = at;
  for (let n = 0; n <= ahead; n++) {
    const nl = buf.indexOf(10, e);
    if (nl < 0) return buf.length;
    e = nl + 1;
  }
  return e;
}

/**
 * The parts of `buf` detection needs: around each place a key may start, SPLIT_LINES whole lines on
 * either side. A key found whole, escaped or in base64 lies on the line of its needle, and a split
 * key's pieces within SPLIT_LINES lines of its trace, so detection finds in these what it would find
 * in the whole buffer; a log with a key every few megabytes costs a few lines of detection, not all of
 * it. Undefined when the buffer is better read whole (dense places, long lines).
 */
function regionsOf(buf: Buffer, places: readonly number[]): [number, number][] | undefined {
  if (places.length > MAX_REGIONS) return undefined;
  const regions: [number, number][] = [];
  let covered = 0;
  for (const at of places) {
    const last = regions[regions.length - 1];
    if (last && at < last[1] && linesAhead(buf, at, SPLIT_LINES) <= last[1]) continue;
    const from = linesBack(buf, at, SPLIT_LINES);
    const to = linesAhead(buf, at, SPLIT_LINES);
    if (last && from <= last[1]) {
      covered += to - last[1];
      last[1] = to;
    } else {
      covered += to - from;
      regions.push([from, to]);
    }
    if (covered > buf.length / 2) return undefined;
  }
  return regions;
}

/**
 * The chunks of `buf` that may hold a key, `buf` starting at `line` and `column`: the regions around
 * its traces (regionsOf), or the whole buffer.
 */
export function bufferChunks(buf: Buffer, origin: Origin, ctx: ScanContext): Chunk[] {
  // (the places, where the SIMD pass runs, are the prefilter's answer too: one pass, not two)
  const places = traceStartsIn(buf, ctx.needles);
  if (places ? places.length === 0 : !mayContainKey(buf, ctx.needles)) return [];
  const regions = places && regionsOf(buf, places);
  if (!regions) return [{ text: buf.toString('latin1'), origin, bytes: true }];
  const chunks: Chunk[] = [];
  let line = origin.line ?? 1;
  let counted = 0;
  for (const [from, to] of regions) {
    line += countNewlines(buf, from, counted);
    counted = from;
    // a region starts at a line start, or at the buffer's start (where the buffer's own column holds)
    const place: Origin = { ...origin, line, column: from === 0 ? (origin.column ?? 1) : 1 };
    chunks.push({ text: buf.toString('latin1', from, to), origin: place, bytes: true });
  }
  return chunks;
}

/**
 * Where to cut a window: after the last newline, else after the last ASCII byte that no key holds (a
 * cut inside a UTF-8 sequence would start the next window with bytes its columns count as invalid),
 * else anywhere.
 */
function cutPoint(buf: Buffer): number {
  const nl = buf.lastIndexOf(10);
  if (nl >= 0) return nl + 1;
  for (let i = buf.length - 1; i >= Math.max(0, buf.length - 4096); i--) if (buf[i]! < 0x80 && !isKeyChar(buf[i]!)) return i + 1;
  return buf.length;
}

export async function* readText(file: FileRef, ctx: ScanContext, kind: OriginKind = 'file'): AsyncGenerator<Chunk> {
  if (file.size <= TEXT_LIMITS.wholeFile) {
    const buf = await file.load();
    ctx.countFile(buf.length);
    yield* bufferChunks(buf, { kind, path: file.displayPath }, ctx);
    return;
  }
  let line = 1;
  let column = 1;
  // columns as the engine counts them (UTF-16 units of the decoded line), counted on across the
  // windows of a long line
  const units = new Utf16Counter();
  let carry: Buffer = Buffer.alloc(0);
  let total = 0;
  for await (const { bytes, final } of windowsOf(file, TEXT_LIMITS.window)) {
    total += bytes.length;
    const buf = carry.length > 0 ? Buffer.concat([carry, bytes]) : bytes;
    const cut = final ? buf.length : splitSafeCut(buf, cutPoint(buf));
    const window = buf.subarray(0, cut);
    carry = Buffer.from(buf.subarray(cut));
    const chunks = bufferChunks(window, { kind, path: file.displayPath, line, column: column + units.pending }, ctx);
    line += countNewlines(window);
    const lastNl = window.lastIndexOf(10);
    if (lastNl >= 0) {
      units.reset();
      column = 1 + units.count(window, lastNl + 1, window.length);
    } else column += units.count(window, 0, window.length);
    yield* chunks;
  }
  ctx.countFile(total);
}

/** Where to cut decoded text: after the last newline, else after the last non-key character, else anywhere. */
function textCutPoint(text: string): number {
  const nl = text.lastIndexOf('\n');
  if (nl >= 0) return nl + 1;
  for (let i = text.length - 1; i >= Math.max(0, text.length - 4096); i--) if (!isKeyChar(text.charCodeAt(i))) return i + 1;
  return text.length;
}

/**
 * UTF-16 text too large to hold (past WHOLE_FILE_LIMIT), decoded in windows like the Latin-1 path:
 * whole code units only (an odd byte waits for the next window), cut at line ends. A surrogate pair
 * split by a cut is joined again in the carried text, since JavaScript strings are UTF-16 too.
 */
export async function* readUtf16(file: FileRef, ctx: ScanContext, bigEndian: boolean): AsyncGenerator<Chunk> {
  let line = 1;
  let column = 1;
  let odd: Buffer = Buffer.alloc(0);
  let carry = '';
  let total = 0;
  let bom = true;
  for await (const { bytes, final } of windowsOf(file, TEXT_LIMITS.window)) {
    total += bytes.length;
    let buf = odd.length > 0 ? Buffer.concat([odd, bytes]) : bytes;
    if (bom) {
      buf = buf.subarray(Math.min(2, buf.length));
      bom = false;
    }
    const even = buf.length - (buf.length % 2);
    odd = Buffer.from(buf.subarray(even));
    const units = bigEndian ? Buffer.from(buf.subarray(0, even)).swap16() : buf.subarray(0, even);
    const text = carry + units.toString('utf16le');
    const cut = final ? text.length : splitSafeCut(text, textCutPoint(text));
    const window = text.slice(0, cut);
    carry = text.slice(cut);
    if (mayContainKey(window, ctx.needles)) yield { text: window, origin: { kind: 'file', path: file.displayPath, line, column } };
    const lastNl = window.lastIndexOf('\n');
    for (let i = window.indexOf('\n'); i !== -1; i = window.indexOf('\n', i + 1)) line++;
    column = lastNl >= 0 ? window.length - lastNl : column + window.length;
  }
  ctx.countFile(total);
}
