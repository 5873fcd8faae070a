// The installed hooks in real repositories' shapes, run by a real `git commit` / `git push`: a monorepo
// whose keyguard is a dev dependency of one package, a linked worktree without node_modules, a
// submodule whose keyguard is the superproject's, a global core.hooksPath, a PATH without node, and
// the pre-commit framework running the entry keyguard install wrote.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withInstalledKeyguard } from '../src/hook/script.js';
import { keyFor } from './helpers/keys.js';
import { CLI, PROJECT_ROOT, git, gitEnv, gitRepo, runCli, tempDir, writeFiles } from './helpers/tmp.js';

const KEY = keyFor('project_132', 47);

/** A PATH with node and git but no keyguard: the hook has to find keyguard where install recorded it. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const path = `${dirname(process.execPath)}:/usr/bin:/bin`;
  const e = gitEnv({ HOME: tempDir('kg-home-'), PATH: path, OPENAI_API_KEY: '', CODEX_API_KEY: '', NO_COLOR: '1', ...extra });
  for (const k of ['NVM_DIR', 'FNM_DIR', 'ASDF_DATA_DIR']) delete e[k];
  return e;
}

/** A keyguard installed in `dir`/node_modules/.bin that says which one it is. */
function installKeyguardIn(dir: string, label: string): string {
  const bin = join(dir, 'node_modules', '.bin', 'keyguard');
  mkdirSync(dirname(bin), { recursive: true });
  writeFileSync(bin, `#!/bin/sh\necho "${label} keyguard ran" >&2\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
  return bin;
}

function ignoreNodeModules(repo: string): void {
  writeFileSync(join(repo, '.git', 'info', 'exclude'), 'node_modules/\n');
}

function commitWith(dir: string, e: NodeJS.ProcessEnv, file: string, content: string): { code: number; out: string } {
  writeFiles(dir, { [file]: content });
  git(dir, ['add', file]);
  const r = spawnSync('git', ['commit', '-q', '-m', 'c'], { cwd: dir, env: e, encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

function kg(cwd: string, e: NodeJS.ProcessEnv, ...args: string[]) {
  const r = runCli(args, { cwd, env: e });
  expect(r.code, r.stderr).toBe(0);
  return r;
}

describe('husky in a monorepo', () => {
  it("writes the package's keyguard into .husky/pre-commit and .husky/pre-push, and uninstall removes exactly those lines", () => {
    const dir = gitRepo({ 'a.txt': 'a\n', 'frontend/package.json': '{}\n' });
    ignoreNodeModules(dir);
    installKeyguardIn(join(dir, 'frontend'), 'frontend');
    const e = env();
    const husky = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'husky', 'bin.js')], { cwd: dir, env: e, encoding: 'utf8' });
    expect(husky.status, husky.stderr).toBe(0);
    kg(join(dir, 'frontend'), e, 'install', '--husky');
    expect(readFileSync(join(dir, '.husky', 'pre-commit'), 'utf8')).toBe('frontend/node_modules/.bin/keyguard scan --staged\n');
    kg(join(dir, 'frontend'), e, 'install', '--pre-push', '--husky');
    expect(readFileSync(join(dir, '.husky', 'pre-push'), 'utf8')).toBe('frontend/node_modules/.bin/keyguard scan --pre-push "$@"\n');
    expect(kg(join(dir, 'frontend'), e, 'install', '--husky').stdout).toContain('already installed');

    // husky runs it from the top, where keyguard is not in node_modules/.bin: the recorded path is what works
    const blocked = commitWith(dir, e, 'a.txt', `a\n${KEY}\n`);
    expect(blocked.code, blocked.out).toBe(1);
    expect(blocked.out).toContain('frontend keyguard ran');
    expect(commitWith(dir, e, 'a.txt', 'a\nclean\n').code).toBe(0);

    kg(join(dir, 'frontend'), e, 'uninstall', '--husky');
    kg(join(dir, 'frontend'), e, 'uninstall', '--pre-push', '--husky');
    expect(existsSync(join(dir, '.husky', 'pre-commit'))).toBe(false);
    expect(existsSync(join(dir, '.husky', 'pre-push'))).toBe(false);
  });
});

describe('the hook finds the keyguard it was installed from', () => {
  it('in a monorepo, where keyguard is a dev dependency of frontend/ only', () => {
    const dir = gitRepo({ 'a.txt': 'a\n', 'frontend/package.json': '{}\n' });
    ignoreNodeModules(dir);
    installKeyguardIn(join(dir, 'frontend'), 'frontend');
    const e = env();
    const r = kg(join(dir, 'frontend'), e, 'install');
    expect(r.stdout).toContain('the hook runs the one install found, frontend/node_modules/.bin/keyguard');
    expect(readFileSync(join(dir, '.git', 'hooks', 'pre-commit'), 'utf8')).toContain("installed_keyguard='frontend/node_modules/.bin/keyguard'\n");
    expect(kg(join(dir, 'frontend'), e, 'install').stdout).toContain('already installed');

    const blocked = commitWith(dir, e, 'a.txt', `a\n${KEY}\n`);
    expect(blocked.code, blocked.out).toBe(1);
    expect(blocked.out).toContain('frontend keyguard ran');
    expect(blocked.out).toMatch(/1 finding/);
    expect(commitWith(dir, e, 'a.txt', 'a\nclean\n').code).toBe(0);
    // a commit from inside the package runs the same (git runs hooks from the top)
    expect(commitWith(join(dir, 'frontend'), e, 'f.txt', `${KEY}\n`).code).toBe(1);

    // the recorded keyguard gone: the message says where it was and what to do
    rmSync(join(dir, 'frontend', 'node_modules'), { recursive: true });
    const gone = commitWith(dir, e, 'a.txt', 'a\nagain\n');
    expect(gone.code).toBe(1);
    expect(gone.out).toContain('keyguard was installed from frontend/node_modules/.bin/keyguard, which is gone');
    expect(gone.out).toContain('"Install" in keyguard\'s README');
    expect(gone.out).not.toContain('npm install --save-dev keyguard');
  });

  it("in a monorepo, installed from the top by frontend's own copy (the package npm put there, as packed)", () => {
    const dir = gitRepo({ 'a.txt': 'a\n', 'frontend/package.json': '{}\n' });
    ignoreNodeModules(dir);
    const pkg = join(dir, 'frontend', 'node_modules', 'keyguard');
    // what npm packs: package.json's "files"
    const packed = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { files: string[] }).files;
    for (const f of ['package.json', ...packed]) cpSync(join(PROJECT_ROOT, f), join(pkg, f), { recursive: true });
    mkdirSync(join(dir, 'frontend', 'node_modules', '.bin'));
    symlinkSync('../keyguard/dist/cli.cjs', join(dir, 'frontend', 'node_modules', '.bin', 'keyguard'));
    const e = env();
    const r = spawnSync(join(dir, 'frontend', 'node_modules', '.bin', 'keyguard'), ['install'], { cwd: dir, env: e, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('the hook runs the one install found, frontend/node_modules/.bin/keyguard');
    expect(commitWith(dir, e, 'a.txt', `a\n${KEY}\n`).code).toBe(1);
    expect(commitWith(dir, e, 'a.txt', 'a\nclean\n').code).toBe(0);
  });

  it('says at install time when the hook will not find keyguard at all', () => {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    const r = kg(dir, env(), 'install');
    expect(r.stdout).toContain('keyguard was found neither in node_modules/.bin (here or in a parent package) nor on PATH');
    expect(r.stdout).toContain('every commit will be blocked until it is installed');
    const push = kg(dir, env(), 'install', '--pre-push');
    expect(push.stdout).toContain('every push will be blocked until it is installed');
  });

  it("in a linked worktree without node_modules: the main worktree's keyguard", () => {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    ignoreNodeModules(dir);
    installKeyguardIn(dir, 'main-worktree');
    const e = env();
    kg(dir, e, 'install');
    const wt = join(tempDir('kg-wt-'), 'wt');
    git(dir, ['worktree', 'add', '-q', '-b', 'side', wt]);
    expect(existsSync(join(wt, 'node_modules'))).toBe(false);
    const blocked = commitWith(wt, e, 'a.txt', `a\n${KEY}\n`);
    expect(blocked.code, blocked.out).toBe(1);
    expect(blocked.out).toContain('main-worktree keyguard ran');
    expect(blocked.out).toMatch(/1 finding/);
    expect(commitWith(wt, e, 'a.txt', 'a\nclean\n').code).toBe(0);

    rmSync(join(dir, 'node_modules'), { recursive: true });
    const missing = commitWith(wt, e, 'a.txt', 'a\nmore\n');
    expect(missing.code).toBe(1);
    expect(missing.out).toContain(`This is a linked worktree: install the dependencies here or in the main worktree (${dir})`);
  });

  it('in a linked worktree of a monorepo: the recorded path, in the main worktree', () => {
    const dir = gitRepo({ 'a.txt': 'a\n', 'frontend/package.json': '{}\n' });
    ignoreNodeModules(dir);
    installKeyguardIn(join(dir, 'frontend'), 'frontend');
    const e = env();
    kg(join(dir, 'frontend'), e, 'install');
    const wt = join(tempDir('kg-wt-'), 'wt');
    git(dir, ['worktree', 'add', '-q', '-b', 'side', wt]);
    const blocked = commitWith(wt, e, 'a.txt', `a\n${KEY}\n`);
    expect(blocked.code, blocked.out).toBe(1);
    expect(blocked.out).toContain('frontend keyguard ran');
  });

  it("in a submodule, where keyguard is the superproject's dev dependency", () => {
    const top = gitRepo({ 'a.txt': 'a\n' });
    ignoreNodeModules(top);
    installKeyguardIn(top, 'superproject');
    const lib = gitRepo({ 'lib.txt': 'l\n' });
    git(top, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib, 'lib']);
    git(top, ['commit', '-q', '--no-verify', '-m', 'add submodule']);
    const sub = join(top, 'lib');
    git(sub, ['config', 'commit.gpgsign', 'false']);
    const e = env();
    const r = kg(sub, e, 'install');
    expect(r.stdout).toContain('the hook runs the one install found, ../node_modules/.bin/keyguard');
    const blocked = commitWith(sub, e, 'lib.txt', `l\n${KEY}\n`);
    expect(blocked.code, blocked.out).toBe(1);
    expect(blocked.out).toContain('superproject keyguard ran');
    expect(blocked.out).toMatch(/1 finding/);
    expect(commitWith(sub, e, 'lib.txt', 'l\nclean\n').code).toBe(0);
  });

  it('the pre-push hook too (a monorepo)', () => {
    const dir = gitRepo({ 'a.txt': 'a\n', 'frontend/package.json': '{}\n' });
    ignoreNodeModules(dir);
    installKeyguardIn(join(dir, 'frontend'), 'frontend');
    const server = tempDir('kg-server-');
    git(server, ['init', '-q', '--bare']);
    git(dir, ['remote', 'add', 'origin', server]);
    const e = env();
    kg(join(dir, 'frontend'), e, 'install', '--pre-push');
    expect(readFileSync(join(dir, '.git', 'hooks', 'pre-push'), 'utf8')).toContain("installed_keyguard='frontend/node_modules/.bin/keyguard'\n");
    writeFiles(dir, { 'k.env': `K=${KEY}\n` });
    git(dir, ['add', 'k.env']);
    git(dir, ['commit', '-q', '--no-verify', '-m', 'key']);
    const r = spawnSync('git', ['push', 'origin', 'main'], { cwd: dir, env: e, encoding: 'utf8' });
    expect(r.status, r.stderr).not.toBe(0);
    expect(r.stderr).toContain('frontend keyguard ran');
    expect(`${r.stdout}${r.stderr}`).toContain('k.env');
  });
});

describe('a global core.hooksPath', () => {
  function globalHooks(): { e: NodeJS.ProcessEnv; hooks: string } {
    const home = tempDir('kg-home-');
    const hooks = join(home, 'githooks');
    const config = join(home, 'gitconfig');
    writeFileSync(config, `[core]\n\thooksPath = ${hooks}\n`);
    return { e: env({ HOME: home, GIT_CONFIG_GLOBAL: config }), hooks };
  }

  it('other repositories run the keyguard install found; without it, the message says what to do', () => {
    const { e, hooks } = globalHooks();
    const first = gitRepo({ 'a.txt': 'a\n' });
    ignoreNodeModules(first);
    const bin = installKeyguardIn(first, 'first-repo');
    const r = kg(first, e, 'install');
    expect(r.stdout).toContain(`core.hooksPath points outside this repository (${hooks})`);
    expect(readFileSync(join(hooks, 'pre-commit'), 'utf8')).toContain(`installed_keyguard='${bin}'\n`);

    const other = gitRepo({ 'b.txt': 'b\n' });
    const blocked = commitWith(other, e, 'b.txt', `b\n${KEY}\n`);
    expect(blocked.code, blocked.out).toBe(1);
    expect(blocked.out).toContain('first-repo keyguard ran');
    expect(commitWith(other, e, 'b.txt', 'b\nclean\n').code).toBe(0);

    rmSync(join(first, 'node_modules'), { recursive: true });
    const stuck = commitWith(other, e, 'b.txt', 'b\nmore\n');
    expect(stuck.code).toBe(1);
    expect(stuck.out).toContain(`This hook comes from core.hooksPath in your global git config (${hooks}), so it runs in every repository`);
    expect(stuck.out).toContain('git config --global --unset core.hooksPath');
  });

  it('install says other repositories will be blocked when it finds no keyguard they can use', () => {
    const { e } = globalHooks();
    const dir = gitRepo({ 'a.txt': 'a\n' });
    const r = kg(dir, e, 'install');
    expect(r.stdout).toContain('a repository there with no keyguard of its own (node_modules/.bin) will have its commits blocked');
    expect(kg(dir, e, 'install', '--pre-push').stdout).toContain('will have its pushes blocked');
  });
});

describe('keyguard on hand but node not on PATH (a desktop git client, nvm)', () => {
  /** A PATH holding git, sh and the few tools the hook uses, and no node. */
  function pathWithoutNode(): string {
    const bin = tempDir('kg-nonode-');
    for (const tool of ['git', 'sh', 'dirname', 'cat']) {
      const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      symlinkSync(found, join(bin, tool));
    }
    return bin;
  }

  function repo(): { dir: string; home: string; e: NodeJS.ProcessEnv } {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    ignoreNodeModules(dir);
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    // the real bin: dist/cli.cjs, which starts with #!/usr/bin/env node
    symlinkSync(CLI, join(dir, 'node_modules', '.bin', 'keyguard'));
    kg(dir, env(), 'install');
    const home = tempDir('kg-home-');
    return { dir, home, e: env({ HOME: home, PATH: pathWithoutNode() }) };
  }

  it('says the hook needs node, and how to commit once without it', () => {
    const { dir, e } = repo();
    const r = commitWith(dir, e, 'a.txt', 'a\nclean\n');
    expect(r.code).toBe(1);
    expect(r.out).toContain('keyguard: the pre-commit hook needs Node.js (node)');
    expect(r.out).toContain('git commit --no-verify');
  });

  it('finds node where nvm installs it', () => {
    const { dir, home, e } = repo();
    const nodeBin = join(home, '.nvm', 'versions', 'node', 'v20.11.0', 'bin');
    mkdirSync(nodeBin, { recursive: true });
    symlinkSync(process.execPath, join(nodeBin, 'node'));
    const blocked = commitWith(dir, e, 'a.txt', `a\n${KEY}\n`);
    expect(blocked.code, blocked.out).toBe(1);
    expect(blocked.out).toMatch(/1 finding/);
    expect(commitWith(dir, e, 'a.txt', 'a\nclean\n').code).toBe(0);
  });
});

const preCommit = spawnSync('sh', ['-c', 'command -v pre-commit'], { encoding: 'utf8' }).stdout.trim();

describe('the pre-commit framework, for real', () => {
  // .ci/run installs the Debian package pre-commit; without it this cannot run
  it.skipIf(preCommit === '')('runs the entry keyguard install wrote (skipped when pre-commit is not installed)', () => {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    ignoreNodeModules(dir);
    installKeyguardIn(dir, 'project');
    const e = env({ PATH: `${dirname(preCommit)}:${dirname(process.execPath)}:/usr/bin:/bin`, PRE_COMMIT_HOME: tempDir('kg-pre-commit-') });
    kg(dir, e, 'install', '--pre-commit');
    expect(readFileSync(join(dir, '.pre-commit-config.yaml'), 'utf8')).toContain('entry: node_modules/.bin/keyguard scan --staged\n');
    git(dir, ['add', '.pre-commit-config.yaml']);
    git(dir, ['commit', '-q', '--no-verify', '-m', 'pre-commit config']);
    const install = spawnSync(preCommit, ['install'], { cwd: dir, env: e, encoding: 'utf8' });
    expect(install.status, `${install.stdout}${install.stderr}`).toBe(0);

    const blocked = commitWith(dir, e, 'a.txt', `a\n${KEY}\n`);
    expect(blocked.code, blocked.out).toBe(1);
    expect(blocked.out).toContain('keyguard (OpenAI API keys)');
    expect(blocked.out).toContain('project keyguard ran');
    expect(blocked.out).toMatch(/1 finding/);
    expect(commitWith(dir, e, 'a.txt', 'a\nclean\n').code).toBe(0);
    // the documented way past it, once
    expect(commitWith(dir, { ...e, SKIP: 'keyguard' }, 'b.txt', `${KEY}\n`).code).toBe(0);
    expect(git(dir, ['log', '-1', '--format=%s'])).toBe('c\n');
  });
});

describe('wording seen in hook runs', () => {
  it('a file name with a newline stays on one line, and one file is "1 staged file"', () => {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    ignoreNodeModules(dir);
    installKeyguardIn(dir, 'project');
    const e = env();
    kg(dir, e, 'install');
    const r = commitWith(dir, e, 'new\nline.txt', `${KEY}\n`);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain('new\\nline.txt');
    expect(r.out.split('\n').some((l) => l.trim().startsWith('line.txt'))).toBe(false);
    expect(r.out).toMatch(/scanned 1 staged file, /);
  });
});

describe('the recorded path and the chained hook, in the scripts themselves', () => {
  it('a recorded path with quotes and spaces reads back as the same path in sh', () => {
    const at = "../it's a dir/node_modules/.bin/keyguard";
    for (const name of ['pre-commit', 'pre-push']) {
      const script = withInstalledKeyguard(readFileSync(join(PROJECT_ROOT, 'hooks', name), 'utf8'), at);
      const line = script.split('\n').find((l) => l.startsWith('installed_keyguard='))!;
      const r = spawnSync('sh', ['-c', `${line}\nprintf '%s' "$installed_keyguard"`], { encoding: 'utf8' });
      expect(r.stdout).toBe(at);
      expect(spawnSync('sh', ['-n', '-c', script]).status).toBe(0);
    }
    // nothing recorded: the shipped script, byte for byte (so a plain install stays "unchanged")
    const shipped = readFileSync(join(PROJECT_ROOT, 'hooks', 'pre-commit'), 'utf8');
    expect(withInstalledKeyguard(shipped, undefined)).toBe(shipped);
  });

  it('pre-push: a chained hook that blocks is named as the one that blocked', () => {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    ignoreNodeModules(dir);
    installKeyguardIn(dir, 'project');
    const server = tempDir('kg-server-');
    git(server, ['init', '-q', '--bare']);
    git(dir, ['remote', 'add', 'origin', server]);
    writeFileSync(join(dir, '.git', 'hooks', 'pre-push'), '#!/bin/sh\ncat >/dev/null\nexit 3\n', { mode: 0o755 });
    const e = env();
    kg(dir, e, 'install', '--pre-push');
    const r = spawnSync('git', ['push', 'origin', 'main'], { cwd: dir, env: e, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    // keyguard's own last word, after its summary (git adds its "failed to push" after it)
    expect(
      `${r.stdout}${r.stderr}`
        .split('\n')
        .filter((l) => l.startsWith('keyguard:'))
        .at(-1),
    ).toBe('keyguard: found no key; the push was blocked by the hook keyguard chained (.git/hooks/pre-push.keyguard-chained exited with 3)');
  });
});
