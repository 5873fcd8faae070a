// Keys written in an encoding: escapes inside the key (percent, \u, HTML numeric entities), base64'd
// session keys, and session keys glued to `-`/`_`. Found as the key, reported at the encoded text.
import { describe, expect, it } from 'vitest';
import { detect, mayContainKey } from '../src/engine/index.js';
import { ALPHABET_CHARS } from '../src/engine/rules.js';
import { FAMILIES, MARKER, keyFor, randomString, rng } from './helpers/keys.js';

type Kind = 'percent' | 'unicode' | 'html';

/** Every `-` and `_` of a key written as an escape, the way encoders do it (letters and digits stay). */
const ENCODERS: Array<[string, Kind, (k: string) => string]> = [
  ['%2D/%5F', 'percent', (k) => k.replace(/-/g, '%2D').replace(/_/g, '%5F')],
  ['%2d/%5f', 'percent', (k) => k.replace(/-/g, '%2d').replace(/_/g, '%5f')],
  ['\\u002d/\\u005f', 'unicode', (k) => k.replace(/-/g, '\\u002d').replace(/_/g, '\\u005f')],
  ['\\u002D/\\u005F', 'unicode', (k) => k.replace(/-/g, '\\u002D').replace(/_/g, '\\u005F')],
  ['&#45;/&#95;', 'html', (k) => k.replace(/-/g, '&#45;').replace(/_/g, '&#95;')],
  ['&#x2d;/&#x5f;', 'html', (k) => k.replace(/-/g, '&#x2d;').replace(/_/g, '&#x5f;')],
  ['&#X2D;/&#0095;', 'html', (k) => k.replace(/-/g, '&#X2D;').replace(/_/g, '&#0095;')],
];

function only(text: string) {
  const m = detect(text);
  expect(m, text.length < 400 ? text : undefined).toHaveLength(1);
  return m[0]!;
}

describe('escapes inside a key', () => {
  for (const family of FAMILIES) {
    for (const [name, kind, encode] of ENCODERS) {
      it(`${family} written with ${name}`, () => {
        const key = keyFor(family, 17);
        const encoded = encode(key);
        const before = `line one\nGET /v1/models?api_key=`;
        const m = only(`${before}${encoded}&model=gpt HTTP/1.1\n`);
        expect(m.secret).toBe(key);
        expect(m.family).toBe(family);
        expect(m.decoded).toBe(kind);
        // reported over the encoded text: its start, line and column, and its end
        expect([m.start, m.end]).toEqual([before.length, before.length + encoded.length]);
        expect([m.line, m.column]).toEqual([2, 'GET /v1/models?api_key='.length + 1]);
        // the prefilter lets it through
        expect(mayContainKey(Buffer.from(encoded))).toBe(true);
      });
    }
  }

  it('in a JSON string, glued to an escaped quote, on a later line', () => {
    const key = keyFor('svcacct_167', 3);
    const lead = '  "env": "{\\u0022OPENAI_API_KEY\\u0022:\\u0022';
    const m = only(`{\n${lead}${key.replace(/-/g, '\\u002d').replace(/_/g, '\\u005f')}\\u0022}"\n}`);
    expect([m.secret, m.decoded, m.line, m.column]).toEqual([key, 'unicode', 2, lead.length + 1]);
    expect(lead.length + 1).toBe(45);
  });

  it('only the prefix escaped, or only the halves', () => {
    const key = keyFor('project_164', 5);
    const prefixOnly = `sk%2Dproj%2D${key.slice('sk-proj-'.length)}`;
    expect(only(`u=${prefixOnly}`).secret).toBe(key);
    const halvesOnly = `sk-proj-${key.slice(8).replace(/-/g, '%2D').replace(/_/g, '%5F')}`;
    const m = only(`u=${halvesOnly}`);
    expect([m.secret, m.decoded, m.column]).toEqual([key, 'percent', 3]);
  });

  it('an escape only in the right half gives the key, not also a fragment of it', () => {
    const next = rng(8);
    const chars = ALPHABET_CHARS.alnum;
    const key = `sk-proj-${randomString(next, 74, chars)}${MARKER}${randomString(next, 40, chars)}-${randomString(next, 32, chars)}A`;
    const m = detect(`k=${key.slice(0, 130)}${key.slice(130).replace('-', '%2D')}\n`);
    expect(m.map((x) => [x.secret === key, x.family, x.decoded])).toEqual([[true, 'project_164', 'percent']]);
  });

  it('a key an escape only borders is plain', () => {
    const key = keyFor('project_164', 6);
    const m = only(`Authorization: Bearer%20${key}%26x \\u0022${key}\\u0022 &#34;${key}&#34;`.split(' \\u0022')[0]!);
    expect(m.decoded).toBeUndefined();
    expect(detect(`\\u0022${key}\\u0022 &#34;${key}&#34;`).map((x) => x.decoded)).toEqual([undefined, undefined]);
  });

  it('several escaped keys on one line keep apart', () => {
    const a = keyFor('admin_133', 1);
    const b = keyFor('none_164', 2);
    const enc = (k: string) => k.replace(/-/g, '%2D').replace(/_/g, '%5F');
    const m = detect(`a=${enc(a)}&b=${enc(b)}&c=${a}`);
    expect(m.map((x) => [x.secret === a, x.secret === b, x.decoded, x.column])).toEqual([
      [true, false, 'percent', 3],
      [false, true, 'percent', enc(a).length + 6],
      [true, false, undefined, enc(a).length + enc(b).length + 9],
    ]);
  });

  it('can be switched off with decoding', () => {
    const key = keyFor('project_164', 7);
    expect(detect(key.replace(/-/g, '%2D'), { decode: false })).toEqual([]);
  });
});

