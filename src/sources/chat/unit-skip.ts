// Stepping over one unit (a conversation, a message) fast: brackets outside strings are counted and
// strings are stepped over with native searches, nothing is parsed. The unit's bytes are kept as views
// pass, so that a unit found to hold a hit can be read again whole.
import { closingQuote, endsEscaped } from './json-bytes.js';
import type { PathSeg } from './json-text.js';
import type { TrackerState } from './line-tracker.js';

export class UnitSkip {
  /** bytes kept so far, and the file offset the next kept piece starts at */
  retained: Buffer[] = [];
  retainedBytes = 0;
  retainFrom: number;

  private depth = 0;
  private inString = false;
  private escaped = false;

  /** `start`: file offset of the unit's `{` or `[`; `snap`: line and column there. */
  constructor(
    readonly start: number,
    readonly path: PathSeg[],
    readonly snap: TrackerState,
  ) {
    this.retainFrom = start;
  }

  /** Count from view[from]: the index just after the unit's closing bracket, or -1 when it runs past the view. */
  scan(view: Buffer, from: number): number {
    const n = view.length;
    let i = from;
    let d = this.depth;
    if (this.inString) {
      if (this.escaped) i++;
      this.escaped = false;
      const j = i < n ? closingQuote(view, i) : -1;
      if (j === -1) {
        this.escaped = i < n && endsEscaped(view, i);
        return -1;
      }
      this.inString = false;
      i = j + 1;
    }
    while (i < n) {
      const c = view[i]!;
      if (c === 0x22 /* " */) {
        const j = closingQuote(view, i + 1);
        if (j === -1) {
          this.inString = true;
          this.escaped = endsEscaped(view, i + 1);
          this.depth = d;
          return -1;
        }
        i = j + 1;
        continue;
      }
      if (c === 0x7b /* { */ || c === 0x5b /* [ */) d++;
      else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
        d--;
        if (d === 0) return i + 1;
      }
      i++;
    }
    this.depth = d;
    return -1;
  }

  /** Keep the unit's bytes of this view (the view ends; views are `vs`-based file offsets). */
  retain(view: Buffer, vs: number): void {
    const piece = view.subarray(this.retainFrom - vs);
    this.retained.push(piece);
    this.retainedBytes += piece.length;
    this.retainFrom = vs + view.length;
  }
}
