// Physical line and column of byte offsets in a file read once, front to back, in overlapping
// views. Columns are counted as the engine counts them for bytes chunks (UTF-16 units of the
// decoded line, each invalid sequence one U+FFFD), so a position here matches what it would report
// for the same bytes read as plain text. Minified JSON is one line, so the count runs over the
// whole file, without decoding it (engine/utf16-units.ts: building strings to measure them cost more
// than the rest of the scan).
import { Utf16Counter } from '../../engine/utf16-units.js';

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
