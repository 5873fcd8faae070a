// Keys split across lines: wrapped at a fixed width (terminal, logger with a prefix), or cut into
// pieces by source concatenation (JS/Java/C# `+`, Python implicit concatenation, shell `\`). Found
// joined, reported once at the first piece and marked `joined`; look-alikes are never joined.
import { describe, expect, it } from 'vitest';
import { detect, mayContainKey } from '../src/engine/index.js';
import { hasSplitTrace } from '../src/engine/joined.js';
import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { scanFile } from '../src/fix/file-hits.js';
import { KeyTargets, redactKeys } from '../src/fix/redact-bytes.js';
import { tempDir } from './helpers/tmp.js';
import { KEY_FAMILIES } from '../src/engine/rules.js';
import { FAMILIES, MARKER, keyFor, randomString, rng, type KeyFamily } from './helpers/keys.js';

/** The shortest cut that keeps the start (`sk-`, `sess-`) whole: the trace needs it. */
function minCut(key: string): number {
  return key.startsWith('sess-') ? 5 : 3;
}

/** `n` distinct seeded cut positions in the key, sorted, one of them inside the marker when it has one. */
function cutsFor(key: string, seed: number, n: number): number[] {
  const next = rng(seed);
  const cuts = new Set<number>();
  const m = key.indexOf(MARKER);
  if (m >= 0) cuts.add(m + 1 + Math.floor(next() * (MARKER.length - 1)));
  while (cuts.size < n) cuts.add(minCut(key) + Math.floor(next() * (key.length - minCut(key))));
  return [...cuts].sort((a, b) => a - b).slice(0, n);
}

function piecesOf(key: string, cuts: number[]): string[] {
  const out: string[] = [];
  let from = 0;
  for (const c of cuts) {
    out.push(key.slice(from, c));
    from = c;
  }
  out.push(key.slice(from));
  return out;
}

interface Planted {
  text: string;
  /** where the key starts in `text`, its line and column */
  start: number;
  lines: number;
}

function place(before: string, rest: string): Pick<Planted, 'text' | 'start'> {
  return { text: before + rest, start: before.length };
}

/** Source concatenations: the pieces as each language writes them. */
const CONCATS: Array<[string, (p: string[]) => { before: string; body: string; after: string }]> = [
  ['JS "a" + newline "b"', (p) => ({ before: 'const key =\n  "', body: p.join('" +\n  "'), after: '";\n' })],
  ['Java + at line start', (p) => ({ before: 'String key = "', body: p.join('"\n      + "'), after: '";\n' })],
  ['C# verbatim pieces', (p) => ({ before: 'var key = @"', body: p.join('" +\n    @"'), after: '";\n' })],
  ['TS single quotes', (p) => ({ before: "export const KEY = '", body: p.join("' +\n  '"), after: "';\n" })],
  ['Python implicit', (p) => ({ before: 'OPENAI_API_KEY = (\n    "', body: p.join('"\n    "'), after: '"\n)\n' })],
  ['Python backslash', (p) => ({ before: "key = '", body: p.join("' \\\n      '"), after: "'\n" })],
  ['shell continuation', (p) => ({ before: 'export OPENAI_API_KEY=', body: p.join('\\\n'), after: '\nnpm start\n' })],
  ['one line, +', (p) => ({ before: 'const key = "', body: p.join('" + "'), after: '"; // keep\n' })],
  ['one line, Python implicit', (p) => ({ before: 'k = ("', body: p.join('" "'), after: '")\n' })],
];

function concatenated(key: string, cuts: number[], form: (p: string[]) => { before: string; body: string; after: string }): Planted {
  const { before, body, after } = form(piecesOf(key, cuts));
  const lead = `# settings\n${before}`;
  return { ...place(lead, body + after), lines: body.split('\n').length };
}

/**
 * A key wrapped at a fixed width: the logical line `lead + key + tail` cut every `width` characters,
 * each physical line behind `prefix(i)` (a terminal: none; a logger: the same prefix shape each line).
 */
