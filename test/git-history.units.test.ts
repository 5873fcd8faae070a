// The pure parts of the history scan: the patch parser (line numbers, merges, record headers split
// across reads), header paths as bytes, and the filter-repo patterns that name a key without holding it.
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../src/engine/fingerprint.js';
import { redact } from '../src/engine/redact.js';
import { classify } from '../src/sources/git-history/exposure.js';
import { PatchParser, type CommitHeader, type PatchSink } from '../src/sources/git-history/log-parser.js';
import { displayBytes, headerPath, unquotePath } from '../src/git/quote.js';
import { replacementLine, shellQuote } from '../src/sources/git-history/purge.js';
import type { FamilyId, Finding } from '../src/types.js';
import { FAMILIES, MARKER, keyFor, type KeyFamily } from './helpers/keys.js';

interface Seen {
  commits: CommitHeader[];
  added: Array<[string, string, number, string]>;
  removed: string[];
  files: number;
  binaries: number;
}

function sink(): { s: PatchSink; seen: Seen } {
  const seen: Seen = { commits: [], added: [], removed: [], files: 0, binaries: 0 };
  return {
    seen,
    s: {
      commit: (h) => seen.commits.push(h),
      fileDone: (binary) => (binary ? seen.binaries++ : seen.files++),
      added: (path, line, text) => seen.added.push([seen.commits.at(-1)?.sha ?? '', path, line, text]),
      removed: (text) => seen.removed.push(text),
    },
  };
}

function record(sha: string, parents: string[], message: string): string {
  return `\0\x01${sha}\0${parents.join(' ')}\0Ann <ann@example.com>\x002024-05-01T10:00:00+00:00\0${message}\0\n\n`;
}

/** Feed `text` split at the given line-end positions, as the walk does, carrying unconsumed text. */
function parse(text: string, cuts: number[] = []): Seen {
  const { s, seen } = sink();
  const p = new PatchParser(s);
  let carry = '';
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    const piece = carry + text.slice(from, cut);
    carry = piece.slice(p.feed(piece, true));
    from = cut;
  }
  p.end();
  return seen;
}

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

const LINEAR =
  record(A, [B], 'subject\n\ndiff --git a/x b/x\n@@ -1 +1 @@\n+not a patch line\n') +
  'diff --git a/src/app.py b/src/app.py\nindex 1111111..2222222 100644\n--- a/src/app.py\n+++ b/src/app.py\n' +
  '@@ -3 +3 @@ def f():\n-old three\n+new three\n@@ -10,0 +11,2 @@\n+eleven\n+twelve\n\\ No newline at end of file\n' +
  'diff --git a/logo.png b/logo.png\nnew file mode 100644\nindex 0000000..3333333\nBinary files /dev/null and b/logo.png differ\n' +
  'diff --git "a/caf\\303\\251 \\"q\\".txt" "b/caf\\303\\251 \\"q\\".txt"\nnew file mode 100644\n--- /dev/null\n+++ "b/caf\\303\\251 \\"q\\".txt"\n@@ -0,0 +1 @@\n+first\n' +
  'diff --git a/old name.txt b/new name.txt\nsimilarity index 90%\nrename from old name.txt\nrename to new name.txt\n--- a/old name.txt\t\n+++ b/new name.txt\t\n@@ -2 +2 @@\n-x\n+y\n' +
  record(B, [], 'root\n') +
  'diff --git a/deleted.txt b/deleted.txt\ndeleted file mode 100644\n--- a/deleted.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone\n';

describe('patch parser', () => {
  it('places added lines at their line in the new file, per commit and path', () => {
    const seen = parse(LINEAR);
    expect(seen.commits.map((c) => [c.sha, c.parents, c.author, c.date])).toEqual([
      [A, [B], 'Ann <ann@example.com>', '2024-05-01T10:00:00+00:00'],
      [B, [], 'Ann <ann@example.com>', '2024-05-01T10:00:00+00:00'],
    ]);
    expect(seen.added).toEqual([
      [A, 'src/app.py', 3, 'new three'],
      [A, 'src/app.py', 11, 'eleven'],
      [A, 'src/app.py', 12, 'twelve'],
      [A, 'caf\xc3\xa9 "q".txt', 1, 'first'],
      [A, 'new name.txt', 2, 'y'],
    ]);
    expect(seen.removed).toEqual(['old three', 'x', 'gone']);
    expect(seen.files).toBe(4);
    expect(seen.binaries).toBe(1);
  });

  it('keeps message lines out of the patch structure', () => {
    const seen = parse(LINEAR);
    expect(seen.commits[0]!.message).toBe('subject\n\ndiff --git a/x b/x\n@@ -1 +1 @@\n+not a patch line\n');
    expect(seen.added.some(([, , , t]) => t === 'not a patch line')).toBe(false);
  });

  it('gives the same result however the text is cut at line ends, headers included', () => {
    const whole = parse(LINEAR);
    const ends = [...LINEAR.matchAll(/\n/g)].map((m) => m.index + 1);
    for (let i = 0; i < ends.length; i++) {
      const cut = parse(LINEAR, [ends[i]!]);
      expect(cut, `cut after line ${i + 1}`).toEqual(whole);
    }
    // every line its own read
    expect(parse(LINEAR, ends.slice(0, -1))).toEqual(whole);
  });

  it('in a merge, reports only lines in no parent and counts lines of the result', () => {
    const merge =
      record(C, [A, B], 'Merge branch side\n') +
      'diff --cc f.txt\nindex 1111111,2222222..3333333\n--- a/f.txt\n+++ b/f.txt\n' +
      '@@@ -2,2 -2,2 +2,5 @@@\n -from main removed\n+ from side\n +from main\n++resolution line\n- dropped from main\n++second resolution\n';
    const seen = parse(merge);
    expect(seen.added).toEqual([
      [C, 'f.txt', 4, 'resolution line'],
      [C, 'f.txt', 5, 'second resolution'],
    ]);
    expect(seen.removed).toEqual(['from main removed', 'dropped from main']);
  });

  it('an octopus merge has one prefix column per parent', () => {
    const merge = record(C, [A, B, 'd'.repeat(40)], 'octopus\n') + 'diff --cc g\n--- a/g\n+++ b/g\n@@@@ -1 -1 -1 +1,2 @@@@\n++ only two\n+++all three\n';
    expect(parse(merge).added).toEqual([[C, 'g', 2, 'all three']]);
  });

  it('leaves an incomplete record header for the next read', () => {
    const { s, seen } = sink();
    const p = new PatchParser(s);
    const text = record(A, [], 'half');
    const used = p.feed(text.slice(0, 50), true);
    expect(used).toBe(0);
    expect(seen.commits).toHaveLength(0);
    expect(p.feed(text, true)).toBe(text.length);
    expect(seen.commits.map((c) => c.message)).toEqual(['half']);
  });

  it('without scan, follows structure but hands out no line text', () => {
    const { s, seen } = sink();
    const p = new PatchParser(s);
    p.feed(LINEAR, false);
    p.end();
    expect(seen.added).toEqual([]);
    expect(seen.removed).toEqual([]);
    expect(seen.commits).toHaveLength(2);
    expect(seen.files + seen.binaries).toBe(5);
  });
});

