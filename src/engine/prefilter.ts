// The cheap first look: most buffers carry no key and must cost as little as reading them.
//
// The needles: the marker, `sess-` (also followed by the start of an escape: `sess%2D`, `sess\u002d`,
// `sess&#45;`), the marker and `sess-` as they look inside base64 (three alignments each), the user's
// own keys' prefixes, and `sk-` for keys split across lines (joined.ts's trace: an `sk-` run that stops
// at a line break or a concatenation). One native search per needle was one pass over every byte per
// needle, and each new decoder added one. Now all of them are found in a single pass: in WebAssembly
// SIMD (needle-scan.ts), which costs about what one native search costs, or where that is missing in
// JavaScript (Wu-Manber: a table of two-byte blocks says how far the window may jump), which costs about
// two, plus a native search for `sk-`, since a three-byte needle would halve every jump of that pass.
import { MARKER, SESSION_PREFIX } from './rules.js';
import { ENCODED_MARKERS, ENCODED_SESSION_STARTS } from './decode.js';
import type { OwnKeyIndex } from './own-keys.js';
import { hasSplitTrace, splitTraceAt } from './joined.js';
import { NeedleScan } from './needle-scan.js';

const BASE_NEEDLES: readonly string[] = [MARKER, SESSION_PREFIX, ...ENCODED_MARKERS, ...ENCODED_SESSION_STARTS];

export function needlesFor(ownKeys?: OwnKeyIndex): string[] {
  return ownKeys && ownKeys.size > 0 ? [...BASE_NEEDLES, ...ownKeys.needles] : [...BASE_NEEDLES];
}

/** `sess`: the session prefix without its dash. */
export const SESSION_STEM = SESSION_PREFIX.slice(0, -1);
/** What may follow `sess` in a session key: the dash, or the first character of an escaped dash. */
export const SESSION_ENDS: readonly string[] = ['-', '%', '\\', '&'];
const SESSION_END_CODES = new Set(SESSION_ENDS.map((e) => e.charCodeAt(0)));

/** `sess` at `i` followed by `-`, or by `%`, `\` or `&` (the escapes unescape.ts decodes: `sess%2D`, `sess\u002d`, `sess&#45;`). */
export function sessionStartAt(data: Uint8Array | string, i: number): boolean {
  const at = i + SESSION_STEM.length;
  return SESSION_END_CODES.has(typeof data === 'string' ? data.charCodeAt(at) : (data[at] ?? -1));
}

function hasSessionStart(data: Buffer | string): boolean {
  for (let i = data.indexOf(SESSION_STEM); i >= 0; i = data.indexOf(SESSION_STEM, i + SESSION_STEM.length)) if (sessionStartAt(data, i)) return true;
  return false;
}

/** The needles as bytes for a pass over bytes: `sess-` as `sess` followed by each of SESSION_ENDS. */
function needleBytes(needles: readonly string[]): Uint8Array[] {
  return needles.flatMap((n) => (n === SESSION_PREFIX ? SESSION_ENDS.map((e) => SESSION_STEM + e) : [n])).map((n) => new Uint8Array(Buffer.from(n, 'latin1')));
}

/** Every needle of a set, found in one pass over bytes. */
class OnePass {
  /** how far the window may move when its last two bytes are this block (0: a needle may end here) */
  private readonly shift = new Uint8Array(65536);
  /** the needles whose first `min` bytes end in this block */
  private readonly ending = new Map<number, Uint8Array[]>();
  private readonly min: number;

  constructor(needles: readonly string[]) {
    const bytes = needleBytes(needles);
    this.min = Math.min(...bytes.map((b) => b.length));
    this.shift.fill(this.min - 1);
    for (const b of bytes) {
      for (let j = 1; j < this.min; j++) {
        const block = b[j - 1]! | (b[j]! << 8);
        this.shift[block] = Math.min(this.shift[block]!, this.min - 1 - j);
      }
      const last = b[this.min - 2]! | (b[this.min - 1]! << 8);
      const list = this.ending.get(last);
      if (list) list.push(b);
      else this.ending.set(last, [b]);
    }
  }