function wrapped(key: string, firstCut: number, lead: string, prefix: (i: number) => string): Planted {
  const width = lead.length + firstCut;
  const logical = `${lead}${key} done`;
  const rows: string[] = [];
  for (let i = 0; i * width < logical.length; i++) rows.push(prefix(i) + logical.slice(i * width, (i + 1) * width));
  const head = 'starting\n';
  const start = head.length + prefix(0).length + lead.length;
  const keyRows = Math.ceil((lead.length + key.length) / width);
  return { text: `${head}${rows.join('\n')}\nexit 0\n`, start, lines: keyRows };
}

const PREFIXES: Array<[string, (i: number) => string]> = [
  ['terminal (column 1)', () => ''],
  ['indented', () => '    '],
  ['docker compose', () => 'api-1  | '],
  ['CRI log, changing time and flag', (i) => `2026-11-29T02:${String(10 + i).padStart(2, '0')}:0${i % 10}.${100 + i}Z stdout ${i === 0 ? 'P' : 'F'} `],
];

function expectJoined(p: Planted, key: string, family: KeyFamily) {
  const found = detect(p.text);
  expect(
    found.map((m) => [m.secret, m.family, m.decoded]),
    p.text,
  ).toEqual([[key, family, 'joined']]);
  const m = found[0]!;
  const lines = p.text.slice(0, p.start).split('\n');
  expect([m.start, m.line, m.column]).toEqual([p.start, lines.length, lines[lines.length - 1]!.length + 1]);
  expect(m.joinedLines).toBe(p.lines);
  expect(m.pieces!.map((x) => p.text.slice(x.start, x.end)).join('')).toBe(key);
  expect(m.end).toBe(m.pieces![0]!.end);
  // the raw bytes pass the prefilter, even when the marker is cut
  expect(mayContainKey(Buffer.from(p.text))).toBe(true);
  return m;
}

describe('keys wrapped at a fixed width', () => {
  for (const family of FAMILIES) {
    for (const [name, prefix] of PREFIXES) {
      it(`${family}, ${name}, cut at seeded places (one inside the marker)`, () => {
        for (let seed = 1; seed <= 12; seed++) {
          const key = keyFor(family, 900 + seed);
          const [cut] = cutsFor(key, seed, 1);
          // a short width makes three or more rows, a long lead one cut only
          const lead = seed % 2 === 0 ? 'OPENAI_API_KEY=' : 'key: ';
          expectJoined(wrapped(key, cut!, lead, prefix), key, family);
        }
      });
    }
  }

  it("a logger prefix made of key characters is not taken for the key's last piece", () => {
    // the last row's `web-1` is as long as the key's real end `LB-VA`: joining it would be a key of the right shape
    const key = keyFor('admin_133', 1);
    const rows = `${key} ok`.match(/.{1,16}/g)!.map((row) => `web-1  | ${row}`);
    expect(rows[rows.length - 1]).toMatch(/^web-1 {2}\| [\w-]{5} ok$/);
    expectJoined({ text: `\n${rows.join('\n')}\n`, start: 10, lines: rows.length }, key, 'admin_133');
  });

  it('CRLF line ends', () => {
    const key = keyFor('project_164', 5);
    const p = wrapped(key, 70, 'token=', () => '');
    expectJoined({ ...p, text: p.text.replace(/\n/g, '\r\n'), start: p.start + 1 }, key, 'project_164');
  });

  it('a key that ends exactly where a wrapped line ends is not extended by the next line', () => {
    const key = keyFor('svcacct_167', 8);
    // rows of 80: 73 + 7, then 80, then the key's last 80 filling the row; the next row starts with key characters
    const lead = `${'x'.repeat(72)}=`;
    const text = `${lead}${key.slice(0, 7)}\n${key.slice(7, 87)}\n${key.slice(87)}\nNEXT_LINE_STARTS_WITH_KEY_CHARS\n`;
    const m = expectJoined({ text, start: lead.length, lines: 3 }, key, 'svcacct_167');
    expect(m.pieces).toHaveLength(3);
  });

  it('today an "unrecognised shape" fragment of the first line; now one finding, the joined key', () => {
    const key = keyFor('project_164', 21);
    const cut = key.indexOf(MARKER) + MARKER.length + 30;
    const text = `OPENAI_API_KEY=${key.slice(0, cut)}\n${key.slice(cut)}\n`;
    expect(detect(`OPENAI_API_KEY=${key.slice(0, cut)}\n`).map((m) => m.family)).toEqual(['unrecognised']);
    expectJoined({ text, start: 'OPENAI_API_KEY='.length, lines: 2 }, key, 'project_164');
  });

  it('a zsh entry whose `\\` continuation the reader already dropped reads as a line break', () => {
    const key = keyFor('admin_133', 4);
    expectJoined({ text: `export OPENAI_ADMIN_KEY=${key.slice(0, 50)}\n${key.slice(50)}`, start: 24, lines: 2 }, key, 'admin_133');
  });
});

