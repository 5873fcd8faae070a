// The single-pass prefilter must say exactly what one native search per needle says: any byte string,
// any needle at any place (first byte, last byte, overlapping another), the user's own key prefixes.
// Both passes: WebAssembly SIMD (what runs here) and the JavaScript one (where SIMD is missing); and
// the same for the offsets of every needle, which the chat and history readers build text around.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayContainKey, mayContainKeyInJs, needlesFor } from '../src/engine/prefilter.js';
import { hasSplitTrace } from '../src/engine/joined.js';
import { SESSION_PREFIX } from '../src/engine/rules.js';
import { needleOffsets, needleOffsetsInJs, needleSet } from '../src/sources/needle-offsets.js';

/** The reference: one search per needle, `sess` followed by a dash or an escape's first character. */
function naive(buf: Buffer, needles: readonly string[]): boolean {
  const text = buf.toString('latin1');
  const found = needles.some((n) => (n === SESSION_PREFIX ? ['sess-', 'sess%', 'sess\\', 'sess&'].some((s) => text.includes(s)) : text.includes(n)));
  return found || hasSplitTrace(buf);
}

const own = ['ownKeyPrefix', 'zz9Q'];
const needleSets = [needlesFor(), [...needlesFor(), ...own]];
/** Bytes drawn mostly from the needles' own letters, so near misses are common. */
const piece = fc.oneof(
  fc.constantFrom(...needleSets[1]!, 'sess', 'ses', 'T3Blbk', 'sess-'.slice(0, 4), '%', '\\', '&', '-'),
  fc.string({ unit: fc.constantFrom(...'sTe3BlbkFJVDNCQmxiaM0JsYmtGc2VzcyNlc3MtzZXNzL-%\\& \n'.split('')), maxLength: 12 }),
  fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b).toString('latin1')),
);

describe('the single-pass prefilter', () => {
  it.each(needleSets.map((n, i) => [i === 0 ? 'built-in needles' : 'with own-key prefixes', n] as const))(
    'agrees with one search per needle (%s)',
    (_name, needles) => {
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
          const buf = Buffer.from(pieces.join(''), 'latin1');
          const want = naive(buf, needles);
          expect(mayContainKey(buf, needles)).toBe(want);
          expect(mayContainKey(new Uint8Array(buf), needles)).toBe(want);
          expect(mayContainKeyInJs(buf, needles)).toBe(want);
        }),
        { numRuns: 3000, seed: 20261129 },
      );
    },
  );

  it.each(needleSets.map((n, i) => [i === 0 ? 'built-in needles' : 'with own-key prefixes', n] as const))(
    'says where every needle starts, from any offset on, as one search per needle does (%s)',
    (_name, needles) => {
      const set = needleSet(needles);
      const starts = needles.flatMap((n) => (n === SESSION_PREFIX ? ['sess-', 'sess%', 'sess\\', 'sess&'] : [n]));
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 12 }), fc.nat(40), (pieces, from) => {
          const buf = Buffer.from(pieces.join(''), 'latin1');
          const want = new Set<number>();
          for (const n of starts) for (let i = buf.indexOf(n, from, 'latin1'); i >= 0; i = buf.indexOf(n, i + 1, 'latin1')) want.add(i);
          const sorted = [...want].sort((a, b) => a - b);
          expect(needleOffsets(buf, set, from)).toEqual(sorted);
          expect([...new Set(needleOffsetsInJs(buf, set, from))].sort((a, b) => a - b)).toEqual(sorted);
        }),
        { numRuns: 2000, seed: 20261130 },
      );
    },
  );

  it('finds a needle at the very start and at the very end of a buffer, and not one cut short', () => {
    for (const needle of needlesFor().filter((n) => n !== SESSION_PREFIX)) {
      expect(mayContainKey(Buffer.from(`${needle} and more text`))).toBe(true);
      expect(mayContainKey(Buffer.from(`text before ${needle}`))).toBe(true);
      expect(mayContainKey(Buffer.from(`text before ${needle.slice(0, -1)}`))).toBe(false);
      expect(mayContainKeyInJs(Buffer.from(`${needle} and more text`))).toBe(true);
      expect(mayContainKeyInJs(Buffer.from(`text before ${needle.slice(0, -1)}`))).toBe(false);
    }
    expect(mayContainKey(Buffer.from('a session-less process'))).toBe(false);
    expect(mayContainKey(Buffer.from('sess%2Dabc'))).toBe(true);
  });
});
