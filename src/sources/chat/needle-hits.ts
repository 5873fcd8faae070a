// Where the prefilter's needles occur in a file read in overlapping views: found once per view in the
// prefilter's one pass, then asked about in file order ("is there a hit in [a, b)?"), so that everything
// without a hit can be stepped over. Escaped session keys (`sess%2D…`) are hits too (needle-offsets.ts),
// and, where the file-level look found one (`splitTraces`), the trace of a key split inside a string
// (json-split.ts): a key whose marker a wrap cut has no needle to be found by.
import { needleOffsets, needleSet, type NeedleSet } from '../needle-offsets.js';
import { jsonSplitTraces } from './json-split.js';

/** `sk-` is found in a view when it starts before the view's last two bytes; the next view has the rest. */
const SPLIT_START_BACK = 2;

export class NeedleHits {
  /** hits found so far: a reader notes problems only in files that held something */
  count = 0;

  private readonly needles: NeedleSet;
  private hits: number[] = [];
  private head = 0;
  private last = -1;
  /** file offset the search has covered */
  private searched = -Infinity;
  /** file offset before which every `sk-` was judged as a split trace */
  private splitSearched = -Infinity;

  /** `splitTraces`: also the traces of keys split inside strings (only where a file-level look saw one). */
  constructor(
    needles: readonly string[],
    private readonly splitTraces = false,
  ) {
    this.needles = needleSet(needles);
  }

  /** Find the hits in `view` (first byte at file offset `vs`) not found in earlier views. */
  search(view: Buffer, vs: number): void {
    const from = Math.max(0, this.searched - (this.needles.maxLength - 1) - vs);
    const found: number[] = [];
    for (const i of needleOffsets(view, this.needles, from)) if (vs + i > this.last) found.push(vs + i);
    this.searched = vs + view.length;
    if (this.splitTraces) {
      // views overlap: a trace cut by this view's end is judged open (kept) and found again, once, in the next
      for (const i of jsonSplitTraces(view, Math.max(0, this.splitSearched - vs), true)) if (vs + i > this.last) found.push(vs + i);
      this.splitSearched = vs + view.length - SPLIT_START_BACK;
    }
    if (found.length === 0) return;
    found.sort((a, b) => a - b);
    if (this.head > 4096) {
      this.hits = this.hits.slice(this.head);
      this.head = 0;
    }
    for (const h of found) {
      if (h === this.last) continue;
      this.hits.push(h);
      this.last = h;
      this.count++;
    }
  }

  /** Whether a hit lies in [a, b); hits before b are used up. */
  within(a: number, b: number): boolean {
    const hits = this.hits;
    let h = this.head;
    while (h < hits.length && hits[h]! < a) h++;
    const found = h < hits.length && hits[h]! < b;
    while (h < hits.length && hits[h]! < b) h++;
    this.head = h;
    return found;
  }
}
