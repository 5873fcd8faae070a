// The bytes of one JSON string that runs across views, taken piece by piece as views pass: all of
// them while the string is short (JSON inside it can then be parsed), and once it is longer than the
// limit, only the pieces that hold a needle hit, each placed at its own line and column.
import type { LineTracker } from './line-tracker.js';
import type { NeedleHits } from './needle-hits.js';

/** Bytes of the file starting at `start` (line and column of that first byte). */
export interface RawSlice {
  start: number;
  line: number;
  column: number;
  bytes: Buffer;
}

/** What a string held, once it ended. */
export interface CapturedString {
  /** the slices holding a hit (none: nothing to report) */
  slices: RawSlice[];
  /** the slices are the whole string, in one */
  whole: boolean;
  /** the whole content when the string stayed short, else undefined */
  content: Buffer | undefined;
  /** the first bytes kept, enough to name it */
  head: Buffer;
}

const HEAD_BYTES = 256;
const EMPTY = Buffer.alloc(0);

export class StringCapture {
  /** file offset where the next piece starts */
  from: number;
  private pieces: Buffer[] = [];
  private length = 0;
  private hit = false;
  private long = false;
  private readonly slices: RawSlice[] = [];
  private head: Buffer | undefined;

  /** `start`: file offset of the content's first byte, at `line` and `column`; `key`: a property name. */
  constructor(
    private readonly start: number,
    readonly key: boolean,
    private readonly line: number,
    private readonly column: number,
    private readonly wholeLimit: number,
  ) {
    this.from = start;
  }

  /** Take the string's bytes from the last cut up to `cut` (file offsets inside `view`). */
  piece(view: Buffer, vs: number, cut: number, hits: NeedleHits, tracker: LineTracker): void {
    const a = this.from;
    if (cut <= a) return;
    const hit = hits.within(a, cut);
    const piece = view.subarray(a - vs, cut - vs);
    if (!this.head) this.head = Buffer.from(piece.subarray(0, HEAD_BYTES));
    if (!this.long) {
      this.pieces.push(Buffer.from(piece));
      this.length += piece.length;
      this.hit ||= hit;
      if (this.length > this.wholeLimit) {
        this.long = true;
        if (this.hit) this.slices.push({ start: this.start, line: this.line, column: this.column, bytes: Buffer.concat(this.pieces) });
        this.pieces = [];
      }
    } else if (hit) {
      const p = tracker.at(view, vs, a);
      this.slices.push({ start: a, line: p.line, column: p.column, bytes: Buffer.from(piece) });
    }
    this.from = cut;
  }

  /** The string ended (after its last piece). */
  end(): CapturedString {
    const content = this.long ? undefined : Buffer.concat(this.pieces);
    const head = content ?? this.head ?? EMPTY;
    if (content && this.hit) return { slices: [{ start: this.start, line: this.line, column: this.column, bytes: content }], whole: true, content, head };
    return { slices: this.slices, whole: false, content, head };
  }
}
