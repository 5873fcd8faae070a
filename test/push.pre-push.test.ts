// `keyguard install --pre-push` and `keyguard scan --pre-push`: real pushes to a bare repository on
// the file system, with the hook installed by keyguard and run by git.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from '../src/engine/redact.js';
import { keyFor } from './helpers/keys.js';
import { git, gitEnv, gitRepo, hookEnv, PROJECT_ROOT, runCli, tempDir, writeFiles } from './helpers/tmp.js';

const KEY = keyFor('project_164', 41);
const OTHER_KEY = keyFor('svcacct_167', 42);

interface Setup {
  repo: string;
  server: string;
  e: NodeJS.ProcessEnv;
}

/** A clone with `origin` (a bare repository), `main` pushed there, and keyguard's pre-push hook installed. */
function setup(files: Record<string, string> = { 'README.md': 'hello\n' }): Setup {
  const e = hookEnv();
  const server = join(tempDir('kg-server-'), 'server.git');
  git(tempDir(), ['init', '-q', '--bare', '-b', 'main', server]);
  const repo = gitRepo(files);
  git(repo, ['remote', 'add', 'origin', server]);
  git(repo, ['push', '-q', 'origin', 'main']);
  const r = runCli(['install', '--pre-push'], { cwd: repo, env: e });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain('installed in the git pre-push hook: .git/hooks/pre-push');
  return { repo, server, e };
}

function commit(repo: string, files: Record<string, string>, message = 'change'): string {
  writeFiles(repo, files);
  git(repo, ['add', '-A']);
  // --no-verify: what a key gets past the pre-commit hook with
  git(repo, ['commit', '-q', '--no-verify', '-m', message]);
  return git(repo, ['rev-parse', 'HEAD']).trim();
}

