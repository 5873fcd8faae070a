// A streaming JSON scanner over raw bytes, for files larger than any string V8 can hold (a ChatGPT
// export of a gigabyte is one line). The prefilter's needle hits decide what is looked at closely:
// strings without a hit are stepped over with native searches, and "units" (one conversation, one
// message) without a hit are skipped whole, depth-counting only. A unit that holds a hit is read
// again from memory (or, when huge, live) to build its value, so that a reader can name the
// conversation and message a key sits in. Offsets are file offsets and the text handed on is the
// file's own bytes, so line and column are exact and nothing the prefilter saw is lost: a hit the
// parser cannot place (invalid JSON, text around `chat.html`'s data) comes back as a raw slice.
import { isKeyChar } from '../../engine/detect.js';
import { decodeElided, decodeJsonString, type PathSeg } from './json-text.js';
import { FILE_START, LineTracker, type TrackerState } from './line-tracker.js';

export type { PathSeg } from './json-text.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Bytes of the file starting at `start` (line and column of that first byte). */
export interface RawSlice {
  start: number;
  line: number;
  column: number;
  bytes: Buffer;
}

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

export interface JsonScanOptions {
  needles: readonly string[];
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
}

/** Sizes that bound memory; tests lower them to reach the large-file paths with small files. */
export const SCAN_LIMITS = {
  /** bytes processed at once */
  view: 1 << 20,
  /** a string with a hit is kept whole up to this size (JSON inside it can then be parsed) */
  wholeString: 8 << 20,
  /** a unit with a hit is re-read from memory up to this size; larger ones are parsed live */
  retainUnit: 64 << 20,
};
/** Bytes of one view carried into the next: a needle or a key split by the boundary is whole there. */
const TAIL = 4096;
const NODE_MAX = 1_000_000;

const RAW = 0;
const STRUCT = 1;
const LIGHT = 2;
const DELEGATE = 3;
const STOPPED = 4;

const E_VALUE = 0;
const E_VALUE_OR_CLOSE = 1;
const E_KEY = 2;
const E_KEY_OR_CLOSE = 3;
const E_COLON = 4;
const E_COMMA_OR_CLOSE = 5;
const E_DONE = 6;

const SKIPPED = Symbol('unit');
type Built = JsonValue | undefined | typeof SKIPPED;

interface Frame {
  array: boolean;
  key: string | undefined;
  index: number;
  value: JsonValue[] | { [key: string]: JsonValue } | undefined;
}

interface OpenString {
  start: number;
  key: boolean;
  line: number;
  column: number;
  pieceFrom: number;
  /** where the search for the closing quote started in the current view */
  scanFrom: number;
  /** the first byte of the next view is escaped */
  escaped: boolean;
  pieces: Buffer[];
  length: number;
  hit: boolean;
  long: boolean;
  slices: RawSlice[];
  head: Buffer | undefined;
}

interface OpenUnit {
  start: number;
  path: PathSeg[];
  snap: TrackerState;
  depth: number;
  inString: boolean;
  escaped: boolean;
  retained: Buffer[];
  retainedBytes: number;
  retainFrom: number;
}

const EMPTY = Buffer.alloc(0);

/** Index of the unescaped `"` at or after i, or -1. The byte at i is not escaped. */
function closingQuote(view: Buffer, i: number): number {
  let j = view.indexOf(0x22, i);
  while (j !== -1) {
    let k = j - 1;
    while (k >= i && view[k] === 0x5c) k--;
    if ((j - 1 - k) % 2 === 0) return j;
    j = view.indexOf(0x22, j + 1);
  }
  return -1;
}

/** The view ends in the middle of an escape (an odd run of backslashes back to `from`). */
function endsEscaped(view: Buffer, from: number): boolean {
  let k = view.length - 1;
  while (k >= from && view[k] === 0x5c) k--;
  return (view.length - 1 - k) % 2 === 1;
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isLiteralByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x45;
}

