// A streaming JSON scanner over raw bytes, for files larger than any string V8 can hold (a ChatGPT
// export of a gigabyte is one line). The prefilter's needle hits decide what is looked at closely:
// strings without a hit are stepped over with native searches, and "units" (one conversation, one
// message) without a hit are skipped whole, depth-counting only. A unit that holds a hit is read
// again from memory (or, when huge, live) to build its value, so that a reader can name the
// conversation and message a key sits in. Offsets are file offsets and the text handed on is the
// file's own bytes, so line and column are exact and nothing the prefilter saw is lost: a hit the
// parser cannot place (invalid JSON, text around `chat.html`'s data) comes back as a raw slice.
//
// The grammar is the tokenizer's (json-tokenizer.ts); this file decides what to keep of what it meets.
import { inEscapedRun } from '../../engine/unescape.js';
import { isWhitespace } from './json-bytes.js';
import { decodeElided, decodeJsonString, type PathSeg } from './json-text.js';
import { JsonTokenizer, type JsonListener } from './json-tokenizer.js';
import { FILE_START, LineTracker, type TrackerState } from './line-tracker.js';
import { NeedleHits } from './needle-hits.js';
import { StringCapture, type RawSlice } from './string-capture.js';
import { UnitSkip } from './unit-skip.js';
import { ValueBuilder, type JsonValue } from './value-builder.js';
import { Views } from './views.js';

export type { PathSeg } from './json-text.js';
export type { RawSlice } from './string-capture.js';
export type { JsonValue } from './value-builder.js';

/** A JSON string holding a hit. `whole`: one slice with all of its content; else slices around hits. */
export interface HitString {
  path: PathSeg[];
  /** the string is a property name (the last path segment) */
  key: boolean;
  whole: boolean;
  slices: RawSlice[];
}

export interface UnitHit {
  path: PathSeg[];
  /** the unit's value, long strings cut short; partial when the file ends inside it */
  value: JsonValue | undefined;
  strings: HitString[];
  raw: RawSlice[];
  problems: ScanProblem[];
}

export interface ScanProblem {
  message: string;
  line: number;
  column: number;
}

/** Sizes that bound memory. The defaults suit real files; tests lower them to reach the large-file paths with small inputs. */
export interface JsonScanLimits {
  /** bytes processed at once */
  view: number;
  /** a string with a hit is kept whole up to this size (JSON inside it can then be parsed) */
  wholeString: number;
  /** a unit with a hit is re-read from memory up to this size; larger ones are parsed live */
  retainUnit: number;
}

export const DEFAULT_SCAN_LIMITS: Readonly<JsonScanLimits> = Object.freeze({ view: 1 << 20, wholeString: 8 << 20, retainUnit: 64 << 20 });

export interface JsonScanOptions {
  needles: readonly string[];
  /** strings holding the trace of a key split inside them are hits too (json-split.ts): set where a file-level look saw one */
  splitTraces?: boolean;
  /** values at these paths are units: skipped fast unless they hold a hit, then built whole */
  isUnit?: (path: readonly PathSeg[]) => boolean;
  /** longest path isUnit accepts, so the check stays off deep values (default 6) */
  unitDepth?: number;
  /** build the value outside units (long strings cut short) */
  build?: boolean;
  /** after the root value: only whitespace (default), any text (chat.html), or stop reading */
  afterRoot?: 'whitespace' | 'raw' | 'stop';
  /** bytes before this marker and the `=` after it are not JSON (chat.html's `var jsonData = [...]`) */
  startAfter?: string;
  /** the path of the root value (a unit read again) */
  pathPrefix?: readonly PathSeg[];
  /** where the first byte written sits in the file */
  origin?: TrackerState;
  limits?: Partial<JsonScanLimits>;
}

/** Bytes of one view carried into the next: a needle or a key split by the boundary is whole there. */
const TAIL = 4096;

/**
 * What the scanner does with the bytes it is given:
 * - `raw`: text that is not JSON (before `startAfter`'s data, after the root with `afterRoot: 'raw'`, after an error)
 * - `json`: tokenizing
 * - `skip`: inside a unit, counting brackets only
 * - `delegate`: inside a unit too large to keep, which a scanner of its own parses live
 * - `stopped`: past the root value (`afterRoot: 'stop'`)
 */
type Mode = 'raw' | 'json' | 'skip' | 'delegate' | 'stopped';

export class JsonScanner {
  readonly strings: HitString[] = [];
  readonly units: UnitHit[] = [];
  readonly raw: RawSlice[] = [];
  readonly problems: ScanProblem[] = [];
  /** file offset just after the root value, once `afterRoot: 'stop'` stopped there */
  stoppedAt: number | undefined;