describe('keys cut by source concatenation', () => {
  for (const family of FAMILIES) {
    for (const [name, form] of CONCATS) {
      it(`${family}, ${name}`, () => {
        for (let seed = 1; seed <= 8; seed++) {
          const key = keyFor(family, 700 + seed);
          const cuts = cutsFor(key, seed, 1 + (seed % 3));
          expectJoined(concatenated(key, cuts, form), key, family);
        }
      });
    }
  }

  it('a `keyguard:allow` comment after the last piece allows the joined key', () => {
    const key = keyFor('project_164', 3);
    const [m] = detect(`const k =\n  "${key.slice(0, 60)}" +\n  "${key.slice(60)}"; // keyguard:allow test fixture\n`);
    expect([m!.decoded, m!.line, m!.allowed]).toEqual(['joined', 2, true]);
    const [n] = detect(`const k =\n  "${key.slice(0, 60)}" +\n  "${key.slice(60)}";\n// keyguard:allow is on another line\n`);
    expect([n!.decoded, n!.allowed]).toEqual(['joined', false]);
  });

  it('two keys each split, side by side, are two findings', () => {
    const a = keyFor('project_164', 1);
    const b = keyFor('legacy_user_51', 2);
    const text = `A = ("${a.slice(0, 90)}"\n  "${a.slice(90)}")\nB = "${b.slice(0, 20)}" + "${b.slice(20)}"\n`;
    expect(detect(text).map((m) => [m.secret, m.line, m.decoded])).toEqual([
      [a, 1, 'joined'],
      [b, 3, 'joined'],
    ]);
  });
});

