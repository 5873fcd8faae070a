// Outside every git repository a scan starts no git process (git would only say "not a git
// repository"), and anywhere git could find one, git is asked as before: a `.git` in the directory or
// above it (a folder or a gitfile), or GIT_DIR naming one.
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFor } from './helpers/keys.js';
import { gitEnv, runCli, tempDir, writeFiles } from './helpers/tmp.js';

/** A `git` first on PATH that logs each call, then runs the real one. */
function loggingGit(): { env: NodeJS.ProcessEnv; calls: () => string[] } {
  const bin = tempDir('kg-gitlog-');
  const log = join(bin, 'calls.log');
  const real = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(join(bin, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(join(bin, 'git'), 0o755);
  writeFileSync(log, '');
  return {
    env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
    calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
  };
}

describe('a scan outside git', () => {
  it('starts no git process, walks the directory and finds the key', () => {
    const dir = tempDir('kg-nogit-');
    writeFiles(dir, { 'app/.env': `OPENAI_API_KEY=${keyFor('project_164', 3)}\n`, 'notes.txt': 'nothing\n' });
    const git = loggingGit();
    const r = runCli(['scan', '--format', 'json', '.'], { cwd: dir, env: gitEnv({ HOME: dir, OPENAI_API_KEY: '', ...git.env }) });
    expect(r.code, r.stderr).toBe(1);
    expect((JSON.parse(r.stdout) as { findings: { path: string }[] }).findings.map((f) => f.path)).toEqual(['app/.env']);
    expect(git.calls()).toEqual([]);
  });

  it('asks git where a .git could make it a repository: a folder above, a gitfile, GIT_DIR', () => {
    const git = loggingGit();
    const run = (cwd: string, extra: NodeJS.ProcessEnv = {}) =>
      runCli(['scan', '--format', 'json', '.'], { cwd, env: gitEnv({ HOME: cwd, OPENAI_API_KEY: '', ...git.env, ...extra }) });

    const repo = tempDir('kg-repo-');
    spawnSync('git', ['init', '-q', repo], { env: gitEnv() });
    writeFiles(repo, { 'sub/a.txt': 'a\n', '.gitignore': 'ignored/\n', 'ignored/.env': `OPENAI_API_KEY=${keyFor('project_164', 4)}\n` });
    // from a folder below the top: git finds the repository above, and its ignore rules hold
    const below = run(join(repo, 'sub'));
    expect(below.code, below.stderr).toBe(0);
    expect(git.calls().some((c) => c.includes('rev-parse --show-toplevel'))).toBe(true);
    expect(git.calls().some((c) => c.includes('ls-files'))).toBe(true);
    const top = run(repo);
    expect(top.code).toBe(0);
    expect(JSON.parse(top.stdout).summary.skipped).toMatchObject({ 'gitignored folders': 1 });

    // a stray gitfile: git is asked (and says what is wrong), the directory is still walked
    const stray = tempDir('kg-gitfile-');
    writeFiles(stray, { '.git': 'not a gitdir line\n', 'b.env': `OPENAI_API_KEY=${keyFor('project_164', 5)}\n` });
    const before = git.calls().length;
    expect(run(stray).code).toBe(1);
    expect(git.calls().length).toBeGreaterThan(before);

    // GIT_DIR names a repository elsewhere: git is asked
    const plain = tempDir('kg-gitdir-');
    mkdirSync(join(plain, 'x'));
    const again = git.calls().length;
    run(plain, { GIT_DIR: join(repo, '.git') });
    expect(git.calls().length).toBeGreaterThan(again);
  });

  it('finds from inside the tree what a scan of its full path finds (files there are opened by their relative paths)', () => {
    const dir = tempDir('kg-inside-');
    writeFiles(dir, {
      'app/.env': `OPENAI_API_KEY=${keyFor('project_164', 5)}\n`,
      '-dash.txt': `key ${keyFor('project_132', 6)}\n`,
      'with space/and\nnewline.txt': `${keyFor('admin_133', 7)}\n`,
      'deep/a/b/c/d.txt': 'nothing here\n',
      'blob.bin': Buffer.from([0, 1, 2, 3]),
    });
    symlinkSync('/etc/hostname', join(dir, 'link.txt'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const scan = (cwd: string, path: string) => {
      const r = runCli(['scan', '--format', 'json', path], { cwd, env: gitEnv({ HOME: tempDir('kg-home-'), OPENAI_API_KEY: '' }) });
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as {
        findings: { path: string; line: number; column: number }[];
        summary: { files: number; skipped: object; errors: unknown[] };
      };
      const prefix = path === '.' ? '' : `${path}/`;
      return {
        findings: report.findings.map((f) => ({ ...f, path: f.path.slice(prefix.length) })),
        files: report.summary.files,
        skipped: report.summary.skipped,
        errors: report.summary.errors,
      };
    };
    const inside = scan(dir, '.');
    expect(inside.findings.map((f) => f.path).sort()).toEqual(['-dash.txt', 'app/.env', 'with space/and\nnewline.txt']);
    expect(inside.errors).toEqual([]);
    expect(inside.files).toBe(4);
    expect(inside.skipped).toMatchObject({ binary: 1 });
    expect(scan(tempDir('kg-elsewhere-'), dir)).toEqual(inside);
  });
});
