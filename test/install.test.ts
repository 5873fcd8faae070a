// `keyguard install` / `uninstall` in real repositories: the hooks directory git really uses, chaining
// and restoring a foreign hook, idempotence, husky, the pre-commit framework and lefthook configs.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFor } from './helpers/keys.js';
import { CLI, PROJECT_ROOT, git, gitEnv, gitRepo, runCli, tempDir, writeFiles } from './helpers/tmp.js';

const KEY = keyFor('project_132', 31);

function shimDir(): string {
  const dir = tempDir('kg-bin-');
  writeFileSync(join(dir, 'keyguard'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
  return dir;
}

function env(): NodeJS.ProcessEnv {
  return gitEnv({ HOME: tempDir('kg-home-'), PATH: `${shimDir()}:${process.env.PATH ?? ''}`, OPENAI_API_KEY: '', CODEX_API_KEY: '', NO_COLOR: '1' });
}

function kg(dir: string, e: NodeJS.ProcessEnv, ...args: string[]) {
  return runCli(args, { cwd: dir, env: e });
}

function commitWith(dir: string, e: NodeJS.ProcessEnv, file: string, content: string): { code: number; out: string } {
  writeFiles(dir, { [file]: content });
  git(dir, ['add', file]);
  const r = spawnSync('git', ['commit', '-q', '-m', 'c'], { cwd: dir, env: e, encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

const FOREIGN = '#!/bin/sh\necho foreign-ran >> "$(git rev-parse --git-dir)/foreign.log"\nexit "${FOREIGN_EXIT:-0}"\n';

describe('keyguard install (git hook)', () => {
  it('installs an executable hook, changes nothing the second time, and uninstalls', () => {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    const e = env();
    const first = kg(dir, e, 'install');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('installed in the git pre-commit hook: .git/hooks/pre-commit');
    const hook = join(dir, '.git', 'hooks', 'pre-commit');
    const before = statSync(hook);
    expect(before.mode & 0o111).not.toBe(0);
    expect(readFileSync(hook, 'utf8')).toBe(readFileSync(join(PROJECT_ROOT, 'hooks', 'pre-commit'), 'utf8'));
    const second = kg(dir, e, 'install');
    expect(second.stdout).toContain('already installed');
    expect(statSync(hook).mtimeMs).toBe(before.mtimeMs);
    expect(commitWith(dir, e, 'a.txt', `a\n${KEY}\n`).code).toBe(1);
    const un = kg(dir, e, 'uninstall');
    expect(un.code).toBe(0);
    expect(un.stdout).toContain('removed from the git pre-commit hook');
    expect(existsSync(hook)).toBe(false);
    expect(kg(dir, e, 'uninstall').stdout).toContain('no keyguard hook is installed');
  });

  it('chains a foreign hook (both run, either blocks) and restores it on uninstall', () => {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    const e = env();
    const hook = join(dir, '.git', 'hooks', 'pre-commit');
    writeFileSync(hook, FOREIGN, { mode: 0o755 });
    const r = kg(dir, e, 'install');
    expect(r.stdout).toContain('pre-commit.keyguard-chained');
    expect(readFileSync(join(dir, '.git', 'hooks', 'pre-commit.keyguard-chained'), 'utf8')).toBe(FOREIGN);
    const log = join(dir, '.git', 'foreign.log');
    // keyguard blocks, and the foreign hook still ran
    expect(commitWith(dir, e, 'a.txt', `a\n${KEY}\n`).code).toBe(1);
    expect(readFileSync(log, 'utf8')).toBe('foreign-ran\n');
    // the foreign hook blocks a commit keyguard would allow
    const blocked = commitWith(dir, { ...e, FOREIGN_EXIT: '3' }, 'a.txt', 'a\nclean\n');
    expect(blocked.code).not.toBe(0);
    expect(blocked.out).toMatch(/0 findings/);
    // and the last line says which of the two blocked
    expect(blocked.out.trimEnd().split('\n').at(-1)).toBe(
      'keyguard: found no key; the commit was blocked by the hook keyguard chained (.git/hooks/pre-commit.keyguard-chained exited with 3)',
    );
    expect(commitWith(dir, e, 'a.txt', 'a\nclean\n').code).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe('foreign-ran\nforeign-ran\nforeign-ran\n');
    // idempotent: the chained hook is not chained again
    expect(kg(dir, e, 'install').stdout).toContain('already installed');
    const un = kg(dir, e, 'uninstall');
    expect(un.stdout).toContain('restored the hook it had chained');
    expect(readFileSync(hook, 'utf8')).toBe(FOREIGN);
    expect(statSync(hook).mode & 0o111).not.toBe(0);
    expect(existsSync(join(dir, '.git', 'hooks', 'pre-commit.keyguard-chained'))).toBe(false);
  });

  it("refuses to guess when a foreign hook replaced keyguard's while a chained one is kept", () => {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    const e = env();
    writeFileSync(join(dir, '.git', 'hooks', 'pre-commit'), FOREIGN, { mode: 0o755 });
    kg(dir, e, 'install');
    writeFileSync(join(dir, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const r = kg(dir, e, 'install');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/still there/);
    expect(readFileSync(join(dir, '.git', 'hooks', 'pre-commit.keyguard-chained'), 'utf8')).toBe(FOREIGN);
  });

  it('respects core.hooksPath', () => {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    const e = env();
    git(dir, ['config', 'core.hooksPath', '.githooks']);
    expect(kg(dir, e, 'install').stdout).toContain('.githooks/pre-commit');
    expect(existsSync(join(dir, '.githooks', 'pre-commit'))).toBe(true);
    expect(existsSync(join(dir, '.git', 'hooks', 'pre-commit'))).toBe(false);
    expect(commitWith(dir, e, 'a.txt', `a\n${KEY}\n`).code).toBe(1);
  });

  it('installs into the shared hooks of a linked worktree and the own hooks of a submodule', () => {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    const e = env();
    const wt = join(tempDir('kg-wt-'), 'wt');
    git(dir, ['worktree', 'add', '-q', '-b', 'side', wt]);
    expect(kg(wt, e, 'install').code).toBe(0);
    expect(existsSync(join(dir, '.git', 'hooks', 'pre-commit'))).toBe(true);
    expect(commitWith(wt, e, 'a.txt', `a\n${KEY}\n`).code).toBe(1);

    const lib = gitRepo({ 'lib.txt': 'l\n' });
    git(dir, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib, 'lib']);
    git(dir, ['commit', '-q', '--no-verify', '-m', 'add submodule']);
    const sub = join(dir, 'lib');
    const r = kg(sub, e, 'install');
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, '.git', 'modules', 'lib', 'hooks', 'pre-commit'))).toBe(true);
    git(sub, ['config', 'commit.gpgsign', 'false']);
    expect(commitWith(sub, e, 'lib.txt', `l\n${KEY}\n`).code).toBe(1);
  });

  it('explains itself outside a repository and in --help', () => {
    const dir = tempDir();
    const r = kg(dir, env(), 'install');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not in a git repository/);
    const help = kg(dir, env(), 'install', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--pre-commit');
    expect(help.stdout).toContain('--no-verify');
    expect(kg(dir, env(), 'uninstall', '--help').stdout).toContain('Usage: keyguard uninstall');
    expect(kg(dir, env(), 'install', '--git', '--husky').code).toBe(2);
  });
});

describe('keyguard install with husky', () => {
  it('adds its line to .husky/pre-commit once, runs through husky, and removes only its line', () => {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    const e = env();
    const husky = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'husky', 'bin.js')], { cwd: dir, env: e, encoding: 'utf8' });
    expect(husky.status, husky.stderr).toBe(0);
    writeFiles(dir, { '.husky/pre-commit': 'echo lint-ran\n' });
    const r = kg(dir, e, 'install');
    expect(r.stdout).toContain('added to the husky pre-commit hook: .husky/pre-commit');
    expect(r.stdout).not.toContain('husky is not active');
    // the user's file was changed: its previous version is kept in keyguard's backup directory
    const backup = /the previous version is backed up at (\S+)/.exec(r.stdout)?.[1];
    expect(backup).toContain(join(e.HOME!, '.local', 'share', 'keyguard', 'backups'));
    expect(readFileSync(backup!, 'utf8')).toBe('echo lint-ran\n');
    expect(statSync(backup!).mode & 0o777).toBe(0o600);
    expect(kg(dir, e, 'install').stdout).toContain('already installed');
    expect(readFileSync(join(dir, '.husky', 'pre-commit'), 'utf8')).toBe('echo lint-ran\nkeyguard scan --staged\n');
    expect(existsSync(join(dir, '.git', 'hooks', 'pre-commit'))).toBe(false);
    const blocked = commitWith(dir, e, 'a.txt', `a\n${KEY}\n`);
    expect(blocked.code).not.toBe(0);
    expect(blocked.out).toContain('lint-ran');
    expect(blocked.out).toMatch(/1 finding/);
    expect(kg(dir, e, 'uninstall').stdout).toContain('removed from the husky pre-commit hook');
    expect(readFileSync(join(dir, '.husky', 'pre-commit'), 'utf8')).toBe('echo lint-ran\n');
  });

  it('creates .husky/pre-commit when there is none, says when husky is not set up, and deletes the file it created', () => {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    const e = env();
    writeFiles(dir, { '.husky/.keep': '' });
    const r = kg(dir, e, 'install');
    expect(r.stdout).toContain('installed in the husky pre-commit hook');
    expect(r.stdout).toContain('husky is not active');
    expect(readFileSync(join(dir, '.husky', 'pre-commit'), 'utf8')).toBe('keyguard scan --staged\n');
    kg(dir, e, 'uninstall', '--husky');
    expect(existsSync(join(dir, '.husky', 'pre-commit'))).toBe(false);
  });

  it('is how this repository checks its own commits', () => {
    const line = readFileSync(join(PROJECT_ROOT, '.husky', 'pre-commit'), 'utf8');
    expect(line).toMatch(/^node dist\/cli\.cjs scan --staged$/m);
  });
});

