// `.keyguardignore`: micromatch's glob semantics, each pattern compiled once, bounded cost per path.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import micromatch from 'micromatch';
import { describe, expect, it, vi } from 'vitest';
import * as nfa from '../src/filters/glob-nfa.js';
import { GlobSet } from '../src/filters/glob-set.js';
import { parseIgnoreFile, pathFilter } from '../src/filters/ignore-paths.js';
import { CLI, PROJECT_ROOT, gitEnv, tempDir, writeFiles } from './helpers/tmp.js';
import { keyFor } from './helpers/keys.js';

vi.mock('../src/filters/glob-nfa.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/filters/glob-nfa.js')>();
  return { ...original, compileGlob: vi.fn(original.compileGlob) };
});

const PATHOLOGICAL = '*a*a*a*a*a*a*b';

describe('glob semantics', () => {
  it('agrees with micromatch (dot: true) on generated globs and paths', () => {
    const token = fc.constantFrom('a', 'b', '.', '/', '*', '**', '?', '[ab]', '[^a]', '[a-c]', '{a,b}', '{a,}', '@(a|b)', '+(ab)', '*(b)', '(a|b)');
    const segment = fc.array(fc.constantFrom('a', 'b', '.', 'c'), { minLength: 1, maxLength: 4 }).map((x) => x.join(''));
    const path = fc
      .array(segment, { minLength: 1, maxLength: 4 })
      .map((x) => x.join('/'))
      .filter((p) => !p.split('/').some((s) => s === '.' || s === '..'));
    // left out: picomatch quirks where it departs from its own rules (`**` glued to a brace or a group
    // acting as a globstar, `***`, `)?`, `*.*` refusing `a.`), which this matcher does not copy
    const glob = fc
      .array(token, { minLength: 1, maxLength: 6 })
      .map((x) => x.join(''))
      .filter((p) => !/\/\/|^\/|^\.\/|\/$|\)\*\*|\)\?|\*\*\*|\*\*\/?[{@+(]|,}$|\*\.|\.\*/.test(p));
    fc.assert(
      fc.property(glob, path, (g, p) => {
        expect(new GlobSet([g], false).matches(p), `${g} against ${p}`).toBe(micromatch.isMatch(p, g, { dot: true }));
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps the README rules: any depth without a slash, folders, anchors, negation, archive members', () => {
    const filter = pathFilter(parseIgnoreFile('# recorded API fixtures\ntest/fixtures/\n*.snap\n/root-only.txt\nvendor/**/*.js\n!vendor/keep/*.js\n'));
    const ignored = ['test/fixtures/a.json', 'test/fixtures/deep/b.txt', 'a.snap', 'x/y/z.snap', '.hidden/q.snap', 'root-only.txt'];
    const kept = ['fixtures/a.json', 'x/test/fixtures/a.json', 'a.snapx', 'sub/root-only.txt', 'vendor/keep/k.js', 'src/app.py'];
    for (const p of ignored) expect(filter.ignores(p), p).toBe(true);
    for (const p of kept) expect(filter.ignores(p), p).toBe(false);
    expect(filter.ignores('vendor/lib/x.js')).toBe(true);
    expect(filter.ignores('vendor/a/b/x.js')).toBe(true);
    expect(filter.ignores('dump.snap!inner/conf.env')).toBe(true);
    expect(filter.ignores('./a.snap')).toBe(true);
    expect(filter.ignores('win\\dir\\a.snap')).toBe(true);
  });

  it('braces, ranges, classes and escapes', () => {
    const filter = pathFilter(['logs/{app,db}-{1..3}.log', 'data/file[0-9].csv', 'lit\\*.txt', 'ext/*.@(pem|key)']);
    expect(['logs/app-1.log', 'logs/db-3.log', 'data/file7.csv', 'lit*.txt', 'ext/a.pem', 'ext/b.key'].map((p) => filter.ignores(p))).toEqual(
      Array(6).fill(true),
    );
    expect(['logs/app-4.log', 'logs/web-1.log', 'data/filex.csv', 'litx.txt', 'ext/a.pub'].map((p) => filter.ignores(p))).toEqual(Array(5).fill(false));
  });

  it('a pattern that would expand without bound, or !(…), is refused with a message', () => {
    expect(() => pathFilter(['{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}'])).toThrow(/more than 1000 alternatives/);
    expect(() => pathFilter(['x{1..100000}'])).toThrow(/more than 1000 values/);
    expect(() => pathFilter(['!(a).txt'])).not.toThrow(); // a leading `!` is a negation line
    expect(() => pathFilter(['src/!(a).txt'])).toThrow(/not supported/);
  });
});

describe('cost', () => {
  it('100 patterns over 10k paths: every pattern compiled once, nothing compiled per path', () => {
    const compile = vi.mocked(nfa.compileGlob);
    compile.mockClear();
    const isMatch = vi.spyOn(micromatch, 'isMatch');
    const patterns = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? `dir${i}/` : i % 3 === 1 ? `*.ext${i}` : `!src/**/gen${i}/*.js`));
    const filter = pathFilter(patterns);
    const atLoad = compile.mock.calls.length;
    expect(atLoad).toBe(100);
    let ignored = 0;
    for (let i = 0; i < 10_000; i++) if (filter.ignores(`src/module${i % 97}/sub${i % 13}/file${i}.ext${(i % 33) * 3 + 1}`)) ignored++;
    expect(ignored).toBe(10_000);
    expect(compile.mock.calls.length).toBe(atLoad);
    expect(isMatch).not.toHaveBeenCalled();
    isMatch.mockRestore();
  });

  it(`${PATHOLOGICAL} against a 5,000-character name finishes (child process, killed after 20 s)`, () => {
    // the built module, run alone: a backtracking matcher would still be running when the timer fires
    const script = `
      const { pathFilter } = await import(${JSON.stringify(join(PROJECT_ROOT, 'dist', 'filters', 'ignore-paths.js'))});
      const f = pathFilter([${JSON.stringify(PATHOLOGICAL)}, '**/${PATHOLOGICAL}/**', '!${PATHOLOGICAL}x']);
      const long = 'a'.repeat(5000);
      console.log(JSON.stringify([f.ignores(long), f.ignores('dir/' + long + 'b'), f.ignores(long + '/' + long)]));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([false, true, false]);
  });

  it('keyguard scan with that pattern in .keyguardignore and a long file name completes and still finds keys', () => {
    const dir = tempDir();
    const key = keyFor('project_164', 71);
    writeFiles(dir, { '.keyguardignore': `${PATHOLOGICAL}\n`, 'a-a-a-a-a-a-b': key, [`${'a'.repeat(250)}.txt`]: key });
    writeFileSync(join(dir, 'b'.repeat(200)), key);
    const r = spawnSync(process.execPath, [CLI, 'scan', '--format', 'json'], {
      cwd: dir,
      env: gitEnv({ HOME: dir }),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    const paths = (JSON.parse(r.stdout) as { findings: { path: string }[] }).findings.map((f) => f.path).sort();
    expect(paths).toEqual([`${'a'.repeat(250)}.txt`, 'b'.repeat(200)]);
  });
});
