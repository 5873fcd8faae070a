// `keyguard install --pre-receive` and `keyguard scan --pre-receive`: real pushes to a bare repository
// on the file system whose pre-receive hook keyguard installed. The pushed objects sit in git's
// quarantine while the hook runs; the pusher reads the hook's words as `remote:` lines.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from '../src/engine/redact.js';
import { keyFor } from './helpers/keys.js';
import { git, gitEnv, gitRepo, keyguardOnPath, PROJECT_ROOT, runCli, tempDir, writeFiles } from './helpers/tmp.js';

const KEY = keyFor('project_164', 51);

interface Setup {
  repo: string;
  server: string;
  e: NodeJS.ProcessEnv;
}

/** A bare server repository with keyguard's pre-receive hook, and a clone whose `main` it already has. */
function setup(opts: { keyInFirstCommit?: boolean } = {}): Setup {
  // the server's git runs the hook with this environment: keyguard on its PATH
  const PATH = `${keyguardOnPath()}:${process.env.PATH ?? ''}`;
  const e = gitEnv({ HOME: tempDir('kg-home-'), PATH, OPENAI_API_KEY: '', CODEX_API_KEY: '', NO_COLOR: '1', USER: 'ann' });
  const server = join(tempDir('kg-server-'), 'app.git');
  git(tempDir(), ['init', '-q', '--bare', '-b', 'main', server]);
  const repo = gitRepo({ 'README.md': 'hello\n', ...(opts.keyInFirstCommit ? { 'old.cfg': `key=${KEY}\n` } : {}) });
  git(repo, ['remote', 'add', 'origin', server]);
  git(repo, ['push', '-q', 'origin', 'main']);
  const r = runCli(['install', '--pre-receive'], { cwd: server, env: e });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain('installed in the pre-receive hook of this bare repository: hooks/pre-receive');
  return { repo, server, e };
}

function commit(repo: string, files: Record<string, string>): string {
  writeFiles(repo, files);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '--no-verify', '-m', 'change']);
  return git(repo, ['rev-parse', 'HEAD']).trim();
}

