// Precision gates, applied to the random halves only (never to the prefix or the marker).
//
// Documentation examples are made by repeating or counting, not by drawing characters: every gate
// below looks for a structure whose chance in random text is below 1e-7 per key (measured by
// test/engine.gates.test.ts on simulated keys of every family; the odds are in each comment).
//
// The character loops run in WebAssembly (gates.wat) for ASCII halves, with the tables defined here:
// a scan checks each key once, before V8 has optimised this JavaScript, which then cost some 0.15 ms
// a half. The JavaScript below is the definition, and what runs without WebAssembly.
import { wasmInstance, type WasmMemory } from './wasm.js';
import { GATES_WASM } from './gates-wasm.js';

/** Shannon entropy in bits per character, summed in order of first appearance (as placedEntropy sums too). */
function entropyInJs(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * A run of `run` identical characters, or `run` consecutive ascending/descending code points (abcdef,
 * 987654). Six in a long half would drop about one real key in 4 million (a `ZONMLKJ` in a simulated
 * admin key), so long halves need seven.
 */
function hasPatternRun(s: string): boolean {
  const RUN = s.length < 30 ? 6 : 7;
  let same = 1;
  let up = 1;
  let down = 1;
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    same = d === 0 ? same + 1 : 1;
    up = d === 1 ? up + 1 : 1;
    down = d === -1 ? down + 1 : 1;
    if (same >= RUN || up >= RUN || down >= RUN) return true;
  }
  return false;
}

/** Position of a character in its class (digits, letters case-folded or not), or -1 for `-`/`_`. */
function ordinal(code: number, fold: boolean): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return 100 + code - 97;
  if (code >= 65 && code <= 90) return (fold ? 100 : 200) + code - 65;
  return -1;
}

/** Next ordinal in the same class, wrapping (9 → 0, z → a): counting placeholders wrap too. */
function successor(o: number): number {
  const size = o < 100 ? 10 : 26;
  const base = o < 100 ? 0 : o < 200 ? 100 : 200;
  return base + ((o - base + 1) % size);
}

/**
 * Counting at a stride: `AbCdEfGh` (stride 1, case folded), `1a2b3c4d` and `a1a2a3a4` (stride 2, each
 * phase counts), `aA1bB2cC3` (stride 3). `steps` successive successors (or predecessors) at one stride.
 * Random chance per step is 1/32 folded and 1/64 exact, so 7 folded steps (3e-11 per start) and 6
 * exact steps at stride 3 (1.5e-11) stay far below one in 10^7 keys.
 */
function counts(ord: Int16Array, stride: number, steps: number): boolean {
  for (let phase = 0; phase < stride; phase++) {
    let up = 0;
    let down = 0;
    for (let i = phase + stride; i < ord.length; i += stride) {
      const a = ord[i - stride]!;
      const b = ord[i]!;
      up = a >= 0 && b >= 0 && SUCCESSOR[a] === b ? up + 1 : 0;
      down = a >= 0 && b >= 0 && SUCCESSOR[b] === a ? down + 1 : 0;
      if (up >= steps || down >= steps) return true;
    }
  }
  return false;
}

// Per character, as tables: gates.wat is given these same tables (wasmGates below).
function ordinalTable(fold: boolean): Int16Array {
  const table = new Int16Array(128);
  for (let c = 0; c < 128; c++) table[c] = ordinal(c, fold);
  return table;
}
const ORDINALS = { folded: ordinalTable(true), exact: ordinalTable(false) };
const SUCCESSOR = (() => {
  const table = new Int16Array(226).fill(-1);
  for (const [from, size] of [
    [0, 10],
    [100, 26],
    [200, 26],
  ] as const)
    for (let o = from; o < from + size; o++) table[o] = successor(o);
  return table;
})();
/** 1 for an upper-case letter, 2 for a lower-case one, 0 for the rest. */
const LETTER_CASE = (() => {
  const table = new Int8Array(128);
  for (let c = 65; c <= 90; c++) table[c] = 1;
  for (let c = 97; c <= 122; c++) table[c] = 2;
  return table;
})();

function ordinals(s: string, fold: boolean): Int16Array {
  const table = fold ? ORDINALS.folded : ORDINALS.exact;
  const ord = new Int16Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    ord[i] = c < 128 ? table[c]! : -1;
  }
  return ord;
}

/**
 * Letters whose case alternates (`AbCdEfGhIj…`) for 24 in a row, or over a whole half of 16 to 23:
 * random halves do it with odds of 4e-8 (74 base64url) and 6e-8 (20 alphanumeric).
 */
function alternatesCase(s: string): boolean {
  const need = s.length < 16 ? Infinity : Math.min(24, s.length);
  let run = 0;
  let before = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const letter = c < 128 ? LETTER_CASE[c]! : 0;
    run = letter === 0 ? 0 : run > 0 && letter !== before ? run + 1 : 1;
    before = letter;
    if (run >= need) return true;
  }
  return false;
}

/** Repeated text: 8 characters that occur twice (odds in random halves of 2 × 74: 2e-11). */
const REPEAT = 8;

function repeats(parts: readonly string[]): boolean {
  const seen = new Set<string>();
  for (const part of parts) {
    for (let i = 0; i + REPEAT <= part.length; i++) {
      const unit = part.slice(i, i + REPEAT);
      if (seen.has(unit)) return true;
      seen.add(unit);
    }
  }
  return false;
}