  private readonly opts: JsonScanOptions;
  private readonly limits: JsonScanLimits;
  private readonly hits: NeedleHits;
  private readonly tracker: LineTracker;
  private readonly views: Views;
  private readonly tok: JsonTokenizer;
  private readonly values: ValueBuilder;
  private mode: Mode;
  /** file offset of the next byte to look at */
  private pos: number;

  /** the open string (json mode), while it runs across views */
  private capture: StringCapture | undefined;
  /** raw mode: where the text not yet handed on starts; the marker still looked for, and from where */
  private rawFrom: number;
  private seek: Buffer | undefined;
  private seekFrom = 0;
  /** skip and delegate modes: the unit, and the scanner parsing it live */
  private unit: UnitSkip | undefined;
  private sub: JsonScanner | undefined;

  constructor(opts: JsonScanOptions) {
    this.opts = opts;
    this.limits = { ...DEFAULT_SCAN_LIMITS, ...opts.limits };
    this.hits = new NeedleHits(opts.needles, opts.splitTraces === true);
    const origin = opts.origin ?? FILE_START;
    this.tracker = new LineTracker(origin);
    this.views = new Views(origin.cursor);
    this.pos = origin.cursor;
    this.rawFrom = origin.cursor;
    this.values = new ValueBuilder(opts.build === true);
    this.tok = new JsonTokenizer(this.listener(), { prefix: opts.pathPrefix ?? [], firstByte: origin.cursor, trailing: opts.afterRoot === 'raw' });
    if (opts.startAfter) {
      this.mode = 'raw';
      this.seek = Buffer.from(opts.startAfter, 'latin1');
    } else {
      this.mode = 'json';
    }
  }

  /** Needle hits seen: a reader notes problems only in files that held something. */
  get hitCount(): number {
    return this.hits.count;
  }

  write(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.views.add(chunk);
    if (this.views.pendingBytes >= this.limits.view) this.process(false);
  }

  /** Process what was written, however little. */
  pump(): void {
    if (this.views.pendingBytes > 0) this.process(false);
  }

  end(): void {
    this.process(true);
  }

  /** The value built so far (partial when the input ended early). */
  value(): JsonValue | undefined {
    return this.values.value();
  }

  /** Results gathered since the last call. */
  drain(): { strings: HitString[]; units: UnitHit[]; raw: RawSlice[]; problems: ScanProblem[] } {
    return { strings: this.strings.splice(0), units: this.units.splice(0), raw: this.raw.splice(0), problems: this.problems.splice(0) };
  }

  asUnit(path: PathSeg[]): UnitHit {
    return { path, value: this.value(), strings: this.strings.splice(0), raw: this.raw.splice(0), problems: this.problems.splice(0) };
  }

  // ---- views ---------------------------------------------------------------------------------

  private process(final: boolean): void {
    const { view, vs } = this.views.next();
    const ve = vs + view.length;
    this.hits.search(view, vs);

    while (this.pos < ve) {
      switch (this.mode) {
        case 'raw':
          this.parseRaw(view, vs, final);
          break;
        case 'json': {
          const i = this.tok.run(view, vs, this.pos - vs);
          if (this.mode === 'json') this.pos = vs + i;
          break;
        }
        case 'skip':
          this.skipUnit(view, vs);
          break;
        case 'delegate':
          this.delegate(view, vs);
          break;
        case 'stopped':
          this.pos = ve;
      }
    }

    if (final) {
      this.finish(view, vs);
      return;
    }
    const nextStart = ve - Math.min(TAIL, view.length);
    if (this.capture) {
      this.tok.viewEnds(view, vs);
      this.capture.piece(view, vs, this.cutAt(view, vs, this.capture.from, nextStart), this.hits, this.tracker);
    }
    if (this.mode === 'raw') this.rawPiece(view, vs, this.cutAt(view, vs, this.rawFrom, nextStart));
    if (this.mode === 'skip') this.retainPiece(view, vs);
    this.tracker.advance(view, vs, Math.min(nextStart, this.capture?.from ?? Infinity, this.mode === 'raw' ? this.rawFrom : Infinity));
    this.views.keep(view, nextStart - vs);
  }

  /** Where a piece ending near the view's end may stop without cutting a key in two (escaped ones too: `sess%2D…`). */
  private cutAt(view: Buffer, vs: number, from: number, nextStart: number): number {
    const low = Math.max(from, nextStart) - vs;
    for (let k = view.length - 1; k >= low; k--) if (!inEscapedRun(view[k]!)) return vs + k + 1;
    return vs + low;
  }

