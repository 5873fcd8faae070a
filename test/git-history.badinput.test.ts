// `keyguard scan --history` on the repositories that break history scanners: shallow, empty, bare,
// corrupt, huge binary blobs, thousands of files in one commit, bytes that are not UTF-8, detached HEAD.
import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../src/engine/fingerprint.js';
import { keyFor } from './helpers/keys.js';
import { git, gitEnv, gitRepo, parseJson, runCli, tempDir, writeFiles, type CliResult } from './helpers/tmp.js';

interface Report {
  findings: Array<{
    path: string;
    line: number;
    column: number;
    fingerprint: string;
    commit: { sha: string; exposure?: { atHead: boolean; branches: string[] } };
  }>;
  summary: { files: number; commits?: number; skipped: Record<string, number>; errors: { path: string; message: string }[]; notes: string[] };
}

function commitAll(dir: string, message: string): string {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

function history(cwd: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): { r: CliResult; report: Report } {
  const r = runCli(['scan', '--history', '--format', 'json', ...args], { cwd, env: gitEnv({ HOME: cwd, OPENAI_API_KEY: '', CODEX_API_KEY: '', ...env }) });
  return { r, report: parseJson<Report>(r) };
}

describe('bad input', () => {
  it('a shallow clone: scans what is there and says history is cut', () => {
    const [a, b] = [keyFor('project_164', 1), keyFor('project_164', 2)];
    const origin = gitRepo({ 'a.env': `A=${a}\n` });
    writeFiles(origin, { 'b.env': `B=${b}\n` });
    commitAll(origin, 'second');
    writeFiles(origin, { 'c.txt': 'c\n' });
    const tip = commitAll(origin, 'third');
    const clone = join(tempDir(), 'shallow');
    git(tempDir(), ['clone', '-q', '--depth', '1', `file://${origin}`, clone]);
    const { r, report } = history(clone);
    expect(r.code).toBe(1);
    // the boundary commit has no parent here: everything in its tree is new to it
    expect(report.findings.map((f) => [f.commit.sha, f.path]).sort()).toEqual([
      [tip, 'a.env'],
      [tip, 'b.env'],
    ]);
    expect(report.summary.commits).toBe(1);
    expect(report.summary.notes.join('\n')).toMatch(/shallow clone.*git fetch --unshallow/);
  });

  it('a repository with no commits: exit 0 and a note', () => {
    const repo = gitRepo();
    const { r, report } = history(repo);
    expect(r.code).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.summary.notes).toContain('the repository has no commits yet: there is no history to scan');
  });

  it('a bare repository', () => {
    const key = keyFor('svcacct_167', 3);
    const repo = gitRepo({ 'k.env': `K=${key}\n` });
    const sha = git(repo, ['rev-parse', 'HEAD']).trim();
    const bare = join(tempDir(), 'bare.git');
    git(tempDir(), ['clone', '-q', '--bare', repo, bare]);
    const { r, report } = history(bare);
    expect(r.code).toBe(1);
    expect(report.findings.map((f) => [f.commit.sha, f.path, f.commit.exposure?.atHead])).toEqual([[sha, 'k.env', true]]);
  });

  it('not a repository: a usage error, exit 2', () => {
    const r = runCli(['scan', '--history'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--history needs a git repository/);
  });

  it.each(['1', '3'])('a corrupt object: reported with its commit, the other commits still scanned, exit 2 (%s git processes)', (jobs) => {
    const early = keyFor('project_164', 4);
    const late = keyFor('project_164', 5);
    const repo = gitRepo({ 'early.env': `K=${early}\n` });
    writeFiles(repo, { 'broken.txt': 'this blob gets corrupted\n' });
    const broken = commitAll(repo, 'broken');
    writeFiles(repo, { 'late.env': `K=${late}\n` });
    commitAll(repo, 'late');
    const blob = git(repo, ['rev-parse', `${broken}:broken.txt`]).trim();
    const file = join(repo, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
    chmodSync(file, 0o644);
    writeFileSync(file, 'not zlib at all');
    const { r, report } = history(repo, [], { KEYGUARD_HISTORY_JOBS: jobs });
    expect(r.code).toBe(2);
    expect(report.summary.errors).toHaveLength(1);
    expect(report.summary.errors[0]!.path).toBe(`commit ${broken}`);
    expect(report.summary.errors[0]!.message).toMatch(new RegExp(`${blob}.*git fsck`));
    // the commit after it (walked first) and the one before it (walked after the failure) are both in
    expect(report.findings.map((f) => f.fingerprint).sort()).toEqual([fingerprint(early), fingerprint(late)].sort());
    expect(report.summary.commits).toBe(3);
  });

  it('a huge binary blob: skipped and counted, the keys around it still found', () => {
    const key = keyFor('project_164', 6);
    const big = Buffer.alloc(24 * 1024 * 1024);
    big.write(`inside the binary ${keyFor('project_164', 7)}`, 12 * 1024 * 1024);
    const repo = gitRepo({ 'model.bin': big, 'k.env': `K=${key}\n` });
    const { r, report } = history(repo);
    expect(r.code).toBe(1);
    expect(report.summary.skipped.binary).toBe(1);
    expect(report.findings.map((f) => f.path)).toEqual(['k.env']);
  });

  it('a commit with thousands of files', () => {
    const key = keyFor('admin_133', 8);
    const repo = gitRepo();
    // fast-import writes the 3,000-file commit in one go (a work tree and `git add` would take seconds)
    const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}\n`;
    let stream = `commit refs/heads/main\ncommitter Test <test@example.com> 1700000000 +0000\n${data('import everything\n')}`;
    for (let d = 0; d < 30; d++) {
      for (let f = 0; f < 100; f++) {
        const content = d === 17 && f === 42 ? `// config\nexport const n = 1;\nexport const key = "${key}";\n` : `export const v${f} = ${d * 100 + f};\n`;
        stream += `M 100644 inline pkg${d}/m${f}.ts\n${data(content)}`;
      }
    }
    execFileSync('git', ['fast-import', '--quiet'], { cwd: repo, input: `${stream}\n`, env: gitEnv() });
    const sha = git(repo, ['rev-parse', 'main']).trim();
    const { report } = history(repo);
    expect(report.findings.map((f) => [f.commit.sha, f.path, f.line, f.column])).toEqual([[sha, 'pkg17/m42.ts', 3, 21]]);
    expect(report.summary.files).toBe(3000);
  });

  it('paths and messages that are not UTF-8', () => {
    const inFile = keyFor('project_164', 9);
    const inMessage = keyFor('project_164', 10);
    const repo = gitRepo();
    writeFileSync(Buffer.from(`${repo}/caf\xe9-\xff.env`, 'latin1'), `K=${inFile}\n`);
    writeFileSync(join(repo, 'quoted "name".env'), `\xe9\n${inFile}\n`, 'latin1');
    const msg = join(tempDir(), 'msg');
    writeFileSync(msg, Buffer.concat([Buffer.from('r\xe9sum\xe9 \xff\n\n', 'latin1'), Buffer.from(`key ${inMessage}\n`)]));
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-F', msg], gitEnv());
    const { report } = history(repo);
    const found = report.findings.map((f) => [f.path, f.line, f.column]).sort();
    expect(found).toEqual(
      [
        ['(commit message)', 3, 5],
        ['caf\ufffd-\ufffd.env', 1, 3],
        ['quoted "name".env', 2, 1],
      ].sort(),
    );
  });

  it('a detached HEAD: commits only it reaches are scanned, and HEAD is where it points', () => {
    const key = keyFor('project_164', 11);
    const repo = gitRepo({ 'a.txt': 'a\n' });
    git(repo, ['checkout', '-q', '--detach']);
    writeFiles(repo, { 'k.env': `K=${key}\n` });
    const sha = commitAll(repo, 'on no branch');
    const { report } = history(repo);
    expect(report.findings.map((f) => [f.commit.sha, f.commit.exposure?.atHead, f.commit.exposure?.branches])).toEqual([[sha, true, []]]);
    expect(report.summary.notes.join('\n')).toMatch(/only the detached HEAD reaches it/);
  });
});
