// Property tests: any key of any family, in any text, behind any separator, is found exactly where it is.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detect } from '../src/engine/index.js';
import { FAMILIES, fakeKey, rng } from './helpers/keys.js';

// What can stand right before a key: separators, and escapes that glue a letter or digit to it.
const LEFT = [
  ' ',
  '\n',
  '\t',
  '"',
  "'",
  '`',
  '=',
  ':',
  ',',
  ';',
  '(',
  '[',
  '{',
  '<',
  '>',
  '/',
  '|',
  '\\n',
  '\\t',
  '\\040',
  '%20',
  '\\u0022',
  '&quot;',
  '\\"',
  'Bearer ',
  '=',
];
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

  // Behind an encoding: every `-`/`_` of the key escaped (or the whole key base64'd, at any alignment).
  const ENCODINGS: Array<[string, (k: string) => string]> = [
    ['percent', (k) => k.replace(/-/g, '%2D').replace(/_/g, '%5f')],
    ['unicode', (k) => k.replace(/-/g, '\\u002d').replace(/_/g, '\\u005F')],
    ['html', (k) => k.replace(/-/g, '&#45;').replace(/_/g, '&#x5f;')],
  ];
  // `%` or `\` right after an escaped key could start one more escape (`%2D…`): keep the edge plain
  const RIGHT_ENCODED = RIGHT.filter((r) => !r.startsWith('%') && !r.startsWith('\\'));

  it('finds a key behind every escape, reported at the escaped text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FAMILIES),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.constantFrom(...ENCODINGS),
        textArb,
        fc.constantFrom(...LEFT),
        fc.constantFrom(...RIGHT_ENCODED),
        textArb,
        (family, seed, [kind, encode], before, left, right, after) => {
          const key = fakeKey(family, rng(seed));
          const encoded = encode(key);
          const tail = right === '' ? '' : right + after;
          const text = before + left + encoded + tail;
          const start = before.length + left.length;
          const found = detect(text);
          expect(found.map((m) => [m.secret, m.decoded])).toEqual([[key, kind]]);
          const m = found[0]!;
          expect([m.family, m.start, m.end]).toEqual([family, start, start + encoded.length]);
          const lines = text.slice(0, start).split('\n');
          expect([m.line, m.column]).toEqual([lines.length, lines[lines.length - 1]!.length + 1]);
        },
      ),
      { numRuns: 2000, seed: 20261129 },
    );
  });

  it('finds a base64-encoded key of any family at any alignment, at the line of the value', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FAMILIES),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.constantFrom('', 'K=', 'KEY=', 'export OPENAI_API_KEY='),
        fc.constantFrom('', '\n', '\nOTHER=1\n'),
        textArb,
        (family, seed, lead, trail, before) => {
          const key = fakeKey(family, rng(seed));
          const text = `${before}\n  value: ${Buffer.from(lead + key + trail).toString('base64')}\n`;
          const found = detect(text);
          expect(found.map((m) => [m.secret, m.decoded, m.family])).toEqual([[key, 'base64', family]]);
          expect(found[0]!.line).toBe(before.split('\n').length + 1);
        },
      ),
      { numRuns: 1000, seed: 45 },
    );
  });

  // Split across lines: wrapped at a fixed width behind a line prefix, or cut into concatenated pieces.
  const WRAP_PREFIXES: Array<(row: number) => string> = [() => '', () => '  ', () => 'web-1  | ', (row) => `12:0${row % 10}:3${row % 7} INFO `];
  const CONCATS: Array<(pieces: string[]) => string> = [
    (p) => `key = "${p.join('" +\n    "')}";`,
    (p) => `key = "${p.join('"\n    + "')}";`,
    (p) => `KEY = ('${p.join("'\n       '")}')`,
    (p) => `export KEY=${p.join('\\\n')}\n`,
    (p) => `key = "${p.join('" + "')}";`,
  ];

  it('finds a key split across lines or string pieces, once, at its first piece', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FAMILIES),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 1, maxLength: 3 }),
        fc.oneof(
          fc.record({ wrap: fc.constantFrom(...WRAP_PREFIXES), lead: fc.constantFrom('', 'K=', 'token: ', 'export OPENAI_API_KEY=') }),
          fc.record({ concat: fc.constantFrom(...CONCATS) }),
        ),
        textArb,
        textArb,
        (family, seed, at, form, before, after) => {
          const key = fakeKey(family, rng(seed));
          // cuts keep the start (`sk-`, `sess-`) whole: the trace needs it
          const min = family === 'session_45' ? 5 : 3;
          const cuts = [...new Set(at.map((x) => min + Math.floor(x * (key.length - min))))].sort((a, b) => a - b);
          let body: string;
          let lead: string;
          if ('wrap' in form) {
            // a terminal or logger cuts the logical line at a fixed width (16 or more), right after the first cut
            const width = Math.max(16, form.lead.length + cuts[0]!);
            const logical = `${form.lead}${key} ok`;
            const rows: string[] = [];
            for (let i = 0; i * width < logical.length; i++) rows.push(form.wrap(i) + logical.slice(i * width, (i + 1) * width));
            body = rows.join('\n');
            lead = form.wrap(0) + form.lead;
          } else {
            const pieces: string[] = [];
            let from = 0;
            for (const c of [...cuts, key.length]) {
              pieces.push(key.slice(from, c));
              from = c;
            }
            body = form.concat(pieces);
            lead = body.slice(0, body.indexOf(pieces[0]!));
          }
          const head = `${before}\n`;
          const text = `${head}${body}\n${after}`;
          const start = head.length + lead.length;
          const found = detect(text);
          expect(found.map((m) => [m.secret, m.family, m.decoded])).toEqual([[key, family, 'joined']]);
          const m = found[0]!;
          const lines = text.slice(0, start).split('\n');
          expect([m.start, m.line, m.column]).toEqual([start, lines.length, lines[lines.length - 1]!.length + 1]);
        },
      ),
      { numRuns: 2000, seed: 20261130 },
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
      fc.property(
        fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrtuvwxyz0123456789_-'.split('')), minLength: 20, maxLength: 300 }),
        (body) => {
          const text = `${body.slice(0, 40)}T3BlbkFJ${body.slice(40)}`;
          expect(detect(text)).toEqual([]);
        },
      ),
      { numRuns: 1000, seed: 11 },
    );
  });
});