describe('header paths are bytes', () => {
  it('undoes C quoting, octal escapes included', () => {
    expect(unquotePath('"a\\tb\\\\c\\"d\\303\\251"')).toBe('a\tb\\c"d\xc3\xa9');
    expect(unquotePath('plain name')).toBe('plain name');
    expect(headerPath('b/with space.txt\t', 'b/')).toBe('with space.txt');
    expect(headerPath('/dev/null', 'b/')).toBeUndefined();
  });

  it('shows UTF-8 as text and invalid bytes as U+FFFD, never dropping the rest', () => {
    expect(displayBytes('caf\xc3\xa9.txt')).toBe('café.txt');
    expect(displayBytes('caf\xe9.txt')).toBe('caf\ufffd.txt');
    expect(displayBytes('ascii')).toBe('ascii');
  });
});

function findingOf(secret: string, family: FamilyId = 'project_164', decoded = false): Finding {
  const f: Finding = {
    ruleId: 'openai-api-key',
    family,
    familyLabel: family,
    confidence: 'high',
    kind: 'commit',
    location: { path: 'a.env', line: 1, column: 1 },
    redacted: redact(secret),
    fingerprint: fingerprint(secret),
    secret,
  };
  if (decoded) f.decoded = 'base64';
  return f;
}

/** The pattern part of a `regex:PATTERN==>REPLACEMENT` line as a JS RegExp (the syntax used is common to Python's re). */
function patternOf(line: string): RegExp {
  const m = /^regex:(.*)==>(.*)$/.exec(line);
  if (!m) throw new Error(`not a regex line: ${line}`);
  return new RegExp(m[1]!, 'g');
}

describe('filter-repo replacements', () => {
  const families = FAMILIES.filter((f): f is KeyFamily => f !== 'session_45');

  it('match exactly their key, in every family, and hold no key', () => {
    families.forEach((family, i) => {
      const key = keyFor(family, 100 + i);
      const other = keyFor(family, 200 + i);
      const line = replacementLine(findingOf(key))!;
      expect(line, family).toBeDefined();
      expect(line).not.toContain(key);
      // nothing of the random part beyond what the redacted form shows
      const shown = redact(key).replace('…', '');
      const hidden = key.slice(shown.length - 4, -4).replace(MARKER, '');
      for (let k = 0; k + 8 <= hidden.length; k += 4) expect(line).not.toContain(hidden.slice(k, k + 8));
      const re = patternOf(line);
      const text = `A=${key}\nB=${other}\n`;
      expect(text.replace(re, 'X'), family).toBe(`A=X\nB=${other}\n`);
      expect(line).toMatch(new RegExp(`==>\\*\\*\\*REMOVED-OPENAI-KEY-${fingerprint(key)}\\*\\*\\*$`));
    });
  });

  it('session keys have no marker and still get an exact pattern', () => {
    const key = keyFor('session_45', 7);
    const line = replacementLine(findingOf(key, 'session_45'))!;
    expect(`x ${key} y`.replace(patternOf(line), 'X')).toBe('x X y');
  });

  it('an encoded key gets no pattern (the file has to go by path)', () => {
    expect(replacementLine(findingOf(keyFor('project_164', 3), 'project_164', true))).toBeUndefined();
  });

  it('quotes paths for the shell', () => {
    expect(shellQuote('deploy/secret.yaml')).toBe('deploy/secret.yaml');
    expect(shellQuote("it's here.txt")).toBe("'it'\\''s here.txt'");
  });
});

describe('refs containing a commit', () => {
  it('sorts refs into branches, tags, remotes (pushed) and the rest', () => {
    expect(classify(['refs/heads/main', 'refs/tags/v1', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main', 'refs/stash'])).toEqual({
      branches: ['main'],
      tags: ['v1'],
      pushed: true,
      remoteRefs: ['origin/main'],
      otherRefs: ['refs/stash'],
    });
    expect(classify(['refs/heads/topic']).pushed).toBe(false);
  });
});
