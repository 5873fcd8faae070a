// UTF-16 units of UTF-8 bytes, as decoding them would give, counted without decoding: columns are
// reported in UTF-16 units of the decoded line, and a minified file is one line, so a column far into
// it counts everything before it (building strings to measure them cost more than the rest of the
// scan). Valid UTF-8 is counted in WebAssembly SIMD (utf16-units.wat) where the runtime has it, a
// megabyte copied in at a time, and in JavaScript where it has not (a 320 MB chat export spent over a
// second counting byte by byte); invalid bytes go through the decoder's own state machine.
import { isAscii, isUtf8 } from 'node:buffer';
import { wasmInstance, type WasmMemory } from './wasm.js';
import { UTF16_UNITS_WASM } from './utf16-units-wasm.js';

interface Exports extends WasmMemory {
  units(start: number, end: number): number;
}

/** Bytes copied into the module's memory at a time (its 17 pages hold this and the zero padding). */
const STEP = 1024 * 1024;
const PAD = 16;
/** Below this a call into the module costs more than counting here. */
const SHORT = 256;

const wasmCounter = wasmInstance(UTF16_UNITS_WASM, (exports: Exports) => ({ exports, memory: new Uint8Array(exports.memory.buffer) }));

/** UTF-16 units each byte of valid UTF-8 adds: continuation bytes none, four-byte leads two. */
const UNITS = new Uint8Array(256);
for (let c = 0; c < 256; c++) UNITS[c] = c < 0x80 ? 1 : c < 0xc0 ? 0 : c < 0xf0 ? 1 : 2;
const BLOCK = 4096;

/** The same count in JavaScript: ASCII blocks by their length, the rest byte by byte. */
export function validUtf8UnitsInJs(buf: Uint8Array, from: number, to: number): number {
  let units = 0;
  for (let a = from; a < to; a += BLOCK) {
    const b = Math.min(to, a + BLOCK);
    if (isAscii(buf.subarray(a, b))) {
      units += b - a;
      continue;
    }
    for (let i = a; i < b; i++) units += UNITS[buf[i]!]!;
  }
  return units;
}

/** UTF-16 units of buf[from, to), which must be valid UTF-8 (checked by the caller). */
export function validUtf8Units(buf: Uint8Array, from: number, to: number): number {
  const c = to - from < SHORT ? null : wasmCounter();
  if (!c) return validUtf8UnitsInJs(buf, from, to);
  let units = 0;
  for (let a = from; a < to; a += STEP) {
    const n = Math.min(to, a + STEP) - a;
    c.memory.set(buf.subarray(a, a + n), 0);
    c.memory.fill(0, n, n + PAD);
    units += c.exports.units(0, n);
  }
  return units;
}

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
