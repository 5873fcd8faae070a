// UTF-16 units of bytes known to be valid UTF-8, counted without decoding them: minified JSON is one
// line, so the line tracker counts columns over the whole file, and a chat export in any language
// other than English is mostly multi-byte text (counted byte by byte in JavaScript, a 320 MB export
// spent over a second here). The count runs in WebAssembly SIMD (utf16-units.wat) where the runtime
// has it, a megabyte copied in at a time, and in JavaScript where it has not.
import { isAscii } from 'node:buffer';
import { wasmInstances, type WasmMemory } from '../../engine/wasm.js';
import { UTF16_UNITS_WASM } from './utf16-units-wasm.js';

interface Exports extends WasmMemory {
  units(start: number, end: number): number;
}

/** Bytes copied into the module's memory at a time (its 17 pages hold this and the zero padding). */
const STEP = 1024 * 1024;
const PAD = 16;
/** Below this a call into the module costs more than counting here. */
const SHORT = 256;

let counter: { exports: Exports; memory: Uint8Array } | null | undefined;

function wasmCounter(): typeof counter {
  if (counter === undefined) {
    const exports = wasmInstances<Exports>(UTF16_UNITS_WASM)();
    counter = exports ? { exports, memory: new Uint8Array(exports.memory.buffer) } : null;
  }
  return counter;
}

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
