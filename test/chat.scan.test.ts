// The streaming JSON scanner against a reference: random documents with keys in random places,
// written in every chunking and with the size limits lowered so that the large-file paths (views,
// long strings cut into slices, units too large to re-read) run on small inputs.
import { describe, expect, it } from 'vitest';
import { detect } from '../src/engine/detect.js';
import { needlesFor } from '../src/engine/prefilter.js';
import { JsonScanner, type HitString, type JsonScanLimits, type JsonScanOptions, type PathSeg, type RawSlice } from '../src/sources/chat/json-scan.js';
import { FAMILIES, fakeKey, randomString, rng } from './helpers/keys.js';

const NEEDLES = needlesFor();

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Planted {
  key: string;
  path: PathSeg[];
  isKey: boolean;
}

/** A random document; keys planted in string values and, now and then, in property names. */
function randomDoc(seed: number): { doc: Json; planted: Planted[] } {
  const next = rng(seed);
  const planted: Planted[] = [];
  const words = ['hello', 'wörld', '日本', 'a"quote', 'back\\slash', 'line\nbreak', 'tab\t', '€uro', '😀'];
  const text = (path: PathSeg[]): string => {
    const parts: string[] = [];
    const n = Math.floor(next() * 6);
    for (let i = 0; i < n; i++) parts.push(words[Math.floor(next() * words.length)]!);
    if (next() < 0.15) {
      const key = fakeKey(FAMILIES[Math.floor(next() * 11)]!, next);
      planted.push({ key, path, isKey: false });
      parts.splice(Math.floor(next() * (parts.length + 1)), 0, ` ${key} `);
    }
    if (next() < 0.05) parts.push('x'.repeat(Math.floor(next() * 3000)));
    return parts.join(next() < 0.5 ? ' ' : '\n');
  };
  const value = (path: PathSeg[], depth: number): Json => {
    const r = next();
    if (depth > 4 || r < 0.35) {
      const s = next();
      if (s < 0.6) return text(path);
      if (s < 0.8) return Math.floor(next() * 1e6) / 100;
      if (s < 0.9) return next() < 0.5;
      return null;
    }
    if (r < 0.65) {
      const n = Math.floor(next() * 5);
      return Array.from({ length: n }, (_, i) => value([...path, i], depth + 1));
    }
    const o: { [k: string]: Json } = {};
    const n = Math.floor(next() * 5);
    for (let i = 0; i < n; i++) {
      let name = `k${i}_${randomString(next, 3, 'abc')}`;
      if (next() < 0.03) {
        const key = fakeKey('project_164', next);
        planted.push({ key, path: [...path, key], isKey: true });
        name = key;
      }
      o[name] = value([...path, name], depth + 1);
    }
    return o;
  };
  const doc = value([], 0);
  return { doc, planted };
}

interface Found {
  key: string;
  path: PathSeg[];
  line: number;
  column: number;
}

function foundIn(slices: RawSlice[], path: PathSeg[], out: Found[]): void {
  for (const s of slices) {
    const text = s.bytes.toString('latin1');
    for (const m of detect(text, { bytes: true, decode: false })) {
      out.push({ key: m.secret, path, line: s.line + m.line - 1, column: m.line === 1 ? s.column + m.column - 1 : m.column });
    }
  }
}

function scanAll(bytes: Buffer, chunk: number, opts: Partial<JsonScanOptions> = {}) {
  const sc = new JsonScanner({ needles: NEEDLES, ...opts });
  const strings: HitString[] = [];
  const raw: RawSlice[] = [];
  const units: ReturnType<JsonScanner['drain']>['units'] = [];
  const problems: string[] = [];
  const take = () => {
    const d = sc.drain();
    strings.push(...d.strings);
    raw.push(...d.raw);
    units.push(...d.units);
    problems.push(...d.problems.map((p) => p.message));
  };
  for (let i = 0; i < bytes.length; i += chunk) {
    sc.write(bytes.subarray(i, i + chunk));
    take();
  }
  sc.end();
  take();
  for (const u of units) {
    strings.push(...u.strings);
    raw.push(...u.raw);
    problems.push(...u.problems.map((p) => p.message));
  }
  let found: Found[] = [];
  for (const s of strings) foundIn(s.slices, s.path, found);
  for (const r of raw) foundIn([r], ['(raw)'], found);
  found = sortFound(found);
  return { found, strings, raw, units, problems, scanner: sc };
}

