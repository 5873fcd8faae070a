// The diff parser and path quoting against real git output (a temp repository), fed in awkward pieces.
import { describe, expect, it } from 'vitest';
import { PatchWithRawParser, type PatchHandler, type RawEntry } from '../src/sources/staged/diff-parser.js';
import { quotePath } from '../src/git/quote.js';
import { stagedDiffArgs } from '../src/git/staged-diff.js';
import { git, gitEnv, gitRepo, writeFiles } from './helpers/tmp.js';
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';

interface Seen {
  entries: RawEntry[];
  added: Array<[string, number, string]>;
  hunks: Array<[string, number, number]>;
  problems: string[];
}

function parse(output: Buffer, pieceSize: number): Seen {
  const seen: Seen = { entries: [], added: [], hunks: [], problems: [] };
  const h: PatchHandler = {
    entries: (l) => void seen.entries.push(...l),
    hunk: (e, s, n) => void seen.hunks.push([e.path, s, n]),
    added: (e, line, text) => void seen.added.push([e.path, line, text]),
    sectionEnd: () => undefined,
    unexpected: (m) => void seen.problems.push(m),
  };
  const p = new PatchWithRawParser(h);
  for (let i = 0; i < output.length; i += pieceSize) p.feed(output.subarray(i, i + pieceSize));
  p.end();
  return seen;
}

function stagedDiff(dir: string): Buffer {
  return execFileSync('git', stagedDiffArgs('HEAD'), { cwd: dir, env: gitEnv() });
}

describe('quotePath', () => {
  it('leaves plain paths alone and quotes the way git does', () => {
    expect(quotePath('b/', Buffer.from('dir/a b.txt'))).toBe('b/dir/a b.txt');
    expect(quotePath('a/', Buffer.from('we "q"\n\tné'))).toBe('"a/we \\"q\\"\\n\\tn\\303\\251"');
    expect(quotePath('a/', Buffer.from([0x01, 0x7f, 0x5c]))).toBe('"a/\\001\\177\\\\"');
  });
});

describe('PatchWithRawParser on real git output', () => {
  it('matches sections to entries for renames, type changes, binaries, odd names and tricky content', () => {
    const dir = gitRepo({ 'keep.txt': 'one\ntwo\nthree\n', 'old name.txt': 'a\nb\nc\nd\ne\nf\n', f: 'plain\n', 'bin.dat': Buffer.from([0, 1, 2, 3]) });
    const weird = 'we "ird"\nné.txt';
    writeFiles(dir, {
      'keep.txt': 'one\n+++ b/not a header\ntwo\n@@ -1 +1 @@\ndiff --git a/x b/x\nthree\nfour',
      [weird]: 'x\r\ny\n',
      'bin.dat': Buffer.from([0, 9, 9, 9]),
    });
    git(dir, ['mv', 'old name.txt', 'new name.txt']);
    writeFiles(dir, { 'new name.txt': 'a\nb\nc\nd\ne\nf\ng\n' });
    git(dir, ['rm', '-q', 'f']);
    symlinkSync('keep.txt', join(dir, 'f'));
    git(dir, ['add', '-A']);
    const out = stagedDiff(dir);
    for (const piece of [1, 7, 4096]) {
      const seen = parse(out, piece);
      expect(seen.problems).toEqual([]);
      const byPath = new Map(seen.entries.map((e) => [e.path, e]));
      expect([...byPath.keys()].sort()).toEqual(['bin.dat', 'f', 'keep.txt', 'new name.txt', weird].sort());
      expect(byPath.get('new name.txt')).toMatchObject({ status: 'R', sections: 1, path: 'new name.txt' });
      expect(byPath.get('new name.txt')!.srcPath.toString()).toBe('old name.txt');
      expect(byPath.get('f')).toMatchObject({ status: 'T', sections: 2, dstMode: '120000' });
      expect(byPath.get('bin.dat')).toMatchObject({ binary: true, sections: 1 });
      expect(byPath.get(weird)).toMatchObject({ status: 'A', sections: 1 });
      expect(seen.added).toEqual([
        ['f', 1, 'keep.txt'],
        ['keep.txt', 2, '+++ b/not a header'],
        ['keep.txt', 4, '@@ -1 +1 @@'],
        ['keep.txt', 5, 'diff --git a/x b/x'],
        ['keep.txt', 7, 'four'],
        ['new name.txt', 7, 'g'],
        [weird, 1, 'x\r'],
        [weird, 2, 'y'],
      ]);
    }
  });

  it('reports output it cannot place instead of skipping it', () => {
    const seen = parse(Buffer.from(':100644 100644 aaaa bbbb M\0x.txt\0\0diff --git a/y.txt b/y.txt\n@@ -1 +1 @@\n-a\n+b\n'), 5);
    expect(seen.entries.map((e) => e.path)).toEqual(['x.txt']);
    expect(seen.added).toEqual([]);
    expect(seen.problems.join('\n')).toMatch(/matches no listed change/);
  });
});
