// Every needle of a set found in one pass at the speed of one native search: the pass runs in
// WebAssembly SIMD (needle-scan.wat), sixteen positions at a time, and names candidate positions whose
// first three bytes may start a needle; each candidate is checked here against the needles that start
// with exactly those three bytes. Undefined where this runtime has no WebAssembly SIMD (the JavaScript
// pass in prefilter.ts takes over).
import { NEEDLE_SCAN_WASM } from './needle-scan-wasm.js';
import { WASM_PAGE, wasmInstances, type WasmMemory } from './wasm.js';

/** Where the bytes to search start in the module's memory (the six tables sit below). */
const DATA = 128;
/** Zero bytes after the data: the pass reads up to 18 bytes past its last position. */
const PAD = 32;
/** Longer input is searched a window at a time, so memory stays bounded whatever the input. */
const WINDOW = 4 * 1024 * 1024;
const BUCKETS = 8;

interface Exports extends WasmMemory {
  find(p: number, end: number): number;
}

const instance = wasmInstances<Exports>(NEEDLE_SCAN_WASM);

function fingerprint(d: Uint8Array, i: number): number {
  return d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16);
}

/** Says whether a needle found at a place counts (a short needle may need a further look). */
export type Accept = (at: number, needle: Uint8Array) => boolean;

export class NeedleScan {
  private readonly exports: Exports;
  /** the needles by their first three bytes */
  private readonly byStart = new Map<number, Uint8Array[]>();
  private memory: Uint8Array;
  /** the data region as a Buffer, for readers that read straight into it (see readArea) */
  private area: Buffer | undefined;

  private constructor(exports: Exports, needles: readonly Uint8Array[]) {
    this.exports = exports;
    for (const n of needles) {
      const key = fingerprint(n, 0);
      const list = this.byStart.get(key);
      if (list) list.push(n);
      else this.byStart.set(key, [n]);
    }
    // neighbouring first bytes share a bucket when there are more than eight starts: fewer false candidates
    const starts = [...this.byStart.keys()].sort((a, b) => (a & 0xff) - (b & 0xff) || a - b);
    const tables = new Uint8Array(96);
    starts.forEach((start, i) => {
      const bit = 1 << Math.floor((i * BUCKETS) / starts.length);
      for (let k = 0; k < 3; k++) {
        const c = (start >> (8 * k)) & 0xff;
        tables[32 * k + (c & 15)]! |= bit;
        tables[32 * k + 16 + (c >> 4)]! |= bit;
      }
    });
    this.memory = new Uint8Array(this.exports.memory.buffer);
    this.memory.set(tables, 0);
  }

  /** A scan for these needles, or undefined when WebAssembly SIMD is missing or a needle is under three bytes or holds a zero byte. */
  static of(needles: readonly Uint8Array[]): NeedleScan | undefined {
    if (needles.length === 0 || needles.some((n) => n.length < 3 || n.includes(0))) return undefined;
    const exports = instance();
    return exports ? new NeedleScan(exports, needles) : undefined;
  }

  private room(bytes: number): Uint8Array {
    const need = DATA + bytes + PAD;
    if (this.memory.length < need) {
      this.exports.memory.grow(Math.ceil((need - this.memory.length) / WASM_PAGE));
      this.memory = new Uint8Array(this.exports.memory.buffer);
      this.area = undefined;
    }
    return this.memory;
  }

  /**
   * Where to read input of up to one window so the pass searches it in place: a file read into it
   * and then searched as `readArea().subarray(0, n)` is not copied (77 MB of small files cost 10 to
   * 20 ms of copying). Valid until the next search of other input.
   */
  readArea(): Buffer {
    if (!this.area) {
      // room for a whole window and the two bytes past it, so a search of longer input never grows
      // the memory (which would take the area away from its readers)
      const mem = this.room(WINDOW + 2);
      this.area = Buffer.from(mem.buffer, mem.byteOffset + DATA, WINDOW);
    }
    return this.area;
  }

  /**
   * The first place in `d` where a needle starts and `accept` (when given) agrees, or -1. `accept` sees
   * the place and the needle found there, so a short needle can be checked further (a split key's trace).
   */
  indexIn(d: Uint8Array, accept?: Accept): number {
    return this.search(d, 0, accept);
  }

  /** Every place in `d`, from `from` on, where a needle starts and `accept` (when given) agrees: in order, each once. */
  offsetsIn(d: Uint8Array, from = 0, accept?: Accept): number[] {
    const found: number[] = [];
    this.search(d, from, accept, found);
    return found;
  }

  /** The first place (or, given `found`, every place, into it) where a needle starts and `accept` agrees. */
  private search(d: Uint8Array, from: number, accept: Accept | undefined, found?: number[]): number {
    const inPlace = d.buffer === this.memory.buffer && d.byteOffset === DATA && d.length <= WINDOW;
    for (let start = inPlace ? 0 : from; start < d.length; start += WINDOW) {
      const to = Math.min(d.length, start + WINDOW);
      // two bytes past the window, for the fingerprint of its last positions
      const copy = Math.min(d.length, to + 2) - start;
      const mem = this.room(copy);
      // (a view costs an object per call: most input is one window, copied whole)
      if (!inPlace) mem.set(copy === d.length ? d : d.subarray(start, start + copy), DATA);
      mem.fill(0, DATA + copy, DATA + copy + PAD);
      const end = DATA + (to - start);
      for (let p = this.exports.find(DATA + Math.max(0, from - start), end); p >= 0 && p < end; p = this.exports.find(p + 1, end)) {
        const at = start + p - DATA;
        if (at + 3 > d.length) break;
        for (const n of this.byStart.get(fingerprint(d, at)) ?? []) {
          if (at + n.length > d.length) continue;
          let k = 3;
          while (k < n.length && d[at + k] === n[k]) k++;
          if (k < n.length || (accept && !accept(at, n))) continue;
          if (!found) return at;
          found.push(at);
          break;
        }
      }
    }
    return -1;
  }
}