/** Where each key really is: line and UTF-8 character column of its first byte. */
function positionsOf(bytes: Buffer, key: string): { line: number; column: number }[] {
  const out: { line: number; column: number }[] = [];
  for (let at = bytes.indexOf(key); at !== -1; at = bytes.indexOf(key, at + 1)) {
    const before = bytes.subarray(0, at);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < before.length; i++) if (before[i] === 10) (line++, (lineStart = i + 1));
    // as the engine counts: UTF-16 units of the decoded line
    out.push({ line, column: bytes.subarray(lineStart, at).toString('utf8').length + 1 });
  }
  return out;
}

function sortFound(xs: Found[]): Found[] {
  return [...xs].sort((a, b) => a.line - b.line || a.column - b.column || a.key.localeCompare(b.key));
}

describe('json scanner', () => {
  const cases: { name: string; chunk: number; limits?: Partial<JsonScanLimits>; indent?: number; units?: boolean }[] = [
    { name: 'units, whole buffer', chunk: 1 << 30, units: true },
    {
      name: 'units parsed live (over the re-read limit), small views',
      chunk: 333,
      limits: { view: 256, wholeString: 700, retainUnit: 500 },
      units: true,
      indent: 1,
    },
    { name: 'whole buffer', chunk: 1 << 30 },
    { name: 'pretty-printed, 1 kB writes', chunk: 1024, indent: 2 },
    { name: 'tiny views, long strings sliced', chunk: 13, limits: { view: 64, wholeString: 300 } },
    { name: 'odd writes, small views', chunk: 777, limits: { view: 5000, wholeString: 2000 } },
  ];
  for (const c of cases) {
    it(`finds every planted key with its path and exact position: ${c.name}`, () => {
      let total = 0;
      for (let seed = 1; seed <= 200; seed++) {
        const { doc, planted } = randomDoc(seed);
        const bytes = Buffer.from(JSON.stringify(doc, null, c.indent));
        const { found, problems } = scanAll(bytes, c.chunk, { ...(c.units ? { isUnit: (p) => p.length === 1, build: true } : {}), limits: c.limits ?? {} });
        expect(problems).toEqual([]);
        const expected: Found[] = [];
        for (const p of planted) for (const pos of positionsOf(bytes, p.key)) expected.push({ key: p.key, path: p.path, ...pos });
        // a key seen in two overlapping slices of one string is the same finding: compare distinct places
        const distinct = [...new Map(found.map((f) => [`${f.line}:${f.column}:${f.key}`, f])).values()];
        expect(sortFound(distinct)).toEqual(sortFound(expected));
        total += planted.length;
      }
      expect(total).toBeGreaterThan(80);
    });
  }

  it('units: only those with a hit are built, with their value and the strings in them', () => {
    const k = fakeKey('project_164', rng(3));
    const doc = [
      { title: 'no key here', mapping: { a: { message: { content: { parts: ['hi'] } } } } },
      { title: 'has one', mapping: { b: { message: { content: { parts: ['x', `key ${k}`] } } } } },
      { title: 'none again', mapping: {} },
    ];
    for (const limits of [{}, { view: 50 }, { view: 50, retainUnit: 60 }]) {
      const { units, found, problems } = scanAll(Buffer.from(JSON.stringify(doc)), 17, { isUnit: (p) => p.length === 1, limits });
      expect(problems).toEqual([]);
      expect(units).toHaveLength(1);
      expect(units[0]!.path).toEqual([1]);
      expect((units[0]!.value as { title: string }).title).toBe('has one');
      expect(found.map((f) => [f.key === k, f.path])).toEqual([[true, [1, 'mapping', 'b', 'message', 'content', 'parts', 1]]]);
    }
  });

  it('a unit larger than the re-read limit is parsed live and still named', () => {
    const k = fakeKey('admin_133', rng(4));
    const big = 'y'.repeat(200_000);
    const doc = [{ title: 'huge', mapping: { n1: { message: { content: { parts: [big, `then ${k}`, big] } } } }, current_node: 'n1' }, { title: 'after' }];
    const limits = { view: 4096, retainUnit: 10_000, wholeString: 50_000 };
    const { units, found } = scanAll(Buffer.from(JSON.stringify(doc)), 3000, { isUnit: (p) => p.length === 1, limits });
    expect(units).toHaveLength(1);
    const v = units[0]!.value as { title: string; current_node: string; mapping: { n1: { message: { content: { parts: string[] } } } } };
    expect(v.title).toBe('huge');
    expect(v.current_node).toBe('n1');
    expect(v.mapping.n1.message.content.parts[0]).toMatch(/^y+…$/);
    expect(v.mapping.n1.message.content.parts[0]!.length).toBeLessThan(300);
    expect(found.map((f) => f.path)).toEqual([[0, 'mapping', 'n1', 'message', 'content', 'parts', 1]]);
  });

  it('a key inside a string of many views is found in one slice, never cut', () => {
    const keys = Array.from({ length: 30 }, (_, i) => fakeKey('svcacct_167', rng(100 + i)));
    const body = keys.map((k, i) => `${'z'.repeat(100 + i * 37)} ${k}`).join(' ');
    const bytes = Buffer.from(JSON.stringify({ message: body }));
    const { found, strings } = scanAll(bytes, 999, { limits: { view: 1000, wholeString: 3000 } });
    expect(strings.every((s) => !s.whole)).toBe(true);
    expect([...new Set(found.map((f) => f.key))].sort()).toEqual([...keys].sort());
    for (const f of found) expect([positionsOf(bytes, f.key)[0]]).toEqual([{ line: f.line, column: f.column }]);
  });

  it('truncated JSON: keys before the cut keep their path, the problem is said', () => {
    const k1 = fakeKey('project_164', rng(5));
    const k2 = fakeKey('project_164', rng(6));
    const text = JSON.stringify([
      { title: 't', a: [`one ${k1}`] },
      { title: 'u', b: `two ${k2} and more text` },
    ]);
    const cut = Buffer.from(text.slice(0, text.indexOf(k2) + k2.length + 3));
    for (const unit of [false, true]) {
      const { found, problems } = scanAll(cut, 10, unit ? { isUnit: (p) => p.length === 1 } : {});
      expect(found.map((f) => [f.key, f.path])).toEqual([
        [k1, [0, 'a', 0]],
        [k2, [1, 'b']],
      ]);
      expect(problems.join()).toMatch(/ends inside a string at \[1\]\.b|ends inside a string at 1\.b|ends inside a string/);
    }
  });

  it('invalid JSON: the rest is scanned as raw text, nothing is lost', () => {
    const k1 = fakeKey('project_164', rng(7));
    const k2 = fakeKey('user_v2_95', rng(8));
    const bytes = Buffer.from(`{"a": "${k1}", "b": oops ${k2} }`);
    const { found, problems } = scanAll(bytes, 5);
    expect(found.map((f) => [f.key, f.path])).toEqual([
      [k1, ['a']],
      [k2, ['(raw)']],
    ]);
    expect(problems[0]).toMatch(/not valid JSON: unexpected 'oops'/);
  });

  it('startAfter: chat.html data is parsed, the page around it is raw text', () => {
    const k1 = fakeKey('project_164', rng(9));
    const k2 = fakeKey('project_164', rng(10));
    const k3 = fakeKey('project_164', rng(11));
    const html = `<html><!-- ${k1} --><script>\nvar jsonData = [{"title": "x", "v": "${k2}"}];\nconst k = "${k3}";</script></html>`;
    for (const view of [1 << 20, 20]) {
      const { found, problems } = scanAll(Buffer.from(html), 7, { startAfter: 'jsonData', afterRoot: 'raw', limits: { view } });
      expect(problems).toEqual([]);
      expect(found.map((f) => [f.key, f.path])).toEqual([
        [k1, ['(raw)']],
        [k2, [0, 'v']],
        [k3, ['(raw)']],
      ]);
    }
  });

  it('a UTF-8 BOM is skipped; invalid UTF-8 is scanned as bytes', () => {
    const k = fakeKey('project_164', rng(12));
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"t": "'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(` ${k}"}`)]);
    const { found, problems } = scanAll(bytes, 4);
    expect(problems).toEqual([]);
    expect(found.map((f) => [f.path, f.line, f.column])).toEqual([[['t'], 1, 13]]);
  });
});