/** Each character of the base64url alphabet (every key's) as 6 bits, -1 for the rest: gates.wat keeps 8-character units as 48-bit numbers. */
const SIX_BITS = (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

// Words long enough that random base64 never spells them (a 4-letter word would drop ~1 real key in 10^5).
const PLACEHOLDER = /your[_-]?(?:api[_-]?)?key|YOUR[_-]?(?:API[_-]?)?KEY|replace[_-]?me|REPLACE[_-]?ME|example|EXAMPLE|placeholder|PLACEHOLDER/;

/** Minimum entropy a random half of this length reaches (simulated minima: 3.14 for 20 alnum, 4.17 for 42 b64url). */
function minEntropy(length: number): number {
  if (length < 16) return 2.5;
  return length < 30 ? 3.0 : 4.0;
}

/** Text built by hand: counted or case-alternated (repeats are looked for apart). */
function madeByHand(part: string): boolean {
  const folded = ordinals(part, true);
  return counts(folded, 1, 7) || counts(folded, 2, 7) || counts(ordinals(part, false), 3, 6) || alternatesCase(part);
}

/** Every gate but repeats, which looksRandomPair runs once over both halves. */
function passesAloneInJs(part: string): boolean {
  if (part.length === 0) return false;
  if (entropyInJs(part) < minEntropy(part.length)) return false;
  if (hasPatternRun(part)) return false;
  if (PLACEHOLDER.test(part)) return false;
  return !madeByHand(part);
}

/** looksRandom, in JavaScript only. */
export function looksRandomInJs(part: string): boolean {
  return passesAloneInJs(part) && !repeats([part]);
}

/** looksRandomPair, in JavaScript only. */
export function looksRandomPairInJs(left: string, right: string): boolean {
  // (units are collected across both halves: a repeat within either one is found too)
  return passesAloneInJs(left) && passesAloneInJs(right) && !repeats([left, right]);
}

// ---- the same gates, their character loops in WebAssembly

interface GateExports extends WasmMemory {
  /** 1: a pattern run, 2: made by hand, 0: neither */
  shape(at: number, length: number): number;
  /** counts each character; returns how many distinct ones */
  tally(at: number, length: number): number;
  /** 1: a repeated unit, 0: none, -1: a character outside the base64url alphabet */
  repeats(firstLength: number, secondLength: number): number;
}

/** Where gates.wat wants each thing (see there). */
const AT = { second: 256, folded: 512, exact: 640, successor: 768, letterCase: 1024, sixBits: 1152, counts: 2048, order: 2560 };
/** Halves the module takes: ASCII, up to 256 characters. */
const FOR_WASM = /^[\x00-\x7f]{1,256}$/;

const wasmGates = wasmInstance(GATES_WASM, (exports: GateExports) => {
  const bytes = Buffer.from(exports.memory.buffer);
  // the tables, from the definitions above: 255 where they say -1 (none)
  const put = (table: ArrayLike<number>, at: number) => {
    for (let i = 0; i < table.length; i++) bytes[at + i] = table[i]! < 0 ? 255 : table[i]!;
  };
  put(ORDINALS.folded, AT.folded);
  put(ORDINALS.exact, AT.exact);
  put(SUCCESSOR, AT.successor);
  put(LETTER_CASE, AT.letterCase);
  put(SIX_BITS, AT.sixBits);
  return { exports, bytes, counts: new Int32Array(exports.memory.buffer, AT.counts, 128) };
});
type Gates = NonNullable<ReturnType<typeof wasmGates>>;

/** `part` copied to `at` for the module, or false when it is the JavaScript's to look at. */
function placed(g: Gates, part: string, at: number): boolean {
  if (!FOR_WASM.test(part)) return false;
  g.bytes.write(part, at, 'latin1');
  return true;
}

/** The entropy of the placed text: the module counts, the sum is made here in the same order as entropyInJs, to the last bit. */
function placedEntropy(g: Gates, at: number, length: number): number {
  const distinct = g.exports.tally(at, length);
  let h = 0;
  for (let k = 0; k < distinct; k++) {
    const p = g.counts[g.bytes[AT.order + k]!]! / length;
    h -= p * Math.log2(p);
  }
  return h;
}

export function shannonEntropy(s: string): number {
  const g = s.length > 0 ? wasmGates() : null;
  return g && placed(g, s, 0) ? placedEntropy(g, 0, s.length) : entropyInJs(s);
}

/** Every gate but repeats, on text the module holds at `at`. */
function passesAlonePlaced(g: Gates, part: string, at: number): boolean {
  return placedEntropy(g, at, part.length) >= minEntropy(part.length) && g.exports.shape(at, part.length) === 0 && !PLACEHOLDER.test(part);
}

/** Repeats across the text the module holds at 0 and at AT.second (the JavaScript's answer past its alphabet). */
function repeatsPlaced(g: Gates, first: string, second: string): boolean {
  const found = g.exports.repeats(first.length, second.length);
  return found >= 0 ? found === 1 : repeats(second === '' ? [first] : [first, second]);
}

/** True when a random-looking part passes every gate. */
export function looksRandom(part: string): boolean {
  const g = part.length > 0 ? wasmGates() : null;
  if (!g || !placed(g, part, 0)) return looksRandomInJs(part);
  return passesAlonePlaced(g, part, 0) && !repeatsPlaced(g, part, '');
}

/** Both halves pass, and neither repeats the other (identical halves, one unit filling both). */
export function looksRandomPair(left: string, right: string): boolean {
  const g = left.length > 0 && right.length > 0 ? wasmGates() : null;
  if (!g || !placed(g, left, 0) || !placed(g, right, AT.second)) return looksRandomPairInJs(left, right);
  // (units are collected across both halves: a repeat within either one is found too)
  return passesAlonePlaced(g, left, 0) && passesAlonePlaced(g, right, AT.second) && !repeatsPlaced(g, left, right);
}