function push(s: Setup, ...args: string[]): { code: number; out: string; stderr: string } {
  const r = spawnSync('git', ['push', 'origin', ...args], { cwd: s.repo, env: s.e, encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}`, stderr: r.stderr };
}

function serverRef(s: Setup, ref: string): string | undefined {
  const r = spawnSync('git', ['rev-parse', '--verify', '-q', ref], { cwd: s.server, env: gitEnv({ GIT_DIR: s.server }), encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function serverConfig(s: Setup, key: string, value: string): void {
  git(s.server, ['config', key, value], gitEnv({ GIT_DIR: s.server }));
}

describe('keyguard install --pre-receive', () => {
  it('installs the shipped script in a bare repository, refuses a work tree, and uninstalls', () => {
    const s = setup();
    const hook = join(s.server, 'hooks', 'pre-receive');
    expect(readFileSync(hook, 'utf8')).toBe(readFileSync(join(PROJECT_ROOT, 'hooks', 'pre-receive'), 'utf8'));
    expect(statSync(hook).mode & 0o111).not.toBe(0);
    expect(runCli(['install', '--pre-receive'], { cwd: s.server, env: s.e }).stdout).toContain('already installed');
    const work = runCli(['install', '--pre-receive'], { cwd: s.repo, env: s.e });
    expect(work.code).toBe(2);
    expect(work.stderr).toContain('not a bare repository');
    expect(existsSync(join(s.repo, '.git', 'hooks', 'pre-receive'))).toBe(false);
    expect(runCli(['uninstall', '--pre-receive'], { cwd: s.server, env: s.e }).stdout).toContain('removed from the pre-receive hook');
    expect(existsSync(hook)).toBe(false);
  });

  it('refuses a core.hooksPath outside the repository (a server that manages its hooks)', () => {
    const s = setup();
    runCli(['uninstall', '--pre-receive'], { cwd: s.server, env: s.e });
    const managed = tempDir('kg-managed-hooks-');
    serverConfig(s, 'core.hooksPath', managed);
    const r = runCli(['install', '--pre-receive'], { cwd: s.server, env: s.e });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('core.hooksPath points outside this repository');
    expect(existsSync(join(managed, 'pre-receive'))).toBe(false);
  });
});

describe('keyguard scan --pre-receive, run by the server on git push', () => {
  it('rejects a pushed key with remote: lines naming commit, path and the fix; the ref is not updated', () => {
    const s = setup();
    const before = serverRef(s, 'refs/heads/main');
    const bad = commit(s.repo, { 'deploy/settings.py': `import os\nAPI_KEY = "${KEY}"\n` });
    const r = push(s, 'main');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('pre-receive hook declined');
    expect(r.stderr).toContain(`remote:   ${bad.slice(0, 12)}  deploy/settings.py:2  the tip of main`);
    expect(r.stderr).toMatch(/remote: keyguard rejected this push: 1 commit adds an OpenAI key/);
    expect(r.stderr).toMatch(/remote: .*Revoke the key now/);
    expect(r.stderr).toContain(`remote:       commit ${bad}`);
    expect(r.stderr).toContain(redact(KEY));
    expect(r.out).not.toContain(KEY);
    expect(serverRef(s, 'refs/heads/main')).toBe(before);
    // nothing of the rejected push stays in the server's object store
    expect(spawnSync('git', ['cat-file', '-e', bad], { cwd: s.server, env: gitEnv({ GIT_DIR: s.server }) }).status).not.toBe(0);
  });

  it('accepts a clean push (the new commits are read from the quarantine)', () => {
    const s = setup();
    const head = commit(s.repo, { 'src/app.py': 'print("hi")\n' });
    const r = push(s, 'main');
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toMatch(/remote: keyguard: scanned 1 file changes? in 1 commits?.*0 findings/);
    expect(serverRef(s, 'refs/heads/main')).toBe(head);
  });

  it('scans only what the server lacks: a new branch of known commits and a deletion pass', () => {
    const s = setup({ keyInFirstCommit: true });
    const r = push(s, 'main:refs/heads/release');
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toContain('every pushed commit is already in this repository');
    expect(serverRef(s, 'refs/heads/release')).toBe(serverRef(s, 'refs/heads/main'));
    const del = push(s, '--delete', 'release');
    expect(del.code, del.out).toBe(0);
    expect(serverRef(s, 'refs/heads/release')).toBeUndefined();
  });

  it('accepts a force-push that rewrites the key away', () => {
    // the key reached the server before the hook was there
    const s = setup({ keyInFirstCommit: true });
    const old = serverRef(s, 'refs/heads/main');
    git(s.repo, ['rm', '-q', 'old.cfg']);
    git(s.repo, ['commit', '-q', '--amend', '-m', 'initial, without the key']);
    const rewritten = git(s.repo, ['rev-parse', 'HEAD']).trim();
    expect(push(s, 'main').code).not.toBe(0); // not a fast-forward
    const r = push(s, '--force', 'main');
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toMatch(/0 findings/);
    expect(serverRef(s, 'refs/heads/main')).toBe(rewritten);
    expect(rewritten).not.toBe(old);
  });

  it('refuses -o keyguard.skip unless the repository allows it, then lets the push through and logs it', () => {
    const s = setup();
    serverConfig(s, 'receive.advertisePushOptions', 'true');
    const before = serverRef(s, 'refs/heads/main');
    const bad = commit(s.repo, { 'fixture.txt': `${KEY}\n` });
    const refused = push(s, '-o', 'keyguard.skip', 'main');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('remote: keyguard: push option keyguard.skip refused');
    expect(refused.stderr).toContain('fixture.txt:1');
    expect(serverRef(s, 'refs/heads/main')).toBe(before);
    const log = join(s.server, 'keyguard', 'skips.log');
    expect(existsSync(log)).toBe(false);

    serverConfig(s, 'keyguard.allowSkip', 'true');
    const skipped = push(s, '-o', 'keyguard.skip', 'main');
    expect(skipped.code, skipped.out).toBe(0);
    expect(skipped.stderr).toContain('remote: keyguard: skipped by push option for refs/heads/main');
    expect(serverRef(s, 'refs/heads/main')).toBe(bad);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z skip ref=refs/heads/main old=${before} new=${bad} user=ann$`));
    expect(statSync(log).mode & 0o777).toBe(0o600);
    // without the option the next push is checked again
    commit(s.repo, { 'more.txt': `${keyFor('admin_133', 52)}\n` });
    expect(push(s, 'main').code).not.toBe(0);
  });

  it("fails closed when it is run without git's input or with input it cannot read", () => {
    const s = setup();
    const r = runCli(['scan', '--pre-receive'], { cwd: s.server, env: s.e, input: 'refs/heads/main\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read git's pre-receive input/);
    const missing = runCli(['scan', '--pre-receive'], { cwd: s.server, env: s.e, input: `${'0'.repeat(40)} ${'e'.repeat(40)} refs/heads/x\n` });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot list the commits being pushed/);
  });
});