  private finish(view: Buffer, vs: number): void {
    const ve = vs + view.length;
    switch (this.mode) {
      case 'skip': {
        const u = this.unit!;
        const sub = this.subFor(u);
        for (const p of u.retained) sub.write(p);
        sub.write(view.subarray(u.retainFrom - vs));
        sub.end();
        this.hits.within(u.start, ve);
        this.units.push(sub.asUnit(u.path));
        this.unit = undefined;
        this.mode = 'json';
        return;
      }
      case 'delegate': {
        const sub = this.sub!;
        sub.end();
        this.hits.within(this.unit!.start, ve);
        this.units.push(sub.asUnit(this.unit!.path));
        this.sub = undefined;
        this.unit = undefined;
        this.mode = 'json';
        return;
      }
      case 'raw':
        this.rawPiece(view, vs, ve);
        if (this.seek && this.hits.count > 0) this.problem(view, vs, this.rawFrom, 'the embedded conversation data was not found');
        return;
      case 'json':
        this.tok.end(view, vs);
        return;
      case 'stopped':
        return;
    }
  }

  private problem(view: Buffer, vs: number, at: number, message: string): void {
    const p = this.tracker.at(view, vs, Math.max(at, this.tracker.cursor));
    this.problems.push({ message, line: p.line, column: p.column });
  }

  // ---- raw text ------------------------------------------------------------------------------

  private enterRaw(at: number): void {
    this.mode = 'raw';
    this.seek = undefined;
    this.rawFrom = at;
    this.pos = at;
  }

  /** Look for `startAfter`'s marker, an optional `=`, then the `[` or `{` where the JSON begins. */
  private parseRaw(view: Buffer, vs: number, final: boolean): void {
    const ve = vs + view.length;
    const seek = this.seek;
    if (!seek) {
      this.pos = ve;
      return;
    }
    for (;;) {
      const k = view.indexOf(seek, Math.max(this.seekFrom, vs) - vs);
      if (k === -1) {
        this.seekFrom = Math.max(vs, ve - seek.length + 1);
        this.pos = ve;
        return;
      }
      let i = k + seek.length;
      while (i < view.length && isWhitespace(view[i]!)) i++;
      if (view[i] === 0x3d /* = */) {
        i++;
        while (i < view.length && isWhitespace(view[i]!)) i++;
      }
      if (i >= view.length) {
        // the value starts in the next view, which carries this view's tail
        this.seekFrom = final ? ve : vs + k;
        this.pos = ve;
        return;
      }
      const c = view[i];
      if (c !== 0x5b && c !== 0x7b) {
        this.seekFrom = vs + k + 1;
        continue;
      }
      this.rawPiece(view, vs, vs + k);
      this.seek = undefined;
      this.mode = 'json';
      this.pos = vs + i;
      return;
    }
  }

  /** Hand on the raw text up to `cut` if it holds a hit. */
  private rawPiece(view: Buffer, vs: number, cut: number): void {
    const a = this.rawFrom;
    if (cut <= a) return;
    if (this.hits.within(a, cut)) {
      const p = this.tracker.at(view, vs, a);
      this.raw.push({ start: a, line: p.line, column: p.column, bytes: Buffer.from(view.subarray(a - vs, cut - vs)) });
    }
    this.rawFrom = cut;
  }

  // ---- what the tokenizer meets --------------------------------------------------------------

  private listener(): JsonListener {
    return {
      take: (view, vs, i) => this.take(view, vs, i),
      open: (array) => this.values.open(array, this.tok.key),
      close: () => this.values.close(),
      string: (view, vs, s, j, key) => this.shortString(view, vs, s, j, key),
      stringStart: (view, vs, s, key) => {
        const p = this.tracker.at(view, vs, vs + s);
        this.capture = new StringCapture(vs + s, key, p.line, p.column, this.limits.wholeString);
      },
      stringEnd: (view, vs, end) => this.endString(view, vs, end),
      literal: (v) => this.values.add(this.values.building ? v : undefined, this.tok.key),
      rootEnd: (after) => {
        if (this.opts.afterRoot !== 'stop') return false;
        this.mode = 'stopped';
        this.stoppedAt = after;
        this.pos = after;
        return true;
      },
      trailing: (_view, vs, i) => this.enterRaw(vs + i),
      invalid: (view, vs, at, message) => {
        this.problem(view, vs, at, message);
        this.values.reset();
        this.enterRaw(at);
      },
      problem: (view, vs, at, message) => this.problem(view, vs, at, message),
    };
  }

