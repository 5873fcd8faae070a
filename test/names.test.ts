// A key in a name (file, archive member, commit author, branch, tag) is never printed in full, in any
// format, and the key in the name is itself reported as a finding.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../src/engine/fingerprint.js';
import { redact } from '../src/engine/redact.js';
import { redactKeysIn } from '../src/report/names.js';
import { keyFor } from './helpers/keys.js';
import { git, gitEnv, gitRepo, parseJson, runCli, tempDir, type CliResult } from './helpers/tmp.js';
import { makeZip } from './helpers/zip.js';

interface JsonFinding {
  path: string;
  line: number;
  kind: string;
  fingerprint: string;
  details?: Record<string, unknown>;
  commit?: { author: string; exposure?: { branches: string[]; tags: string[] } };
}

function kg(cwd: string, args: string[]): CliResult {
  return runCli(args, { cwd, env: gitEnv({ HOME: cwd, OPENAI_API_KEY: '', CODEX_API_KEY: '', NO_COLOR: '1' }) });
}

/** The three reports of one scan, none holding any of `keys` in full (nor their random middle). */
function reports(cwd: string, args: string[], keys: string[]): { text: CliResult; json: { findings: JsonFinding[] }; sarif: string } {
  const text = kg(cwd, args);
  const jsonRun = kg(cwd, [...args, '--format', 'json']);
  const sarif = kg(cwd, [...args, '--format', 'sarif']);
  for (const [label, out] of [
    ['text', `${text.stdout}${text.stderr}`],
    ['json', `${jsonRun.stdout}${jsonRun.stderr}`],
    ['sarif', `${sarif.stdout}${sarif.stderr}`],
  ] as const) {
    for (const k of keys) {
      expect(out.includes(k), `${label} prints a key in full`).toBe(false);
      expect(out.includes(k.slice(20, 60)), `${label} prints part of a key`).toBe(false);
    }
  }
  return { text, json: parseJson<{ findings: JsonFinding[] }>(jsonRun), sarif: sarif.stdout };
}

