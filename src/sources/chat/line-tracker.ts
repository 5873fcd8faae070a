// Physical line and column of byte offsets in a file read once, front to back, in overlapping
// views. Columns are counted as the engine counts them for bytes chunks (UTF-16 units of the
// decoded line, each invalid sequence one U+FFFD), so a position here matches what it would report
// for the same bytes read as plain text. Minified JSON is one line, so the count runs over the
// whole file: a native UTF-8 check, then a count without decoding (utf16-units.ts; building strings
// to measure them cost more than the rest of the scan), and a state machine for invalid bytes.
import { isUtf8 } from 'node:buffer';
import { validUtf8Units } from './utf16-units.js';

export interface Position {
  line: number;
  column: number;
}

/** Everything needed to go on counting from `cursor` (a re-read unit starts from a snapshot). */
export interface TrackerState {
  line: number;
  /** file offset of the first byte of `line` */
  lineStart: number;
  /** columns (UTF-16 units) taken by [lineStart, cursor) */
  units: number;
  /** file offset counted up to */
  cursor: number;
}

export const FILE_START: TrackerState = { line: 1, lineStart: 0, units: 0, cursor: 0 };

/** Where buf[from, to) stops being whole characters: before a lead byte whose sequence runs past `to`. */
function completeEnd(buf: Buffer, from: number, to: number): number {
  let j = to - 1;
  while (j >= from && j > to - 4 && (buf[j]! & 0xc0) === 0x80) j--;
  if (j < from) return to;
  const c = buf[j]!;
  const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  return j + len > to ? j : to;
}

/** UTF-16 units of UTF-8 bytes, decoded as WHATWG (and V8) decode them; resumable mid-sequence. */
export class Utf16Counter {
  private need = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private four = false;

  reset(): void {
    this.need = 0;
  }

  count(buf: Buffer, from: number, to: number): number {
    if (to <= from) return 0;
    let units = 0;
    let i = from;
    // finish a sequence left open by the previous piece
    while (this.need > 0 && i < to) {
      units += this.step(buf, i, i + 1);
      i++;
    }
    if (i >= to) return units;
    // valid UTF-8 (checked natively) needs no state: a character is a non-continuation byte, and a
    // four-byte one is two UTF-16 units; an open sequence at the end is left to the state machine
    const end = completeEnd(buf, i, to);
    if (end > i && isUtf8(buf.subarray(i, end))) {
      units += validUtf8Units(buf, i, end);
      i = end;
    }
    return units + this.step(buf, i, to);
  }

  /** The WHATWG decoder's state machine over buf[from, to): one unit per replacement character. */
  private step(buf: Buffer, from: number, to: number): number {
    let units = 0;
    let { need, lower, upper, four } = this;
    for (let i = from; i < to; i++) {
      const c = buf[i]!;
      if (need > 0) {
        if (c >= lower && c <= upper) {
          lower = 0x80;
          upper = 0xbf;
          if (--need === 0) units += four ? 2 : 1;
          continue;
        }
        // an incomplete sequence is one replacement character; the byte starts afresh
        units++;
        need = 0;
        lower = 0x80;
        upper = 0xbf;
      }
      if (c < 0x80) units++;
      else if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
        four = false;
      } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        four = false;
        if (c === 0xe0) lower = 0xa0;
        else if (c === 0xed) upper = 0x9f;
      } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        four = true;
        if (c === 0xf0) lower = 0x90;
        else if (c === 0xf4) upper = 0x8f;
      } else units++;
    }
    Object.assign(this, { need, lower, upper, four });
    return units;
  }

  /** Units still owed for a sequence left open (counted when the line ends or a position is asked). */
  get pending(): number {
    return this.need > 0 ? 1 : 0;
  }
}

export class LineTracker {
  private s: TrackerState;
  private readonly counter = new Utf16Counter();

  constructor(start: TrackerState = FILE_START) {
    this.s = { ...start };
  }

  get cursor(): number {
    return this.s.cursor;
  }

  /**
   * Count up to file offset `to`, which lies in `view` (first byte at file offset `viewStart`).
   * Offsets come in order: what lies before the cursor has been counted and forgotten.
   */
  advance(view: Buffer, viewStart: number, to: number): void {
    const s = this.s;
    if (to <= s.cursor) return;
    const from = Math.max(0, s.cursor - viewStart);
    const end = to - viewStart;
    const lastNl = end > from ? view.lastIndexOf(10, end - 1) : -1;
    if (lastNl >= from) {
      let n = 0;
      for (let k = view.indexOf(10, from); k !== -1 && k <= lastNl; k = view.indexOf(10, k + 1)) n++;
      s.line += n;
      s.lineStart = viewStart + lastNl + 1;
      this.counter.reset();
      s.units = this.counter.count(view, lastNl + 1, end);
    } else {
      s.units += this.counter.count(view, from, end);
    }
    s.cursor = to;
  }

  at(view: Buffer, viewStart: number, p: number): Position {
    this.advance(view, viewStart, p);
    return { line: this.s.line, column: 1 + this.s.units + this.counter.pending };
  }

  stateAt(view: Buffer, viewStart: number, p: number): TrackerState {
    this.advance(view, viewStart, p);
    return { ...this.s, units: this.s.units + this.counter.pending };
  }
}
