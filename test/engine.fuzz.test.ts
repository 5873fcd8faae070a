// Property tests: any key of any family, in any text, behind any separator, is found exactly where it is.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detect } from '../src/engine/index.js';
import { FAMILIES, fakeKey, rng } from './helpers/keys.js';

// What can stand right before a key: separators, and escapes that glue a letter or digit to it.
const LEFT = [' ', '\n', '\t', '"', "'", '`', '=', ':', ',', ';', '(', '[', '{', '<', '>', '/', '|', '\\n', '\\t', '\\040', '%20', '\\u0022', '&quot;', '\\"', 'Bearer ', '='];
// What can stand right after: anything outside the key alphabet.
const RIGHT = ['', ' ', '\n', '\r\n', '"', "'", '`', ';', ',', '&', ')', ']', '}', '<', '.', '\\', '\\"', '%', '#', '|', '!', '?', '\u00e9'];

// Random surrounding text: printable ASCII and some non-ASCII, never the key alphabet's `sk-` start or the marker.
const textArb = fc.string({ unit: fc.constantFrom(...' abcdefghijklmnopqrstuvwxyz0123456789ABCXYZ.,;:!?"\'()[]{}<>=+*/\\\n\té→✅'.split('')), maxLength: 200 });

describe('detect, fuzzed', () => {
  it('finds exactly the planted key at exactly its position', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FAMILIES),
        fc.integer({ min: 1, max: 2 ** 31 }),
        textArb,
        fc.constantFrom(...LEFT),
        fc.constantFrom(...RIGHT),
        textArb,
        (family, seed, before, left, right, after) => {
          const key = fakeKey(family, rng(seed));
          // a trailing key character in `after` would extend the key: keep the right edge a separator
          const tail = right === '' ? '' : right + after;
          const text = before + left + key + tail;
          const start = before.length + left.length;
          const found = detect(text);
          expect(found.map((m) => m.secret)).toEqual([key]);
          const m = found[0]!;
          expect(m.family).toBe(family);
          expect(m.start).toBe(start);
          const prefix = text.slice(0, start);
          const lines = prefix.split('\n');
          expect(m.line).toBe(lines.length);
          expect(m.column).toBe(lines[lines.length - 1]!.length + 1);
        },
      ),
      { numRuns: 3000, seed: 20261126 },
    );
  });

  it('finds nothing in random text without a key', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        expect(detect(text)).toEqual([]);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('finds nothing in random key-alphabet text that carries the marker but no sk- start', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrtuvwxyz0123456789_-'.split('')), minLength: 20, maxLength: 300 }), (body) => {
        const text = `${body.slice(0, 40)}T3BlbkFJ${body.slice(40)}`;
        expect(detect(text)).toEqual([]);
      }),
      { numRuns: 1000, seed: 11 },
    );
  });
});