  /** Usable when every needle has at least two bytes (the block size); shorter ones take the plain path. */
  static fits(needles: readonly string[]): boolean {
    return needles.every((n) => n.length >= 2);
  }

  foundIn(d: Uint8Array): boolean {
    const n = d.length;
    const shift = this.shift;
    for (let pos = this.min - 1; pos < n;) {
      const block = d[pos - 1]! | (d[pos]! << 8);
      const s = shift[block]!;
      if (s !== 0) {
        pos += s;
        continue;
      }
      const start = pos - this.min + 1;
      for (const needle of this.ending.get(block)!) {
        if (start + needle.length > n) continue;
        let k = 0;
        while (k < needle.length && d[start + k] === needle[k]) k++;
        if (k === needle.length) return true;
      }
      pos++;
    }
    return false;
  }
}

const passes = new WeakMap<readonly string[], OnePass>();

function onePassFor(needles: readonly string[]): OnePass {
  let p = passes.get(needles);
  if (!p) {
    p = new OnePass(needles);
    passes.set(needles, p);
  }
  return p;
}

/** `sk-`, as the SIMD pass's needle for a split key's trace (told apart from the others by identity). */
const SPLIT_START = new Uint8Array(Buffer.from('sk-', 'latin1'));
const scans = new WeakMap<readonly string[], NeedleScan | null>();

function scanFor(needles: readonly string[]): NeedleScan | undefined {
  let s = scans.get(needles);
  if (s === undefined) {
    const bytes = needleBytes(needles);
    s = NeedleScan.of([...bytes, SPLIT_START]) ?? null;
    scans.set(needles, s);
  }
  return s ?? undefined;
}

/**
 * A buffer to read input of up to 4 MB into, which mayContainKey with the same needles then searches
 * without copying it (WebAssembly SIMD only; undefined without it). Its content lasts until the next
 * search of other input.
 */
export function readAreaFor(needles: readonly string[] = BASE_NEEDLES): Buffer | undefined {
  return scanFor(needles)?.readArea();
}

const notSplitStart = (_at: number, needle: Uint8Array): boolean => needle !== SPLIT_START;
/** A needle found in `d` is a trace of a key, `sk-` only where a split key's trace starts. */
const traceIn =
  (d: Buffer) =>
  (at: number, needle: Uint8Array): boolean =>
    needle !== SPLIT_START || splitTraceAt(d, at);

/**
 * Every offset, from `from` on, where one of `needles` starts (`sess-` as `sess` and a dash or the
 * start of an escape), in order and each once, found in the one SIMD pass; undefined without
 * WebAssembly SIMD. For readers that build text only around the hits (needle-offsets.ts).
 */
export function needleStartsIn(buf: Uint8Array, needles: readonly string[], from = 0): number[] | undefined {
  return scanFor(needles)?.offsetsIn(buf, from, notSplitStart);
}

/**
 * Every offset where mayContainKey sees a possible key: a needle, or the start of a split key's trace;
 * in order. Undefined without WebAssembly SIMD.
 */
export function traceStartsIn(buf: Uint8Array, needles: readonly string[] = BASE_NEEDLES): number[] | undefined {
  const d = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return scanFor(needles)?.offsetsIn(d, 0, traceIn(d));
}

/** True when the buffer may hold a credential and must go through `detect`. */
export function mayContainKey(data: Uint8Array | string, needles: readonly string[] = BASE_NEEDLES): boolean {
  const d = typeof data === 'string' || Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (typeof d !== 'string') {
    const scan = scanFor(needles);
    if (scan) return scan.indexIn(d, traceIn(d)) >= 0;
  }
  return mayContainKeyInJs(d, needles);
}

/** mayContainKey's answer without WebAssembly SIMD (where the runtime lacks it); exported for its test. */
export function mayContainKeyInJs(d: Buffer | string, needles: readonly string[] = BASE_NEEDLES): boolean {
  if (typeof d !== 'string' && OnePass.fits(needles)) return onePassFor(needles).foundIn(d) || hasSplitTrace(d);
  // names, history entries, JSON strings are short: a native search per needle is cheapest there
  return needles.some((n) => (n === SESSION_PREFIX ? hasSessionStart(d) : d.includes(n))) || hasSplitTrace(d);
}