describe('look-alikes are not joined', () => {
  const noJoin = (text: string) => expect(detect(text).filter((m) => m.decoded === 'joined')).toEqual([]);

  it('two different whole keys on consecutive lines: both found as they are', () => {
    for (const family of FAMILIES) {
      const a = keyFor(family, 31);
      const b = keyFor(family, 32);
      expect(detect(`${a}\n${b}\n`).map((m) => [m.secret, m.decoded])).toEqual([
        [a, undefined],
        [b, undefined],
      ]);
    }
  });

  it('a key followed by an unrelated random hex line', () => {
    const next = rng(5);
    for (const family of FAMILIES) {
      const key = keyFor(family, 41);
      const hex = randomString(next, 64, '0123456789abcdef');
      expect(detect(`key=${key}\n${hex}\n`).map((m) => [m.secret, m.decoded])).toEqual([[key, undefined]]);
    }
  });

  it('the start of one key and the end of another (a truncated line, then an unrelated line)', () => {
    for (const family of FAMILIES) {
      const a = keyFor(family, 51);
      const b = keyFor(family, 52);
      const cut = Math.floor(a.length / 2);
      // the end of `b` that is one character too long for `a`'s start
      noJoin(`${a.slice(0, cut)}\n${b.slice(cut - 1)}\n`);
    }
  });

  it('a wrapped base64 blob, standard and url-safe, with `sk-` at a line end', () => {
    const next = rng(6);
    const blob = Buffer.from(randomString(next, 3000, 'abcdefghijklmnopqrstuvwxyz0123456789')).toString('base64');
    const rows = (b: string) => b.match(/.{1,76}/g)!.join('\n');
    expect(detect(rows(blob))).toEqual([]);
    const url = blob.replace(/\+/g, '-').replace(/\//g, '_');
    const planted = `${url.slice(0, 73)}sk-${url.slice(76, 144)}sk-proj-${url.slice(152)}`;
    expect(hasSplitTrace(rows(planted))).toBe(true);
    expect(detect(rows(planted))).toEqual([]);
  });

  it('placeholders split across lines (every family, every hand-made miss)', () => {
    for (const family of FAMILIES) {
      const shape = KEY_FAMILIES.find((f) => f.id === family)!;
      // a typed prefix taken for a name is a real key of another family, not a placeholder
      const handMade = shape.examples
        .misses(rng(7))
        .filter((m) => m.why !== 'a typed prefix is not a name')
        .map((m) => m.text);
      const misses = [`sk-proj-${'X'.repeat(74)}${MARKER}${'X'.repeat(74)}`, ...handMade];
      for (const miss of misses) {
        const cut = Math.floor(miss.length / 2);
        noJoin(`k=${miss.slice(0, cut)}\n${miss.slice(cut)}\n`);
        noJoin(`k = "${miss.slice(0, cut)}" +\n  "${miss.slice(cut)}"\n`);
      }
    }
  });

  it('prose with `sk-` words at line ends, and dashes', () => {
    const text = 'Please ask-\nthem about the task-\nqueue and the desk-\nbooking.\nrisk-"free" + "offer"\nsk-\nsk-proj-\nhello world\n';
    expect(hasSplitTrace(text)).toBe(true);
    expect(detect(text)).toEqual([]);
  });

  it('text without a trace costs no join: the trace says so', () => {
    const key = keyFor('project_164', 9);
    expect(hasSplitTrace(`plain text\nno keys here\n`)).toBe(false);
    // a whole key ended by a separator is no trace (the marker needle finds it)
    expect(hasSplitTrace(`k=${key};\n`)).toBe(false);
    expect(hasSplitTrace(Buffer.from(`the task-runner; a risk-free, ask-me`))).toBe(false);
    expect(mayContainKey(Buffer.from(`the task-runner; a risk-free, ask-me.\n`))).toBe(false);
  });
});

describe('--fix redacts every piece of a joined key', () => {
  it('in a file read in windows, a key whose pieces lie on both sides of a window cut', async () => {
    const key = keyFor('project_164', 71);
    const window = 128 * 1024;
    // the first window is cut after the last newline before 64 KiB (its end minus the overlap)
    const line = `${'#'.repeat(99)}\n`;
    const head = line.repeat(Math.floor((window / 2 - 200) / line.length));
    const first = `export K=${key.slice(0, 100)}\\\n`;
    const pad = '#'.repeat(window / 2 - head.length - first.length - 1);
    const text = `${head}${pad}\n${first}${key.slice(100)}\n${line.repeat(2000)}`;
    expect(text.indexOf('\n', head.length + pad.length + 1)).toBe(window / 2 - 1);
    const dir = tempDir();
    const path = join(dir, 'history');
    writeFileSync(path, text);
    const fh = await open(path, 'r');
    try {
      const { hits } = await scanFile(fh, new KeyTargets(new Set([key]), true), { window });
      expect(hits.map((h) => [h.at, h.line, h.from.toString('latin1')])).toEqual([
        [head.length + pad.length + 1 + 'export K='.length, head.split('\n').length + 1, key.slice(0, 100)],
        [window / 2, head.split('\n').length + 2, key.slice(100)],
      ]);
    } finally {
      await fh.close();
    }
  });

  it('each piece overwritten in place, same length, lines kept; nothing of the key is left', () => {
    for (const family of FAMILIES) {
      const key = keyFor(family, 61);
      const [a, b] = cutsFor(key, 3, 2);
      const text = `export K=${key.slice(0, a)}\\\n${key.slice(a, b)}\\\n${key.slice(b)}\nls\n`;
      const r = redactKeys(Buffer.from(text), new Set([key]), true);
      expect(r?.count, family).toBe(3);
      const after = r!.content.toString('latin1');
      expect(after.length).toBe(text.length);
      expect(after.split('\n').length).toBe(text.split('\n').length);
      expect(after).toMatch(/^export K=RED/);
      expect(detect(after)).toEqual([]);
      for (const piece of piecesOf(key, [a!, b!]).filter((p) => p.length >= 8)) expect(after).not.toContain(piece);
    }
  });
});