function yamlJson(path: string): unknown {
  const r = spawnSync('python3', ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', path], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return JSON.parse(r.stdout) as unknown;
}

const hasPyYaml = spawnSync('python3', ['-c', 'import yaml']).status === 0;

describe('keyguard install --pre-commit', () => {
  const version = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

  it('creates the config, appends to an existing repos list at its indentation, once, and removes only its entry', () => {
    const fresh = gitRepo();
    const e = env();
    expect(kg(fresh, e, 'install', '--pre-commit').stdout).toContain('installed in the pre-commit framework config');
    const created = readFileSync(join(fresh, '.pre-commit-config.yaml'), 'utf8');
    // keyguard is not from the npm registry here (a shim on PATH): the entry runs it, nothing is downloaded
    expect(created).not.toContain('additional_dependencies');
    expect(created).toMatch(/^repos:\n {2}- repo: local\n {4}hooks:\n {6}- id: keyguard$/m);
    if (hasPyYaml) {
      expect(yamlJson(join(fresh, '.pre-commit-config.yaml'))).toMatchObject({
        repos: [{ repo: 'local', hooks: [{ id: 'keyguard', entry: 'keyguard scan --staged', language: 'system', pass_filenames: true }] }],
      });
    }
    kg(fresh, e, 'uninstall', '--pre-commit');
    expect(existsSync(join(fresh, '.pre-commit-config.yaml'))).toBe(false);

    const dir = gitRepo();
    const original = [
      '# shared hooks',
      'default_stages: [pre-commit]',
      'repos:',
      '- repo: https://github.com/pre-commit/pre-commit-hooks',
      '  rev: v4.6.0',
      '  hooks:',
      '  - id: trailing-whitespace',
      '',
      '# formatting last',
      'exclude: ^vendor/',
      '',
    ].join('\n');
    writeFiles(dir, { '.pre-commit-config.yaml': original });
    expect(kg(dir, e, 'install', '--pre-commit').stdout).toContain('added to the pre-commit framework config');
    const text = readFileSync(join(dir, '.pre-commit-config.yaml'), 'utf8');
    expect(text).toContain('  - id: trailing-whitespace\n- repo: local\n  hooks:\n    - id: keyguard\n');
    expect(text).toContain('exclude: ^vendor/');
    if (hasPyYaml) {
      const doc = yamlJson(join(dir, '.pre-commit-config.yaml')) as { repos: Array<{ repo: string; hooks: Array<Record<string, unknown>> }>; exclude: string };
      expect(doc.repos.map((r) => r.repo)).toEqual(['https://github.com/pre-commit/pre-commit-hooks', 'local']);
      expect(doc.repos[1]!.hooks[0]).toMatchObject({ id: 'keyguard', entry: 'keyguard scan --staged', language: 'system', pass_filenames: true });
      expect(doc.exclude).toBe('^vendor/');
    }
    expect(kg(dir, e, 'install', '--pre-commit').stdout).toContain('already installed');
    kg(dir, e, 'uninstall');
    expect(readFileSync(join(dir, '.pre-commit-config.yaml'), 'utf8')).toBe(original);
  });

  it("runs the project's own keyguard, and pins the registry version only for a keyguard npm installed from the registry", () => {
    const dir = gitRepo();
    const e = env();
    writeFiles(dir, { 'frontend/node_modules/.bin/keyguard': '#!/bin/sh\n' });
    chmodSync(join(dir, 'frontend', 'node_modules', '.bin', 'keyguard'), 0o755);
    const r = kg(join(dir, 'frontend'), e, 'install', '--pre-commit');
    expect(r.stdout).toContain('the hook runs the one install found, frontend/node_modules/.bin/keyguard');
    const config = join(dir, '.pre-commit-config.yaml');
    expect(readFileSync(config, 'utf8')).toContain('        entry: frontend/node_modules/.bin/keyguard scan --staged\n        language: system\n');
    kg(dir, e, 'uninstall', '--pre-commit');
    expect(existsSync(config)).toBe(false);

    // npm's record of where it installed keyguard from: a registry tarball
    const lock = { packages: { 'node_modules/keyguard': { version, resolved: `https://registry.npmjs.org/keyguard/-/keyguard-${version}.tgz` } } };
    writeFiles(dir, { 'frontend/node_modules/.package-lock.json': JSON.stringify(lock) });
    kg(join(dir, 'frontend'), e, 'install', '--pre-commit');
    const text = readFileSync(config, 'utf8');
    expect(text).toContain(`        language: node\n        additional_dependencies: ['keyguard@${version}']\n`);
    expect(text).toContain('        entry: keyguard scan --staged\n');
    expect(kg(dir, e, 'uninstall', '--pre-commit').stdout).toContain('removed from the pre-commit framework config');
    expect(existsSync(config)).toBe(false);
  });

  it('ships .pre-commit-hooks.yaml for use by repo URL', () => {
    const text = readFileSync(join(PROJECT_ROOT, '.pre-commit-hooks.yaml'), 'utf8');
    expect(text).toMatch(/^- id: keyguard$/m);
    expect(text).toMatch(/^ {2}language: node$/m);
    expect(text).toMatch(/^ {2}entry: keyguard scan --staged$/m);
    if (hasPyYaml) {
      const doc = yamlJson(join(PROJECT_ROOT, '.pre-commit-hooks.yaml')) as Array<Record<string, unknown>>;
      expect(doc[0]).toMatchObject({ id: 'keyguard', language: 'node', entry: 'keyguard scan --staged', pass_filenames: true });
    }
  });
});

describe('keyguard install --lefthook', () => {
  it("adds a command under pre-commit, once, at the file's indentation, and removes it again", () => {
    const dir = gitRepo();
    const e = env();
    const original = [
      'pre-push:',
      '    commands:',
      '        test:',
      '            run: npm test',
      'pre-commit:',
      '    parallel: true',
      '    commands:',
      '        lint:',
      '            run: npm run lint',
      '',
    ].join('\n');
    writeFiles(dir, { 'lefthook.yml': original });
    expect(kg(dir, e, 'install', '--lefthook').stdout).toContain('added to the lefthook config');
    const text = readFileSync(join(dir, 'lefthook.yml'), 'utf8');
    expect(text).toContain('        lint:\n            run: npm run lint\n        keyguard:\n            run: keyguard scan --staged\n');
    if (hasPyYaml) {
      const doc = yamlJson(join(dir, 'lefthook.yml')) as Record<string, { commands: Record<string, { run: string }> }>;
      expect(Object.keys(doc['pre-commit']!.commands)).toEqual(['lint', 'keyguard']);
      expect(Object.keys(doc['pre-push']!.commands)).toEqual(['test']);
    }
    expect(kg(dir, e, 'install', '--lefthook').stdout).toContain('already installed');
    kg(dir, e, 'uninstall', '--lefthook');
    expect(readFileSync(join(dir, 'lefthook.yml'), 'utf8')).toBe(original);
  });

  it('in a monorepo, runs the keyguard of the package install was run from', () => {
    const dir = gitRepo();
    writeFiles(dir, { 'frontend/node_modules/.bin/keyguard': '#!/bin/sh\n' });
    chmodSync(join(dir, 'frontend', 'node_modules', '.bin', 'keyguard'), 0o755);
    kg(join(dir, 'frontend'), env(), 'install', '--lefthook');
    expect(readFileSync(join(dir, 'lefthook.yml'), 'utf8')).toContain('      run: frontend/node_modules/.bin/keyguard scan --staged\n');
  });

  it('creates lefthook.yml, uses node_modules/.bin when keyguard is a dependency, and deletes what it created', () => {
    const dir = gitRepo();
    const e = env();
    writeFiles(dir, { 'node_modules/.bin/keyguard': '#!/bin/sh\n' });
    chmodSync(join(dir, 'node_modules', '.bin', 'keyguard'), 0o755);
    kg(dir, e, 'install', '--lefthook');
    expect(readFileSync(join(dir, 'lefthook.yml'), 'utf8')).toBe(
      'pre-commit:\n  commands:\n    keyguard:\n      run: node_modules/.bin/keyguard scan --staged\n',
    );
    kg(dir, e, 'uninstall', '--lefthook');
    expect(existsSync(join(dir, 'lefthook.yml'))).toBe(false);
  });
});