describe('escaped look-alikes are not keys', () => {
  const next = rng(61);
  const chars = ALPHABET_CHARS.alnum;
  const cases: Array<[string, string]> = [
    ['escaped placeholder halves', `sk%2Dproj%2D${'x'.repeat(74)}${MARKER}${'x'.repeat(74)}`],
    [
      'escaped identical halves',
      (() => {
        const h = randomString(next, 58, chars);
        return `sk%2Dadmin%2D${h}${MARKER}${h}`;
      })(),
    ],
    [
      'an escape of a non-key character splits the key',
      `sk%2Dproj%2D${randomString(next, 40, chars)}%2E${randomString(next, 33, chars)}${MARKER}${randomString(next, 74, chars)}`,
    ],
    ['escaped Anthropic prefix', `sk%2Dant%2Dapi03%2D${randomString(next, 93, chars)}AA`],
    ['escaped key without the marker', `sk%2D${randomString(next, 48, chars)}`],
    ['escaped lower-cased marker', `sk\\u002d${randomString(next, 20, chars)}${MARKER.toLowerCase()}${randomString(next, 20, chars)}`],
    ['escaped Stripe key', `sk&#95;live&#95;${randomString(next, 24, chars)}`],
    ['escaped session placeholder', `sess%2D${'ab'.repeat(20)}`],
    ['escaped session body one short', `sess\\u002d${randomString(next, 39, chars)}`],
    ['an entity without its semicolon', `sk&#45proj&#45${randomString(next, 74, chars)}${MARKER}${randomString(next, 74, chars)}`],
  ];
  for (const [name, text] of cases) {
    it(name, () => {
      expect(detect(`url=${text}&x=1\n`)).toEqual([]);
    });
  }
});

describe('session keys', () => {
  it('are found when `-` or `_` follows the 40 characters', () => {
    const key = keyFor('session_45', 9);
    for (const after of ['-', '_', '_x', '-abc', '--']) {
      const m = only(`Cookie: __Secure-next-auth=${key}${after};`);
      expect([m.secret, m.column]).toEqual([key, 28]);
    }
  });

  it('one character longer is still not a session key', () => {
    const key = keyFor('session_45', 10);
    expect(detect(`${key}Q`)).toEqual([]);
    expect(detect(`${key}7_`)).toEqual([]);
  });

  it('escaped session keys', () => {
    const key = keyFor('session_45', 11);
    for (const [enc, kind] of [
      ['%2D', 'percent'],
      ['%2d', 'percent'],
      ['\\u002d', 'unicode'],
      ['&#45;', 'html'],
      ['&#x2D;', 'html'],
    ] as const) {
      const encoded = key.replace('-', enc);
      const text = `x\ncookie=${encoded}&y`;
      expect(mayContainKey(text)).toBe(true);
      const m = only(text);
      expect([m.secret, m.decoded, m.line, m.column, m.end - m.start]).toEqual([key, kind, 2, 8, encoded.length]);
    }
  });

  it('base64 of a session key, at every byte alignment, as a Kubernetes Secret holds it', () => {
    for (const [i, pad] of ['', 'x', 'xy'].entries()) {
      const key = keyFor('session_45', 20 + i);
      const value = Buffer.from(`${pad}${key}`).toString('base64');
      const yaml = `apiVersion: v1\nkind: Secret\ndata:\n  OPENAI_SESSION: ${value}\n`;
      expect(mayContainKey(Buffer.from(yaml))).toBe(true);
      const m = only(yaml);
      expect([m.secret, m.decoded, m.line, m.column]).toEqual([key, 'base64', 4, 19]);
    }
  });

  it('base64 of a session key with a trailing newline (echo | base64)', () => {
    const key = keyFor('session_45', 30);
    expect(only(`token: ${Buffer.from(`${key}\n`).toString('base64')}`).secret).toBe(key);
  });

  it('base64 of text that only mentions sessions is not a key', () => {
    const blob = Buffer.from('the sess-ion cookie is set by the dashboard and expires after fourteen days of inactivity').toString('base64');
    expect(detect(`data: ${blob}`)).toEqual([]);
  });
});

describe('escaped keys of different kinds in one text', () => {
  it('each is found, whatever order their escapes come in', () => {
    const a = keyFor('session_45', 41);
    const b = keyFor('session_45', 42);
    const c = keyFor('project_164', 43);
    const text = `x=${b.replace('-', '\\u002d')}\nlater: y=${a.replace('-', '%2D')}&z=${c.replace(/-/g, '&#45;').replace(/_/g, '&#95;')}\n`;
    const found = detect(text).map((m) => [m.secret, m.decoded, m.line]);
    expect(found).toEqual([
      [b, 'unicode', 1],
      [a, 'percent', 2],
      [c, 'html', 2],
    ]);
  });
});