  private hitPath(key: boolean, raw: Uint8Array): PathSeg[] {
    const path = this.tok.path(key);
    if (key) path.push(decodeJsonString(raw.subarray(0, 1024)));
    return path;
  }

  /** A string that starts and ends in this view: the common case, no copies unless it holds a hit. */
  private shortString(view: Buffer, vs: number, s: number, j: number, key: boolean): void {
    if (this.hits.within(vs + s, vs + j)) {
      const p = this.tracker.at(view, vs, vs + s);
      const bytes = Buffer.from(view.subarray(s, j));
      this.strings.push({ path: this.hitPath(key, bytes), key, whole: true, slices: [{ start: vs + s, line: p.line, column: p.column, bytes }] });
    }
    if (!key) this.values.add(this.values.building ? decodeElided(view.subarray(s, j)) : undefined, this.tok.key);
  }

  /** A string that spanned views is complete (`end` undefined: the file ended inside it). */
  private endString(view: Buffer, vs: number, end: number | undefined): Uint8Array {
    const c = this.capture!;
    this.capture = undefined;
    c.piece(view, vs, end ?? vs + view.length, this.hits, this.tracker);
    const got = c.end();
    if (got.slices.length > 0) this.strings.push({ path: this.hitPath(c.key, got.head), key: c.key, whole: got.whole, slices: got.slices });
    if (end !== undefined && !c.key) {
      const text = () => (got.content ? decodeElided(got.content) : `${decodeJsonString(got.head.subarray(0, 200))}…`);
      this.values.add(this.values.building ? text() : undefined, this.tok.key);
    }
    return got.head;
  }

  // ---- units ---------------------------------------------------------------------------------

  /** A unit starts at view[i] when its path says so: skip it, keeping its bytes. */
  private take(view: Buffer, vs: number, i: number): boolean {
    const isUnit = this.opts.isUnit;
    if (!isUnit || this.tok.depth >= (this.opts.unitDepth ?? 6)) return false;
    const path = this.tok.path();
    if (!isUnit(path)) return false;
    const start = vs + i;
    this.unit = new UnitSkip(start, path, this.tracker.stateAt(view, vs, start));
    this.mode = 'skip';
    this.pos = start;
    return true;
  }

  private subFor(u: UnitSkip): JsonScanner {
    const { needles, splitTraces } = this.opts;
    return new JsonScanner({ needles, splitTraces, build: true, afterRoot: 'stop', pathPrefix: u.path, origin: u.snap, limits: this.limits });
  }

  private skipUnit(view: Buffer, vs: number): void {
    const end = this.unit!.scan(view, this.pos - vs);
    if (end === -1) this.pos = vs + view.length;
    else this.endUnit(view, vs, end);
  }

  /** The unit closed before view[endIdx]: read it again when it holds a hit. */
  private endUnit(view: Buffer, vs: number, endIdx: number): void {
    const u = this.unit!;
    const end = vs + endIdx;
    this.unit = undefined;
    this.mode = 'json';
    this.pos = end;
    if (this.hits.within(u.start, end)) {
      const sub = this.subFor(u);
      for (const p of u.retained) sub.write(p);
      sub.write(view.subarray(u.retainFrom - vs, endIdx));
      sub.end();
      this.units.push(sub.asUnit(u.path));
    }
    this.unitDone(end);
  }

  private unitDone(end: number): void {
    this.values.skipped();
    this.tok.valueEnd(end);
  }

  private retainPiece(view: Buffer, vs: number): void {
    const u = this.unit!;
    u.retain(view, vs);
    if (u.retainedBytes <= this.limits.retainUnit) return;
    // Too large to keep: parse the rest of this unit live, building its value with long strings cut.
    const sub = this.subFor(u);
    for (const p of u.retained) {
      sub.write(p);
      sub.pump();
    }
    u.retained = [];
    this.sub = sub;
    this.mode = 'delegate';
    this.checkDelegateDone();
  }

  private delegate(view: Buffer, vs: number): void {
    const sub = this.sub!;
    sub.write(view.subarray(this.pos - vs));
    sub.pump();
    this.pos = vs + view.length;
    this.checkDelegateDone();
  }

  private checkDelegateDone(): void {
    const sub = this.sub!;
    if (sub.stoppedAt === undefined) return;
    const u = this.unit!;
    this.hits.within(u.start, sub.stoppedAt);
    this.units.push(sub.asUnit(u.path));
    this.sub = undefined;
    this.unit = undefined;
    this.mode = 'json';
    this.pos = sub.stoppedAt;
    this.unitDone(sub.stoppedAt);
  }
}