describe('keys in names', () => {
  it('redactKeysIn keeps everything but the key', () => {
    const k = keyFor('svcacct_167', 600);
    expect(redactKeysIn(`dir/${k}.txt`)).toBe(`dir/${redact(k)}.txt`);
    expect(redactKeysIn('plain/name.txt')).toBe('plain/name.txt');
  });

  it('a file named after a key (clean content) and a zip member named after one', () => {
    const dir = tempDir();
    const inName = keyFor('project_164', 601);
    const inMember = keyFor('project_164', 602);
    const inContent = keyFor('project_164', 603);
    writeFileSync(join(dir, `${inName}.txt`), 'nothing here\n');
    writeFileSync(
      join(dir, 'bundle.zip'),
      makeZip([
        { name: `keys/${inMember}.env`, data: `OPENAI_API_KEY=${inContent}\n` },
        { name: 'clean.txt', data: 'clean' },
      ]),
    );
    const { text, json, sarif } = reports(dir, ['scan'], [inName, inMember, inContent]);
    expect(text.code).toBe(1);
    const byFp = new Map(json.findings.map((f) => [f.fingerprint, f]));
    // the key in the file name: a finding of its own, at line 0, saying where it is
    expect(byFp.get(fingerprint(inName))).toMatchObject({ path: `${redact(inName)}.txt`, line: 0, kind: 'file', details: { 'key in': 'file name' } });
    const memberPath = `bundle.zip!keys/${redact(inMember)}.env`;
    expect(byFp.get(fingerprint(inMember))).toMatchObject({ path: memberPath, line: 0, details: { 'key in': 'archive member name' } });
    // the key in the member's content is reported under the member's redacted name
    expect(byFp.get(fingerprint(inContent))).toMatchObject({ path: memberPath, line: 1 });
    expect(json.findings).toHaveLength(3);
    expect(text.stdout).toContain(`${redact(inName)}.txt\n  ✗ in the file name  OpenAI project key`);
    expect(sarif).toContain(encodeURIComponent(`${redact(inName)}.txt`));
  });

  it('a member that cannot be read still has the key in its name reported', () => {
    const dir = tempDir();
    const inMember = keyFor('project_164', 604);
    writeFileSync(join(dir, 'locked.zip'), makeZip([{ name: `${inMember}.txt`, data: 'x', encrypted: true, deflate: false }]));
    const { text, json } = reports(dir, ['scan'], [inMember]);
    expect(text.code).toBe(2);
    expect(json.findings.map((f) => [f.fingerprint, f.line])).toEqual([[fingerprint(inMember), 0]]);
    expect(text.stdout).toContain(`error: locked.zip!${redact(inMember)}.txt: encrypted zip member`);
  });

  it('scan --history: a commit author, a branch and a tag holding keys', () => {
    const inAuthor = keyFor('project_164', 605);
    const inBranch = keyFor('project_164', 606);
    const inTag = keyFor('project_164', 607);
    const inFile = keyFor('project_164', 608);
    const repo = gitRepo({ 'a.txt': 'a\n' });
    writeFileSync(join(repo, 'app.py'), `KEY = "${inFile}"\n`);
    git(repo, ['add', 'app.py']);
    const env = gitEnv({ GIT_AUTHOR_NAME: `Ann ${inAuthor}`, GIT_AUTHOR_EMAIL: 'ann@example.com' });
    const r = spawnSync('git', ['commit', '-q', '-m', 'add'], { cwd: repo, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    git(repo, ['branch', `wip-${inBranch}`]);
    git(repo, ['tag', `t-${inTag}`]);
    const { text, json } = reports(repo, ['scan', '--history'], [inAuthor, inBranch, inTag, inFile]);
    expect(text.code).toBe(1);
    const of = (key: string) => json.findings.find((f) => f.fingerprint === fingerprint(key));
    expect(of(inAuthor)).toMatchObject({ path: '(commit author)', line: 0, kind: 'commit', details: { 'key in': 'commit author' } });
    expect(of(inBranch)).toMatchObject({ path: '(branch name)', line: 0, details: { 'key in': 'branch name' } });
    expect(of(inTag)).toMatchObject({ path: '(tag name)', line: 0, details: { 'key in': 'tag name' } });
    expect(json.findings).toHaveLength(4);
    const file = json.findings.find((f) => f.fingerprint === fingerprint(inFile))!;
    expect(file.commit?.author).toBe(`Ann ${redact(inAuthor)} <ann@example.com>`);
    expect(file.commit?.exposure?.branches).toContain(`wip-${redact(inBranch)}`);
    expect(file.commit?.exposure?.tags).toEqual([`t-${redact(inTag)}`]);
    expect(text.stdout).toContain(`branch wip-${redact(inBranch)}`);
  });

  it('--show-secrets shows names as they are', () => {
    const dir = tempDir();
    const inName = keyFor('project_164', 609);
    writeFileSync(join(dir, `${inName}.txt`), 'x\n');
    const r = kg(dir, ['scan', '--show-secrets', '--format', 'json']);
    expect(parseJson<{ findings: JsonFinding[] }>(r).findings.map((f) => f.path)).toEqual([`${inName}.txt`]);
  });
});

describe('keys in commit authors', () => {
  it('scan --history reports an author holding a key on a commit whose content holds none', () => {
    const inAuthor = keyFor('svcacct_167', 621);
    const repo = gitRepo({ 'a.txt': 'a\n' });
    writeFileSync(join(repo, 'b.txt'), 'nothing to see\n');
    git(repo, ['add', 'b.txt']);
    const env = gitEnv({ GIT_AUTHOR_NAME: `Bob ${inAuthor}`, GIT_AUTHOR_EMAIL: 'bob@example.com' });
    const r = spawnSync('git', ['commit', '-q', '-m', 'clean change'], { cwd: repo, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const { text, json } = reports(repo, ['scan', '--history'], [inAuthor]);
    expect(text.code).toBe(1);
    expect(json.findings).toHaveLength(1);
    expect(json.findings[0]).toMatchObject({
      path: '(commit author)',
      line: 0,
      kind: 'commit',
      fingerprint: fingerprint(inAuthor),
      details: { 'key in': 'commit author' },
    });
  });
});

describe('--fix and keys in names', () => {
  it('redacts the content, leaves the name to the user and says so without printing the key', () => {
    const dir = tempDir();
    const inName = keyFor('project_164', 611);
    const inside = keyFor('project_164', 612);
    const folder = join(dir, inName);
    spawnSync('mkdir', ['-p', folder]);
    writeFileSync(join(folder, '.bash_history'), `ls\nexport OPENAI_API_KEY=${inside}\n`);
    const r = kg(dir, ['audit', '--fix', '--no-backup', join(inName, '.bash_history')]);
    const out = `${r.stdout}${r.stderr}`;
    expect(out.includes(inName), out).toBe(false);
    expect(r.stderr).toMatch(/--fix does not rename files: .*\.bash_history has a key in its file name; rename it by hand/);
    expect(r.stderr).not.toMatch(/could not redact/);
    const after = readFileSync(join(folder, '.bash_history'), 'utf8');
    expect(after.includes(inside)).toBe(false);
    expect(after.startsWith('ls\nexport OPENAI_API_KEY=REDACTED-')).toBe(true);
  });
});