function push(s: Setup, ...args: string[]): { code: number; out: string } {
  const r = spawnSync('git', ['push', 'origin', ...args], { cwd: s.repo, env: s.e, encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

function serverRef(s: Setup, ref: string): string | undefined {
  const r = spawnSync('git', ['rev-parse', '--verify', '-q', ref], { cwd: s.server, env: gitEnv({ GIT_DIR: s.server }), encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

describe('keyguard install --pre-push', () => {
  it('installs the shipped script, changes nothing the second time, and uninstalls', () => {
    const s = setup();
    const hook = join(s.repo, '.git', 'hooks', 'pre-push');
    expect(readFileSync(hook, 'utf8')).toBe(readFileSync(join(PROJECT_ROOT, 'hooks', 'pre-push'), 'utf8'));
    expect(statSync(hook).mode & 0o111).not.toBe(0);
    expect(runCli(['install', '--pre-push'], { cwd: s.repo, env: s.e }).stdout).toContain('already installed');
    // the pre-commit hook is a separate install: the pre-push one did not write it
    expect(existsSync(join(s.repo, '.git', 'hooks', 'pre-commit'))).toBe(false);
    const un = runCli(['uninstall', '--pre-push'], { cwd: s.repo, env: s.e });
    expect(un.stdout).toContain('removed from the git pre-push hook');
    expect(existsSync(hook)).toBe(false);
  });

  it('chains an existing pre-push hook with the same input, and gives it back byte for byte', () => {
    const e = hookEnv();
    const server = join(tempDir('kg-server-'), 'server.git');
    git(tempDir(), ['init', '-q', '--bare', '-b', 'main', server]);
    const repo = gitRepo({ 'README.md': 'hello\n' });
    git(repo, ['remote', 'add', 'origin', server]);
    const hook = join(repo, '.git', 'hooks', 'pre-push');
    const foreign =
      "#!/bin/sh\n# the team's own pre-push\n" +
      'cat >> "$(git rev-parse --git-dir)/foreign-stdin.log"\necho "$1 $2" >> "$(git rev-parse --git-dir)/foreign-args.log"\n';
    writeFileSync(hook, foreign, { mode: 0o750 });
    const r = runCli(['install', '--pre-push'], { cwd: repo, env: e });
    expect(r.stdout).toContain('pre-push.keyguard-chained');
    const p = spawnSync('git', ['push', '-q', 'origin', 'main'], { cwd: repo, env: e, encoding: 'utf8' });
    expect(p.status, p.stderr).toBe(0);
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    expect(readFileSync(join(repo, '.git', 'foreign-stdin.log'), 'utf8')).toBe(`refs/heads/main ${head} refs/heads/main ${'0'.repeat(40)}\n`);
    expect(readFileSync(join(repo, '.git', 'foreign-args.log'), 'utf8')).toBe(`origin ${server}\n`);
    const un = runCli(['uninstall'], { cwd: repo, env: e });
    expect(un.stdout).toContain('restored the hook it had chained');
    expect(readFileSync(hook, 'utf8')).toBe(foreign);
    expect(statSync(hook).mode & 0o777).toBe(0o750);
  });
});

describe('keyguard install --pre-push with husky', () => {
  it("puts its line first in .husky/pre-push, where husky runs it with git's input, and removes only that line", () => {
    const e = hookEnv();
    const server = join(tempDir('kg-server-'), 'server.git');
    git(tempDir(), ['init', '-q', '--bare', '-b', 'main', server]);
    const repo = gitRepo({ 'README.md': 'hello\n' });
    git(repo, ['remote', 'add', 'origin', server]);
    const husky = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'husky', 'bin.js')], { cwd: repo, env: e, encoding: 'utf8' });
    expect(husky.status, husky.stderr).toBe(0);
    const mine = '#!/bin/sh\r\necho tests-ran\r\n';
    writeFiles(repo, { '.husky/pre-push': mine });
    const r = runCli(['install', '--pre-push'], { cwd: repo, env: e });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('added to the husky pre-push hook: .husky/pre-push');
    expect(readFileSync(join(repo, '.husky', 'pre-push'), 'utf8')).toBe('#!/bin/sh\r\nkeyguard scan --pre-push "$@"\r\necho tests-ran\r\n');
    expect(existsSync(join(repo, '.git', 'hooks', 'pre-push'))).toBe(false);
    expect(runCli(['install', '--pre-push'], { cwd: repo, env: e }).stdout).toContain('already installed');
    const s: Setup = { repo, server, e };
    // the team's hooks are tracked, as husky means them to be
    commit(repo, {});
    commit(repo, { 'k.txt': `${KEY}\n` });
    const blocked = push(s, 'main');
    expect(blocked.code).not.toBe(0);
    expect(blocked.out).toContain('k.txt:1');
    expect(blocked.out).toContain('husky - pre-push script failed');
    expect(serverRef(s, 'refs/heads/main')).toBeUndefined();
    git(repo, ['reset', '-q', '--hard', 'HEAD~1']);
    const ok = push(s, 'main');
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('tests-ran');
    const un = runCli(['uninstall', '--pre-push'], { cwd: repo, env: e });
    expect(un.stdout).toContain('removed from the husky pre-push hook');
    expect(readFileSync(join(repo, '.husky', 'pre-push'), 'utf8')).toBe(mine);
  });
});

describe('keyguard install --pre-push --lefthook', () => {
  it("adds a pre-push command that gets git's stdin, once, and uninstall gives the config back byte for byte", () => {
    const e = hookEnv();
    const repo = gitRepo({ 'README.md': 'hello\n' });
    const mine = '# lefthook config\r\npre-commit:\r\n  commands:\r\n    lint:\r\n      run: npm run lint\r\n';
    writeFiles(repo, { 'lefthook.yml': mine });
    const r = runCli(['install', '--pre-push', '--lefthook'], { cwd: repo, env: e });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("added to lefthook's pre-push commands: lefthook.yml");
    const text = readFileSync(join(repo, 'lefthook.yml'), 'utf8');
    expect(text.startsWith(mine)).toBe(true);
    expect(text.slice(mine.length)).toBe(
      'pre-push:\r\n  commands:\r\n    keyguard:\r\n      run: keyguard scan --pre-push {1} {2}\r\n      use_stdin: true\r\n',
    );
    expect(existsSync(join(repo, '.git', 'hooks', 'pre-push'))).toBe(false);
    expect(runCli(['install', '--pre-push', '--lefthook'], { cwd: repo, env: e }).stdout).toContain('already installed');
    // the pre-commit entry is a different command: installing it leaves the push check alone
    expect(runCli(['install', '--lefthook'], { cwd: repo, env: e }).code).toBe(0);
    expect(runCli(['uninstall', '--lefthook'], { cwd: repo, env: e }).code).toBe(0);
    expect(readFileSync(join(repo, 'lefthook.yml'), 'utf8')).toBe(text);
    const un = runCli(['uninstall', '--pre-push'], { cwd: repo, env: e });
    expect(un.stdout).toContain("removed from lefthook's pre-push commands");
    expect(readFileSync(join(repo, 'lefthook.yml'), 'utf8')).toBe(mine);
  });

  it('is refused with --pre-receive, and with --husky', () => {
    const repo = gitRepo({ 'README.md': 'hello\n' });
    expect(runCli(['install', '--pre-push', '--lefthook', '--husky'], { cwd: repo, env: hookEnv() }).code).toBe(2);
    expect(runCli(['install', '--pre-receive', '--lefthook'], { cwd: repo, env: hookEnv() }).code).toBe(2);
  });
});

describe('keyguard scan --pre-push, run by git push', () => {
  it('blocks a key committed with --no-verify, naming commit, path and line, with the key redacted', () => {
    const s = setup();
    const before = serverRef(s, 'refs/heads/main');
    const bad = commit(s.repo, { 'config.py': `import os\nKEY = "${KEY}"\n` });
    const tip = commit(s.repo, { 'notes.txt': 'later work\n' });
    const r = push(s, 'main');
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('config.py');
    expect(r.out).toContain(bad);
    expect(r.out).toContain(`${bad.slice(0, 12)}  config.py:2`);
    // an older commit: the rebase that reaches it, not an amend of the tip
    expect(r.out).toContain(`git rebase -i ${bad.slice(0, 12)}^`);
    expect(r.out).toContain('Nothing has left this machine yet');
    expect(r.out).toContain(redact(KEY));
    expect(r.out).not.toContain(KEY);
    expect(r.out).toMatch(/in 2 commits.*1 finding/);
    expect(serverRef(s, 'refs/heads/main')).toBe(before);
    expect(tip).not.toBe(before);
  });

  it('advises an amend when the key is in the tip, and passes once it is amended away', () => {
    const s = setup();
    commit(s.repo, { 'app.env': `OPENAI_API_KEY=${KEY}\n` });
    const r = push(s, 'main');
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('the tip of main: remove the key, `git add` the file, `git commit --amend`');
    writeFiles(s.repo, { 'app.env': 'OPENAI_API_KEY=\n' });
    git(s.repo, ['commit', '-q', '--no-verify', '-a', '--amend', '-m', 'env template']);
    const again = push(s, 'main');
    expect(again.code, again.out).toBe(0);
    expect(again.out).toMatch(/0 findings/);
    expect(serverRef(s, 'refs/heads/main')).toBe(git(s.repo, ['rev-parse', 'HEAD']).trim());
  });

  it('passes a clean push', () => {
    const s = setup();
    const head = commit(s.repo, { 'src/app.py': 'print("hi")\n' });
    const r = push(s, 'main');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/in 1 commits?.*0 findings/);
    expect(serverRef(s, 'refs/heads/main')).toBe(head);
  });

  it('passes a new branch whose commits the remote already has, without rescanning history', () => {
    // a key that reached the remote before the hook existed: old history, not this push's business
    const s = setup({ 'README.md': 'hello\n', 'old.cfg': `key=${KEY}\n` });
    const r = push(s, 'HEAD:refs/heads/release');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('every pushed commit is already on origin: there is nothing new to check');
    expect(r.out).not.toContain('old.cfg');
    expect(serverRef(s, 'refs/heads/release')).toBe(git(s.repo, ['rev-parse', 'HEAD']).trim());
    // a new branch with one new commit: only that commit is read
    git(s.repo, ['switch', '-q', '-c', 'feature']);
    commit(s.repo, { 'feature.txt': 'f\n' });
    const f = push(s, 'feature');
    expect(f.code, f.out).toBe(0);
    expect(f.out).toMatch(/in 1 commits?,/);
  });

  it('passes a branch deletion', () => {
    const s = setup();
    git(s.repo, ['branch', 'tmp']);
    expect(push(s, 'tmp').code).toBe(0);
    expect(serverRef(s, 'refs/heads/tmp')).toBeDefined();
    const r = push(s, '--delete', 'tmp');
    expect(r.code, r.out).toBe(0);
    expect(serverRef(s, 'refs/heads/tmp')).toBeUndefined();
  });

  it('checks every ref of a push of two refs, and blocks all of it', () => {
    const s = setup();
    git(s.repo, ['switch', '-q', '-c', 'one']);
    const c1 = commit(s.repo, { 'one.txt': `${KEY}\n` });
    git(s.repo, ['switch', '-q', 'main']);
    git(s.repo, ['switch', '-q', '-c', 'two']);
    const c2 = commit(s.repo, { 'two.txt': `token: ${OTHER_KEY}\n` });
    git(s.repo, ['switch', '-q', '-c', 'three', 'main']);
    const c3 = commit(s.repo, { 'three.txt': 'clean\n' });
    const r = push(s, 'one', 'two', 'three');
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(`${c1.slice(0, 12)}  one.txt:1  the tip of one`);
    expect(r.out).toContain(`${c2.slice(0, 12)}  two.txt:1  the tip of two`);
    expect(r.out).not.toContain(c3.slice(0, 12));
    expect(r.out).toMatch(/in 3 commits.*2 findings/);
    // the hook stops the whole push
    for (const b of ['one', 'two', 'three']) expect(serverRef(s, `refs/heads/${b}`)).toBeUndefined();
    // two clean refs at once pass
    git(s.repo, ['switch', '-q', '-c', 'four', 'main']);
    commit(s.repo, { 'four.txt': 'clean\n' });
    const ok = push(s, 'three', 'four');
    expect(ok.code, ok.out).toBe(0);
    expect(serverRef(s, 'refs/heads/three')).toBe(c3);
  });

  it('fails closed: a corrupt object blocks the push with exit 2', () => {
    const s = setup();
    commit(s.repo, { 'data.txt': 'some text that will be unreadable\n' });
    const blob = git(s.repo, ['rev-parse', 'HEAD:data.txt']).trim();
    const file = join(s.repo, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
    chmodSync(file, 0o644);
    writeFileSync(file, 'not a zlib stream');
    const r = push(s, 'main');
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/could not be read/);
    expect(r.out).toMatch(/git fsck/);
    // the hook's own exit code: 2, not 1
    const head = git(s.repo, ['rev-parse', 'HEAD']).trim();
    const input = `refs/heads/main ${head} refs/heads/main ${serverRef(s, 'refs/heads/main')}\n`;
    const direct = runCli(['scan', '--pre-push', 'origin', s.server], { cwd: s.repo, env: s.e, input });
    expect(direct.code).toBe(2);
  });

  it('fails closed on a commit it cannot find and on input it cannot read', () => {
    const s = setup();
    const missing = 'f'.repeat(40);
    const input = `refs/heads/main ${missing} refs/heads/main ${'0'.repeat(40)}\n`;
    const r = runCli(['scan', '--pre-push', 'origin', s.server], { cwd: s.repo, env: s.e, input });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot list the commits being pushed/);
    const garbled = runCli(['scan', '--pre-push', 'origin', s.server], { cwd: s.repo, env: s.e, input: 'refs/heads/main not-a-sha\n' });
    expect(garbled.code).toBe(2);
    expect(garbled.stderr).toMatch(/cannot read git's pre-push input/);
  });

  it("with no ref lines (a hook manager that kept git's stdin), checks the current branch's unpushed commits", () => {
    const s = setup();
    const clean = runCli(['scan', '--pre-push', 'origin', s.server], { cwd: s.repo, env: s.e, input: '' });
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain('git named no refs');
    const bad = commit(s.repo, { 'k.env': `KEY=${KEY}\n` });
    const r = runCli(['scan', '--pre-push', 'origin', s.server], { cwd: s.repo, env: s.e, input: '' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${bad.slice(0, 12)}  k.env:1  the tip of main`);
    expect(r.stdout).toContain('lefthook needs `use_stdin: true`');
  });

  it('blocks the push when the hook cannot find keyguard', () => {
    const s = setup();
    commit(s.repo, { 'a.txt': 'a\n' });
    const noKeyguard = { ...s.e, PATH: '/usr/bin:/bin' };
    const r = spawnSync('git', ['push', 'origin', 'main'], { cwd: s.repo, env: noKeyguard, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('the pre-push hook cannot find keyguard');
    expect(r.stderr).toContain('git push --no-verify');
  });
});
