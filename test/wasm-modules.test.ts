// The WebAssembly modules: the committed bytes are the assembly of the committed text (npm run wasm),
// and the UTF-16 unit count (src/engine/utf16-units.ts) agrees with decoding, in SIMD, in its
// JavaScript fallback, and where WebAssembly is missing (node --jitless). The needle scan has its own
// tests (needle-scan.test.ts), SHA-256 its digests in engine.test.ts and its fallback here, the
// gates theirs in engine.gates.test.ts.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATES_WASM } from '../src/engine/gates-wasm.js';
import { NEEDLE_SCAN_WASM } from '../src/engine/needle-scan-wasm.js';
import { SHA256_WASM } from '../src/engine/sha256-wasm.js';
import { UTF16_UNITS_WASM } from '../src/engine/utf16-units-wasm.js';
import { Utf16Counter, validUtf8Units, validUtf8UnitsInJs } from '../src/engine/utf16-units.js';
import { rng } from './helpers/keys.js';
import { PROJECT_ROOT } from './helpers/tmp.js';

const COMMITTED: Record<string, string> = { GATES_WASM, NEEDLE_SCAN_WASM, SHA256_WASM, UTF16_UNITS_WASM };

/** Valid UTF-8 of `chars` characters drawn from one-, two-, three- and four-byte ones. */
function utf8Text(next: () => number, chars: number): Buffer {
  const pool = ['a', ' ', '\n', 'é', 'ß', '€', 'テ', '😀', '𝄞', '\u{10ffff}', '\u07ff', '\u0800', '\uffff'];
  let s = '';
  for (let i = 0; i < chars; i++) s += next() < 0.5 ? 'x' : pool[Math.floor(next() * pool.length)]!;
  return Buffer.from(s, 'utf8');
}

/** UTF-16 units of `bytes` counted by one Utf16Counter fed pieces of 1 to `longest` bytes. */
function countedInPieces(bytes: Buffer, next: () => number, longest: number): number {
  const counter = new Utf16Counter();
  let units = 0;
  for (let i = 0; i < bytes.length;) {
    const j = Math.min(bytes.length, i + 1 + Math.floor(next() * longest));
    units += counter.count(bytes, i, j);
    i = j;
  }
  return units + counter.pending;
}

describe('WebAssembly modules', () => {
  it('each is the assembly of its .wat (npm run wasm)', async () => {
    const { MODULES, assemble } = await import('./tools/assemble-wasm.mjs');
    expect(MODULES.map((m) => m.name).sort()).toEqual(Object.keys(COMMITTED).sort());
    for (const m of MODULES) expect((await assemble(m.wat)).toString('base64'), m.wat).toBe(COMMITTED[m.name]);
  });

  it('counts UTF-16 units of valid UTF-8 as decoding does, at any length and from any offset', () => {
    const next = rng(7);
    for (const chars of [0, 1, 15, 16, 17, 100, 255, 256, 257, 1000, 2032, 2033, 5000, 40_000]) {
      const bytes = utf8Text(next, chars);
      const expected = bytes.toString('utf8').length;
      expect(validUtf8Units(bytes, 0, bytes.length), `${chars} characters`).toBe(expected);
      expect(validUtf8UnitsInJs(bytes, 0, bytes.length)).toBe(expected);
      // a range inside a larger buffer, ending on a character boundary, with other bytes after it
      const framed = Buffer.concat([Buffer.from('😀'), bytes, Buffer.from('😀😀')]);
      expect(validUtf8Units(framed, 4, 4 + bytes.length)).toBe(expected);
    }
  });

  it('counts more than the megabyte copied into the module at a time', () => {
    const bytes = utf8Text(rng(8), 1_400_000);
    expect(bytes.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(validUtf8Units(bytes, 0, bytes.length)).toBe(bytes.toString('utf8').length);
    // nothing but four-byte characters, far more than the 127 blocks a lane counts before it is widened
    const emoji = Buffer.from('😀'.repeat(100_000));
    expect(validUtf8Units(emoji, 0, emoji.length)).toBe(200_000);
  });

  it('the counter gives what decoding gives for any bytes, however they are cut: short pieces of odd bytes', () => {
    const next = rng(99);
    const pool = [0x41, 0x20, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80, 0xff, 0xc0, 0xf4, 0x90, 0xe0, 0x9f, 0xbf];
    for (let round = 0; round < 400; round++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(next() * 40) }, () => pool[Math.floor(next() * pool.length)]!));
      expect(countedInPieces(bytes, next, 6), bytes.toString('hex')).toBe(bytes.toString('utf8').length);
    }
  });

  it('the counter gives what decoding gives for long mixed text with invalid bytes in it, in long pieces (the SIMD path)', () => {
    const next = rng(9);
    for (let round = 0; round < 20; round++) {
      const parts: Buffer[] = [];
      for (let k = 0; k < 8; k++)
        parts.push(utf8Text(next, Math.floor(next() * 3000)), Buffer.from([[0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98]][k % 4]!));
      const bytes = Buffer.concat(parts);
      expect(countedInPieces(bytes, next, 5000)).toBe(bytes.toString('utf8').length);
    }
  });

  it('without WebAssembly (node --jitless) the count is the same', () => {
    const mod = join(PROJECT_ROOT, 'dist', 'engine', 'utf16-units.js');
    const script = `import { validUtf8Units } from ${JSON.stringify(mod)};
      const b = Buffer.from('é😀テx'.repeat(5000));
      console.log(validUtf8Units(b, 0, b.length), typeof WebAssembly === 'undefined' ? 'no wasm' : 'wasm');`;
    const r = spawnSync(process.execPath, ['--jitless', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`${Buffer.from('é😀テx'.repeat(5000)).toString('utf8').length} no wasm`);
  });

  it('without WebAssembly (node --jitless) fingerprints are the same', () => {
    const mod = join(PROJECT_ROOT, 'dist', 'engine', 'fingerprint.js');
    const script = `import { fingerprint } from ${JSON.stringify(mod)};
      console.log(fingerprint('sk-test-key-that-is-long-enough'), typeof WebAssembly === 'undefined' ? 'no wasm' : 'wasm');`;
    const expected = createHash('sha256').update('keyguard:v1:sk-test-key-that-is-long-enough').digest('hex').slice(0, 16);
    for (const flags of [['--jitless'], []]) {
      const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(`${expected} ${flags.length > 0 ? 'no wasm' : 'wasm'}`);
    }
  });
});