function literalValue(text: string): JsonValue | undefined {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return Number(text);
  return undefined;
}

function describeByte(c: number): string {
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

export class JsonScanner {
  readonly strings: HitString[] = [];
  readonly units: UnitHit[] = [];
  readonly raw: RawSlice[] = [];
  readonly problems: ScanProblem[] = [];
  /** needle hits seen: a reader notes problems only in files that held something */
  hitCount = 0;
  /** file offset just after the root value, once `afterRoot: 'stop'` stopped there */
  stoppedAt: number | undefined;

  private readonly opts: JsonScanOptions;
  private readonly needles: Buffer[];
  private readonly maxNeedle: number;
  private readonly tracker: LineTracker;
  private readonly prefix: readonly PathSeg[];
  private readonly unitDepth: number;

  private mode: number;
  private expect = E_VALUE;
  private readonly stack: Frame[] = [];
  private root: Built;
  private rootDone = false;
  private nodes = 0;

  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private tail: Buffer = EMPTY;
  /** file offset after the last byte processed */
  private consumed: number;
  private readonly firstByte: number;
  private pos: number;

  private hits: number[] = [];
  private hitHead = 0;
  private lastHit = -1;
  /** file offset the needle search has covered */
  private lastSearched = -Infinity;

  private str: OpenString | undefined;
  private lit: string | undefined;
  private rawFrom = 0;
  private seek: Buffer | undefined;
  private seekFrom = 0;
  private unit: OpenUnit | undefined;
  private sub: JsonScanner | undefined;

  constructor(opts: JsonScanOptions) {
    this.opts = opts;
    this.needles = opts.needles.map((n) => Buffer.from(n, 'latin1'));
    this.maxNeedle = Math.max(1, ...this.needles.map((n) => n.length));
    const origin = opts.origin ?? FILE_START;
    this.tracker = new LineTracker(origin);
    this.consumed = origin.cursor;
    this.firstByte = origin.cursor;
    this.pos = origin.cursor;
    this.prefix = opts.pathPrefix ?? [];
    this.unitDepth = opts.unitDepth ?? 6;
    if (opts.startAfter) {
      this.mode = RAW;
      this.seek = Buffer.from(opts.startAfter, 'latin1');
      this.rawFrom = this.pos;
    } else {
      this.mode = STRUCT;
    }
  }

  write(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= SCAN_LIMITS.view) this.process(false);
  }

  /** Process what was written, however little. */
  pump(): void {
    if (this.pendingBytes > 0) this.process(false);
  }

  end(): void {
    this.process(true);
  }

  /** The value built so far (partial when the input ended early). */
  value(): JsonValue | undefined {
    if (this.rootDone) return this.root === SKIPPED ? undefined : this.root;
    return this.stack[0]?.value;
  }

  /** Results gathered since the last call. */
  drain(): { strings: HitString[]; units: UnitHit[]; raw: RawSlice[]; problems: ScanProblem[] } {
    const out = { strings: this.strings.splice(0), units: this.units.splice(0), raw: this.raw.splice(0), problems: this.problems.splice(0) };
    return out;
  }

  asUnit(path: PathSeg[]): UnitHit {
    return { path, value: this.value(), strings: this.strings.splice(0), raw: this.raw.splice(0), problems: this.problems.splice(0) };
  }

  // ---- views and hits ------------------------------------------------------------------------

  private process(final: boolean): void {
    let view: Buffer;
    if (this.tail.length === 0 && this.pending.length === 1) view = this.pending[0]!;
    else view = Buffer.concat([this.tail, ...this.pending]);
    const vs = this.consumed - this.tail.length;
    this.consumed += this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    const ve = this.consumed;
    this.findHits(view, vs);

    while (this.pos < ve) {
      switch (this.mode) {
        case RAW:
          this.parseRaw(view, vs, final);
          break;
        case STRUCT:
          this.parseStruct(view, vs);
          break;
        case LIGHT:
          this.parseLight(view, vs);
          break;
        case DELEGATE:
          this.parseDelegate(view, vs);
          break;
        default:
          this.pos = ve;
      }
    }

    if (final) {
      this.finish(view, vs);
      return;
    }
    const nextStart = ve - Math.min(TAIL, view.length);
    if (this.str) {
      this.str.escaped = endsEscaped(view, this.str.scanFrom - vs);
      this.stringPiece(view, vs, this.cutAt(view, vs, this.str.pieceFrom, nextStart));
    }
    if (this.mode === RAW) this.rawPiece(view, vs, this.cutAt(view, vs, this.rawFrom, nextStart));
    if (this.mode === LIGHT) this.retainPiece(view, vs);
    this.tracker.advance(view, vs, Math.min(nextStart, this.str?.pieceFrom ?? Infinity, this.mode === RAW ? this.rawFrom : Infinity));
    this.tail = view.subarray(nextStart - vs);
  }

  private findHits(view: Buffer, vs: number): void {
    const from = Math.max(0, this.lastSearched - (this.maxNeedle - 1) - vs);
    const found: number[] = [];
    for (const n of this.needles) {
      for (let i = view.indexOf(n, from); i !== -1; i = view.indexOf(n, i + 1)) {
        if (vs + i > this.lastHit) found.push(vs + i);
      }
    }
    this.lastSearched = vs + view.length;
    if (found.length === 0) return;
    found.sort((a, b) => a - b);
    if (this.hitHead > 4096) {
      this.hits = this.hits.slice(this.hitHead);
      this.hitHead = 0;
    }
    for (const h of found) {
      if (h === this.lastHit) continue;
      this.hits.push(h);
      this.lastHit = h;
      this.hitCount++;
    }
  }

  /** Whether a hit lies in [a, b); hits before b are used up. */
  private hasHit(a: number, b: number): boolean {
    const hits = this.hits;
    let h = this.hitHead;
    while (h < hits.length && hits[h]! < a) h++;
    const found = h < hits.length && hits[h]! < b;
    while (h < hits.length && hits[h]! < b) h++;
    this.hitHead = h;
    return found;
  }

  /** Where a piece ending near the view's end may stop without cutting a key in two. */
  private cutAt(view: Buffer, vs: number, from: number, nextStart: number): number {
    const low = Math.max(from, nextStart) - vs;
    for (let k = view.length - 1; k >= low; k--) if (!isKeyChar(view[k]!)) return vs + k + 1;
    return vs + low;
  }

  private finish(view: Buffer, vs: number): void {
    const ve = vs + view.length;
    if (this.mode === LIGHT) {
      const u = this.unit!;
      const sub = this.subFor(u);
      for (const p of u.retained) sub.write(p);
      sub.write(view.subarray(u.retainFrom - vs));
      sub.end();
      this.hasHit(u.start, ve);
      this.units.push(sub.asUnit(u.path));
      this.unit = undefined;
      this.mode = STRUCT;
      return;
    }
    if (this.mode === DELEGATE) {
      const sub = this.sub!;
      sub.end();
      this.hasHit(this.unit!.start, ve);
      this.units.push(sub.asUnit(this.unit!.path));
      this.sub = undefined;
      this.unit = undefined;
      this.mode = STRUCT;
      return;
    }
    if (this.mode === RAW) {
      this.rawPiece(view, vs, ve);
      if (this.seek && this.hitCount > 0) this.problem(view, vs, this.rawFrom, 'the embedded conversation data was not found');
      return;
    }
    if (this.mode !== STRUCT) return;
    if (this.str) {
      const s = this.str;
      this.stringPiece(view, vs, ve);
      this.str = undefined;
      this.problem(view, vs, ve, `the file ends inside a string at ${this.describePath(s.key)}`);
      this.emitString(s, undefined);
      return;
    }
    if (this.lit !== undefined) this.endLiteral(view, vs, ve);
    if (this.stack.length > 0) this.problem(view, vs, ve, `the file ends inside ${this.describePath(false)} (truncated?)`);
    else if (!this.rootDone && this.consumed > this.firstByte) this.problem(view, vs, ve, 'no JSON value found');
  }

  private describePath(key: boolean): string {
    const p = this.currentPath(key);
    return p.length === 0 ? 'the top-level value' : p.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '');
  }

  private problem(view: Buffer, vs: number, at: number, message: string): void {
    const p = this.tracker.at(view, vs, Math.max(at, this.tracker.cursor));
    this.problems.push({ message, line: p.line, column: p.column });
  }

  // ---- raw text ------------------------------------------------------------------------------

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
      this.mode = STRUCT;
      this.expect = E_VALUE;
      this.pos = vs + i;
      return;
    }
  }

  private rawPiece(view: Buffer, vs: number, cut: number): void {
    const a = this.rawFrom;
    if (cut <= a) return;
    if (this.hasHit(a, cut)) {
      const p = this.tracker.at(view, vs, a);
      this.raw.push({ start: a, line: p.line, column: p.column, bytes: Buffer.from(view.subarray(a - vs, cut - vs)) });
    }
    this.rawFrom = cut;
  }

  private fail(view: Buffer, vs: number, i: number, message: string): void {
    this.problem(view, vs, vs + i, message);
    this.mode = RAW;
    this.seek = undefined;
    this.rawFrom = vs + i;
    this.pos = vs + i;
    this.stack.length = 0;
    this.str = undefined;
    this.lit = undefined;
  }

  // ---- structure -----------------------------------------------------------------------------

  private currentPath(key = false): PathSeg[] {
    const path: PathSeg[] = [...this.prefix];
    const n = this.stack.length;
    for (let d = 0; d < n; d++) {
      const f = this.stack[d]!;
      if (f.array) path.push(f.index);
      else if (f.key !== undefined && (d < n - 1 || !key)) path.push(f.key);
    }
    return path;
  }

  private get building(): boolean {
    return this.opts.build === true && this.nodes < NODE_MAX;
  }

  private parseStruct(view: Buffer, vs: number): void {
    let i = this.pos - vs;
    const n = view.length;
    if (this.pos === this.firstByte && view[i] === 0xef && view[i + 1] === 0xbb && view[i + 2] === 0xbf) i += 3;
    while (i < n && this.mode === STRUCT) {
      if (this.str) {
        i = this.continueString(view, vs, i);
        continue;
      }
      if (this.lit !== undefined) {
        i = this.continueLiteral(view, vs, i);
        continue;
      }
      const c = view[i]!;
      if (isWhitespace(c)) {
        i++;
        continue;
      }
      switch (this.expect) {
        case E_VALUE_OR_CLOSE:
          i = c === 0x5d ? this.close(view, vs, i, true) : this.beginValue(view, vs, i, c);
          break;
        case E_VALUE:
          i = this.beginValue(view, vs, i, c);
          break;
        case E_KEY_OR_CLOSE:
          if (c === 0x7d) i = this.close(view, vs, i, false);
          else if (c === 0x22) i = this.beginString(view, vs, i, true);
          else this.fail(view, vs, i, `not valid JSON: expected a property name, found ${describeByte(c)}`);
          break;
        case E_KEY:
          if (c === 0x22) i = this.beginString(view, vs, i, true);
          else this.fail(view, vs, i, `not valid JSON: expected a property name, found ${describeByte(c)}`);
          break;
        case E_COLON:
          if (c === 0x3a) {
            this.expect = E_VALUE;
            i++;
          } else this.fail(view, vs, i, `not valid JSON: expected ':', found ${describeByte(c)}`);
          break;
        case E_COMMA_OR_CLOSE: {
          const top = this.stack[this.stack.length - 1]!;
          if (c === 0x2c) {
            if (top.array) {
              top.index++;
              this.expect = E_VALUE;
            } else this.expect = E_KEY;
            i++;
          } else if (c === (top.array ? 0x5d : 0x7d)) i = this.close(view, vs, i, top.array);
          else this.fail(view, vs, i, `not valid JSON: expected ',' or '${top.array ? ']' : '}'}', found ${describeByte(c)}`);
          break;
        }
        default:
          this.afterRootByte(view, vs, i, c);
          return;
      }
    }
    if (this.mode === STRUCT) this.pos = vs + i;
  }

  private afterRootByte(view: Buffer, vs: number, i: number, c: number): void {
    if (this.opts.afterRoot === 'raw') {
      this.mode = RAW;
      this.rawFrom = vs + i;
      this.pos = vs + i;
    } else {
      this.fail(view, vs, i, `not valid JSON: unexpected ${describeByte(c)} after the end of the data`);
    }
  }

  private beginValue(view: Buffer, vs: number, i: number, c: number): number {
    if ((c === 0x7b || c === 0x5b) && this.opts.isUnit && this.stack.length < this.unitDepth) {
      const path = this.currentPath();
      if (this.opts.isUnit(path)) {
        this.startUnit(view, vs, i, path);
        return i;
      }
    }
    if (c === 0x7b || c === 0x5b) {
      const array = c === 0x5b;
      const value = this.building ? (array ? [] : (Object.create(null) as { [key: string]: JsonValue })) : undefined;
      this.nodes++;
      // attached now, not when closed: a file that ends inside it still shows what was read
      if (value) this.attach(value);
      this.stack.push({ array, key: undefined, index: 0, value });
      this.expect = array ? E_VALUE_OR_CLOSE : E_KEY_OR_CLOSE;
      return i + 1;
    }
    if (c === 0x22) return this.beginString(view, vs, i, false);
    if (isLiteralByte(c)) {
      this.lit = '';
      return this.continueLiteral(view, vs, i);
    }
    this.fail(view, vs, i, `not valid JSON: expected a value, found ${describeByte(c)}`);
    return i;
  }

  private close(view: Buffer, vs: number, i: number, array: boolean): number {
    const f = this.stack.pop()!;
    if (f.array !== array) {
      this.fail(view, vs, i, 'not valid JSON: mismatched bracket');
      return i;
    }
    this.valueDone(f.value, vs + i + 1, true);
    return i + 1;
  }

  private attach(v: JsonValue): void {
    const top = this.stack[this.stack.length - 1];
    if (!top?.value) return;
    if (Array.isArray(top.value)) top.value.push(v);
    else if (top.key !== undefined) top.value[top.key] = v;
  }

  private valueDone(v: Built, after: number, attached = false): void {
    if (v !== SKIPPED && v !== undefined && !attached) this.nodes++;
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      this.root = v;
      this.rootDone = true;
      this.expect = E_DONE;
      if (this.opts.afterRoot === 'stop') {
        this.mode = STOPPED;
        this.stoppedAt = after;
        this.pos = after;
      }
      return;
    }
    if (v !== SKIPPED && v !== undefined && !attached) this.attach(v);
    this.expect = E_COMMA_OR_CLOSE;
  }

  private continueLiteral(view: Buffer, vs: number, i: number): number {
    let j = i;
    while (j < view.length && isLiteralByte(view[j]!)) j++;
    this.lit += view.toString('latin1', i, j);
    if (j < view.length) this.endLiteral(view, vs, vs + j);
    return j;
  }

  private endLiteral(view: Buffer, vs: number, at: number): void {
    const text = this.lit ?? '';
    this.lit = undefined;
    const v = literalValue(text);
    if (v === undefined) {
      this.fail(view, vs, Math.max(0, at - vs - text.length), `not valid JSON: unexpected '${text.slice(0, 20)}'`);
      return;
    }
    this.valueDone(this.building ? v : undefined, at);
  }

  // ---- strings -------------------------------------------------------------------------------

  private beginString(view: Buffer, vs: number, i: number, key: boolean): number {
    const s = i + 1;
    const j = closingQuote(view, s);
    if (j !== -1) {
      this.shortString(view, vs, s, j, key);
      return j + 1;
    }
    const p = this.tracker.at(view, vs, vs + s);
    this.str = {
      start: vs + s,
      key,
      line: p.line,
      column: p.column,
      pieceFrom: vs + s,
      scanFrom: vs + s,
      escaped: false,
      pieces: [],
      length: 0,
      hit: false,
      long: false,
      slices: [],
      head: undefined,
    };
    return view.length;
  }

  /** A string that starts and ends in this view: the common case, no copies unless it holds a hit. */
  private shortString(view: Buffer, vs: number, s: number, j: number, key: boolean): void {
    if (this.hasHit(vs + s, vs + j)) {
      const p = this.tracker.at(view, vs, vs + s);
      const bytes = Buffer.from(view.subarray(s, j));
      this.strings.push({ path: this.hitPath(key, bytes), key, whole: true, slices: [{ start: vs + s, line: p.line, column: p.column, bytes }] });
    }
    if (key) this.setKey(decodeJsonString(view.subarray(s, Math.min(j, s + 1024))));
    else this.valueDone(this.building ? decodeElided(view.subarray(s, j)) : undefined, vs + j + 1);
  }

  private hitPath(key: boolean, raw: Buffer | undefined): PathSeg[] {
    const path = this.currentPath(key);
    if (key) path.push(raw ? decodeJsonString(raw.subarray(0, 1024)) : '?');
    return path;
  }

  private setKey(name: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top) top.key = name;
    this.expect = E_COLON;
  }

  private continueString(view: Buffer, vs: number, i: number): number {
    const s = this.str!;
    let from = i;
    if (s.escaped) {
      s.escaped = false;
      from++;
      if (from >= view.length) return view.length;
    }
    s.scanFrom = vs + from;
    const j = closingQuote(view, from);
    if (j === -1) return view.length;
    this.stringPiece(view, vs, vs + j);
    this.str = undefined;
    this.emitString(s, vs + j + 1);
    return j + 1;
  }

  /** Take the string's bytes up to `cut`: whole while short, else only the pieces holding a hit. */
  private stringPiece(view: Buffer, vs: number, cut: number): void {
    const s = this.str!;
    const a = s.pieceFrom;
    if (cut <= a) return;
    const hit = this.hasHit(a, cut);
    const piece = view.subarray(a - vs, cut - vs);
    if (!s.head) s.head = Buffer.from(piece.subarray(0, 256));
    if (!s.long) {
      s.pieces.push(Buffer.from(piece));
      s.length += piece.length;
      s.hit ||= hit;
      if (s.length > SCAN_LIMITS.wholeString) {
        s.long = true;
        if (s.hit) s.slices.push({ start: s.start, line: s.line, column: s.column, bytes: Buffer.concat(s.pieces) });
        s.pieces = [];
      }
    } else if (hit) {
      const p = this.tracker.at(view, vs, a);
      s.slices.push({ start: a, line: p.line, column: p.column, bytes: Buffer.from(piece) });
    }
    s.pieceFrom = cut;
  }

  /** A string that spanned views is complete (`after` undefined: the file ended inside it). */
  private emitString(s: OpenString, after: number | undefined): void {
    const whole = s.long ? undefined : Buffer.concat(s.pieces);
    if (whole && s.hit) {
      this.strings.push({ path: this.hitPath(s.key, whole), key: s.key, whole: true, slices: [{ start: s.start, line: s.line, column: s.column, bytes: whole }] });
    } else if (s.slices.length > 0) {
      this.strings.push({ path: this.hitPath(s.key, s.head), key: s.key, whole: false, slices: s.slices });
    }
    if (after === undefined) return;
    const text = whole ?? s.head ?? EMPTY;
    if (s.key) this.setKey(decodeJsonString(text.subarray(0, 1024)));
    else this.valueDone(this.building ? (whole ? decodeElided(whole) : `${decodeJsonString(text.subarray(0, 200))}…`) : undefined, after);
  }

  // ---- units ---------------------------------------------------------------------------------

  private startUnit(view: Buffer, vs: number, i: number, path: PathSeg[]): void {
    const start = vs + i;
    this.unit = {
      start,
      path,
      snap: this.tracker.stateAt(view, vs, start),
      depth: 0,
      inString: false,
      escaped: false,
      retained: [],
      retainedBytes: 0,
      retainFrom: start,
    };
    this.mode = LIGHT;
    this.pos = start;
  }

  private subFor(u: OpenUnit): JsonScanner {
    return new JsonScanner({ needles: this.opts.needles, build: true, afterRoot: 'stop', pathPrefix: u.path, origin: u.snap });
  }

  /** Depth counting only: brackets outside strings; strings stepped over with native searches. */
  private parseLight(view: Buffer, vs: number): void {
    const u = this.unit!;
    const n = view.length;
    let i = this.pos - vs;
    let d = u.depth;
    if (u.inString) {
      if (u.escaped) i++;
      u.escaped = false;
      const j = i < n ? closingQuote(view, i) : -1;
      if (j === -1) {
        u.escaped = i < n && endsEscaped(view, i);
        this.pos = vs + n;
        return;
      }
      u.inString = false;
      i = j + 1;
    }
    while (i < n) {
      const c = view[i]!;
      if (c === 0x22) {
        const j = closingQuote(view, i + 1);
        if (j === -1) {
          u.inString = true;
          u.escaped = endsEscaped(view, i + 1);
          u.depth = d;
          this.pos = vs + n;
          return;
        }
        i = j + 1;
        continue;
      }
      if (c === 0x7b || c === 0x5b) d++;
      else if (c === 0x7d || c === 0x5d) {
        d--;
        if (d === 0) {
          this.endUnit(view, vs, i + 1);
          return;
        }
      }
      i++;
    }
    u.depth = d;
    this.pos = vs + n;
  }

  private endUnit(view: Buffer, vs: number, endIdx: number): void {
    const u = this.unit!;
    const end = vs + endIdx;
    this.unit = undefined;
    this.mode = STRUCT;
    this.pos = end;
    if (this.hasHit(u.start, end)) {
      const sub = this.subFor(u);
      for (const p of u.retained) sub.write(p);
      sub.write(view.subarray(u.retainFrom - vs, endIdx));
      sub.end();
      this.units.push(sub.asUnit(u.path));
    }
    this.valueDone(SKIPPED, end);
  }

  private retainPiece(view: Buffer, vs: number): void {
    const u = this.unit!;
    const piece = view.subarray(u.retainFrom - vs);
    u.retained.push(piece);
    u.retainedBytes += piece.length;
    u.retainFrom = vs + view.length;
    if (u.retainedBytes <= SCAN_LIMITS.retainUnit) return;
    // Too large to keep: parse the rest of this unit live, building its value with long strings cut.
    const sub = this.subFor(u);
    for (const p of u.retained) {
      sub.write(p);
      sub.pump();
    }
    u.retained = [];
    this.sub = sub;
    this.mode = DELEGATE;
    this.checkDelegateDone();
  }

  private parseDelegate(view: Buffer, vs: number): void {
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
    this.hasHit(u.start, sub.stoppedAt);
    this.units.push(sub.asUnit(u.path));
    this.sub = undefined;
    this.unit = undefined;
    this.mode = STRUCT;
    this.pos = sub.stoppedAt;
    this.valueDone(SKIPPED, sub.stoppedAt);
  }
}
