// Every git situation the hook must get right: a real repository, `keyguard install`, and a real
// `git commit` through the installed hook (keyguard found on PATH through a shim, as a user has it).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFor } from './helpers/keys.js';
import { CLI, PROJECT_ROOT, git, gitEnv, gitRepo, runCli, tempDir, writeFiles } from './helpers/tmp.js';

interface Run {
  code: number;
  out: string;
}

/** A directory with a `keyguard` command that runs the built CLI. */
function shimDir(): string {
  const dir = tempDir('kg-bin-');
  const shim = join(dir, 'keyguard');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(shim, 0o755);
  return dir;
}

function hookEnv(home: string, bin?: string): NodeJS.ProcessEnv {
  const path = bin ? `${bin}:${process.env.PATH ?? ''}` : (process.env.PATH ?? '');
  return gitEnv({ HOME: home, PATH: path, OPENAI_API_KEY: '', CODEX_API_KEY: '', NO_COLOR: '1' });
}

/** A repository with keyguard's hook installed, and the environment its commits run in. */
function hooked(files?: Record<string, string | Buffer>): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = gitRepo(files);
  const env = hookEnv(tempDir('kg-home-'), shimDir());
  const r = runCli(['install'], { cwd: dir, env });
  expect(r.code, r.stderr).toBe(0);
  return { dir, env };
}

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv, input = ''): Run {
  const r = spawnSync('git', args, { cwd, env, encoding: 'utf8', input });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

function commit(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): Run {
  return run(cwd, ['commit', '-q', '-m', 'change', ...args], env);
}

function headSubject(dir: string): string {
  return git(dir, ['log', '-1', '--format=%s']).trim();
}

function expectBlocked(r: Run, key: string, where: string): void {
  expect(r.code, r.out).not.toBe(0);
  expect(r.out).toContain(where);
  expect(r.out).not.toContain(key);
  // redacted: the family prefix and a few characters at each end, never the whole key
  expect(r.out).toContain(`…${key.slice(-4)}`);
}

function expectAllowed(r: Run): void {
  expect(r.code, r.out).toBe(0);
  expect(r.out).toMatch(/keyguard: scanned \d+ staged files?, [\d.]+ K?B/);
  expect(r.out).toMatch(/; 0 findings/);
}

const KEY = keyFor('project_164', 11);
const KEY2 = keyFor('svcacct_167', 12);

describe('keyguard scan --staged through the installed hook', () => {
  it('blocks a key that is staged and then edited out of the working file, and says what to do', () => {
    const { dir, env } = hooked({ 'app.py': 'import os\n' });
    writeFiles(dir, { 'app.py': `import os\nKEY = "${KEY}"\n` });
    git(dir, ['add', 'app.py']);
    writeFiles(dir, { 'app.py': 'import os\nKEY = os.environ["OPENAI_API_KEY"]\n' });
    const r = commit(dir, env);
    expectBlocked(r, KEY, 'app.py');
    expect(r.out).toMatch(/✗ 2:8 /);
    expect(r.out).toContain('git add <file>');
    expect(r.out).toContain('keyguard:allow');
    expect(r.out).toContain('keyguard baseline');
    expect(r.out).toContain('git commit --no-verify');
    expect(r.out).toContain('does not un-leak');
    expect(r.out).toMatch(/scanned 1 staged file/);
    expect(headSubject(dir)).toBe('initial');
  });

  it('allows a clean staged change while a key sits only in an unstaged edit', () => {
    const { dir, env } = hooked({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    writeFiles(dir, { 'a.txt': 'a\nclean\n' });
    git(dir, ['add', 'a.txt']);
    writeFiles(dir, { 'b.txt': `b\n${KEY}\n`, 'a.txt': `a\nclean\n${KEY}\n` });
    expectAllowed(commit(dir, env));
    expect(headSubject(dir)).toBe('change');
    expect(git(dir, ['show', 'HEAD:a.txt'])).toBe('a\nclean\n');
  });

  it('follows `git add -p`: blocks a key in the staged hunk, allows one left in the unstaged hunk', () => {
    const body = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const { dir, env } = hooked({ 'f.txt': `${body.join('\n')}\n` });
    const edit = (top: string, bottom: string) => {
      const lines = [...body];
      lines.splice(1, 0, top);
      lines.splice(lines.length - 1, 0, bottom);
      writeFiles(dir, { 'f.txt': `${lines.join('\n')}\n` });
    };
    // first hunk staged (y), second not (n)
    edit(`top = "${KEY}"`, 'bottom = 1');
    expect(run(dir, ['add', '-p', 'f.txt'], env, 'y\nn\n').code).toBe(0);
    expectBlocked(commit(dir, env), KEY, 'f.txt');
    git(dir, ['reset', '-q']);
    edit('top = 1', `bottom = "${KEY}"`);
    expect(run(dir, ['add', '-p', 'f.txt'], env, 'y\nn\n').code).toBe(0);
    expect(git(dir, ['diff', '--cached'])).toContain('+top = 1');
    expectAllowed(commit(dir, env));
    expect(git(dir, ['show', 'HEAD:f.txt'])).not.toContain(KEY);
  });

  it('honours GIT_INDEX_FILE: `git commit -a` and `git commit <path>`', () => {
    const { dir, env } = hooked({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    writeFiles(dir, { 'a.txt': `a\n${KEY}\n` });
    // nothing staged: only -a brings the key in
    expectBlocked(commit(dir, env, '-a'), KEY, 'a.txt');
    // `commit <path>` commits that path from the working tree, whatever the index holds
    writeFiles(dir, { 'b.txt': 'b\nclean\n' });
    expectBlocked(commit(dir, env, '--', 'a.txt'), KEY, 'a.txt');
    expectAllowed(commit(dir, env, '--', 'b.txt'));
    expect(git(dir, ['show', '--stat', '--format=', 'HEAD']).trim()).toMatch(/^b\.txt/);
    // a key staged in another file is not part of `commit b.txt`
    git(dir, ['add', 'a.txt']);
    writeFiles(dir, { 'b.txt': 'b\nclean\nmore\n' });
    expectAllowed(commit(dir, env, '--', 'b.txt'));
  });

  it('checks the first commit of an empty repository (no HEAD)', () => {
    const { dir, env } = hooked();
    writeFiles(dir, { 'README.md': '# x\n', '.env': `OPENAI_API_KEY=${KEY}\n` });
    git(dir, ['add', '-A']);
    const blocked = commit(dir, env);
    expectBlocked(blocked, KEY, '.env');
    expect(blocked.out).toMatch(/scanned 2 staged files/);
    git(dir, ['rm', '-q', '--cached', '.env']);
    expectAllowed(commit(dir, env));
  });

  it('handles renames, deletions, mode changes, binary files, symlinks and submodule pointers', () => {
    const outside = tempDir('kg-outside-');
    writeFileSync(join(outside, 'secret.env'), `OPENAI_API_KEY=${KEY}\n`);
    // a key committed before the hook existed
    const { dir, env } = hooked({ 'old.txt': `legacy ${KEY}\n`, 'gone.txt': `${KEY}\n`, 'run.sh': 'echo hi\n' });
    git(dir, ['mv', 'old.txt', 'renamed.txt']);
    git(dir, ['rm', '-q', 'gone.txt']);
    chmodSync(join(dir, 'run.sh'), 0o755);
    writeFileSync(join(dir, 'blob.bin'), Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(KEY)]));
    spawnSync('ln', ['-s', join(outside, 'secret.env'), join(dir, 'link.env')]);
    const sub = join(dir, 'vendor');
    mkdirSync(sub);
    git(sub, ['init', '-q', '-b', 'main']);
    writeFiles(sub, { 'k.txt': `${KEY}\n` });
    git(sub, ['add', '-A']);
    git(sub, ['commit', '-q', '-m', 'sub']);
    git(dir, ['add', '-A']);
    const r = commit(dir, env);
    expectAllowed(r);
    expect(r.out).toMatch(/1 renamed without changes/);
    expect(r.out).toMatch(/1 deleted/);
    expect(r.out).toMatch(/1 mode changes only/);
    expect(r.out).toMatch(/1 binary/);
    expect(r.out).toMatch(/1 submodule pointer\b/);
    // the symlink's target path is what gets committed, and it is scanned, never followed
    expect(r.out).toMatch(/scanned 1 staged file/);
    // a rename that adds a key is checked on the added line only
    git(dir, ['mv', 'renamed.txt', 'again.txt']);
    writeFiles(dir, { 'again.txt': `legacy ${KEY}\nnew ${KEY2}\n` });
    git(dir, ['add', '-A']);
    const blocked = commit(dir, env);
    expectBlocked(blocked, KEY2, 'again.txt');
    expect(blocked.out).toMatch(/✗ 2:5 /);
    expect(blocked.out).not.toMatch(/✗ 1:/);
  });

  it('checks what a merge resolution introduces, not what the merged branch already committed', () => {
    const { dir, env } = hooked({ 'conf.txt': 'a = 1\n\n# keys\n\nb = 2\n', 'other.txt': 'x\n' });
    git(dir, ['checkout', '-q', '-b', 'feature']);
    writeFiles(dir, { 'conf.txt': `a = 1\n\n# keys\n\nb = "${KEY}"\n`, 'feature.txt': `also ${KEY}\n` });
    git(dir, ['add', '-A']);
    expect(commit(dir, env, '--no-verify').code).toBe(0);
    git(dir, ['checkout', '-q', 'main']);
    writeFiles(dir, { 'conf.txt': 'a = 10\n\n# keys\n\nb = 2\n', 'other.txt': 'x\ny\n' });
    git(dir, ['commit', '-q', '-am', 'main side', '--no-verify'], env);
    // a merge that brings in the branch's committed key is allowed (git runs pre-commit when the
    // merge is committed by `git commit`; an automatic merge commit adds no lines of its own)
    expect(run(dir, ['merge', '--no-ff', '--no-commit', 'feature'], env).code).toBe(0);
    const merged = commit(dir, env);
    expect(merged.code, merged.out).toBe(0);
    expect(merged.out).toMatch(/skipped 2 already committed on the merged branch; 0 findings/);
    // a conflicted merge whose resolution adds a new key is blocked, on that line only
    git(dir, ['reset', '-q', '--hard', 'HEAD~1']);
    git(dir, ['checkout', '-q', 'feature']);
    writeFiles(dir, { 'other.txt': 'x\nfrom feature\n' });
    expect(commit(dir, env, '-a', '--no-verify').code).toBe(0);
    git(dir, ['checkout', '-q', 'main']);
    expect(run(dir, ['merge', 'feature'], env).code).not.toBe(0);
    writeFiles(dir, { 'other.txt': `x\ny\nfrom feature\nresolved = "${KEY2}"\n` });
    git(dir, ['add', 'other.txt']);
    const r = commit(dir, env);
    expectBlocked(r, KEY2, 'other.txt');
    expect(r.out).toMatch(/✗ 4:13 /);
    expect(r.out).toMatch(/1 finding\b/);
    expect(r.out).toMatch(/already committed on the merged branch/);
    writeFiles(dir, { 'other.txt': 'x\ny\nfrom feature\n' });
    git(dir, ['add', 'other.txt']);
    const ok = commit(dir, env);
    expectAllowed(ok);
    expect(git(dir, ['rev-list', '--parents', '-1', 'HEAD']).trim().split(' ')).toHaveLength(3);
  });

  it('checks `git commit --amend` against the commit being amended', () => {
    const { dir, env } = hooked({ 'a.txt': 'a\n' });
    writeFiles(dir, { 'a.txt': `a\n${KEY}\n` });
    expectBlocked(run(dir, ['commit', '-q', '-a', '--amend', '--no-edit'], env), KEY, 'a.txt');
    // the usual repair of a key committed with --no-verify: amend it away
    expect(commit(dir, env, '-a', '--no-verify').code).toBe(0);
    writeFiles(dir, { 'a.txt': 'a\nfrom env\n' });
    const r = run(dir, ['commit', '-q', '-a', '--amend', '--no-edit'], env);
    expectAllowed(r);
    expect(git(dir, ['show', 'HEAD:a.txt'])).toBe('a\nfrom env\n');
  });

  it('works in a linked worktree and from a subdirectory', () => {
    const { dir, env } = hooked({ 'sub/deep/x.txt': 'x\n' });
    const wt = join(tempDir('kg-wt-'), 'wt');
    git(dir, ['worktree', 'add', '-q', '-b', 'side', wt]);
    writeFiles(wt, { 'sub/deep/x.txt': `x\n${KEY}\n` });
    git(wt, ['add', '-A']);
    const inWorktree = commit(join(wt, 'sub'), env);
    expectBlocked(inWorktree, KEY, 'sub/deep/x.txt');
    writeFiles(wt, { 'sub/deep/x.txt': 'x\nclean\n' });
    git(wt, ['add', '-A']);
    expectAllowed(commit(wt, env));
    writeFiles(dir, { 'sub/deep/y.txt': `${KEY}\n` });
    git(dir, ['add', '-A']);
    expectBlocked(commit(join(dir, 'sub', 'deep'), env), KEY, 'sub/deep/y.txt');
  });

  it('handles file names with spaces, quotes, newlines and non-ASCII, CRLF and invalid UTF-8', () => {
    const { dir, env } = hooked({ 'seed.txt': 's\n' });
    const names = ['with space.txt', 'quo"te\'s.txt', 'new\nline.txt', 'naïve/ключ.txt'];
    for (const n of names) writeFiles(dir, { [n]: `first\n${KEY}\n` });
    writeFiles(dir, { 'crlf.txt': `one\r\ntwo\r\nk=${KEY2}\r\n` });
    writeFiles(dir, { 'latin1.txt': Buffer.concat([Buffer.from('ok\ncaf\xe9 \xff\xfe = "', 'latin1'), Buffer.from(KEY2), Buffer.from('"\n')]) });
    git(dir, ['add', '-A']);
    const r = commit(dir, env);
    expect(r.code).toBe(1);
    const json = spawnSync(process.execPath, [CLI, 'scan', '--staged', '--format', 'json'], { cwd: dir, env, encoding: 'utf8' });
    const report = JSON.parse(json.stdout) as { findings: Array<{ path: string; line: number; column: number; kind: string }> };
    expect(new Set(report.findings.map((f) => f.kind))).toEqual(new Set(['staged']));
    const places = report.findings.map((f) => `${f.path}:${f.line}:${f.column}`);
    expect(places.sort()).toEqual([...names.map((n) => `${n}:2:1`), 'crlf.txt:3:3', 'latin1.txt:2:12'].sort());
    expect(r.out).not.toContain(KEY);
  });

  it('says when nothing is staged, and lets a false positive through with keyguard:allow', () => {
    const { dir, env } = hooked({ 'a.txt': 'a\n' });
    const empty = commit(dir, env, '--allow-empty');
    expect(empty.code, empty.out).toBe(0);
    expect(empty.out).toContain('nothing is staged');
    expect(empty.out).toMatch(/scanned 0 staged files, 0 B/);
    writeFiles(dir, { 'a.txt': `a\nexample = "${KEY}"  # keyguard:allow\n` });
    git(dir, ['add', '-A']);
    const r = commit(dir, env);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/1 suppressed \(1 keyguard:allow/);
  });

  it('fails closed: a staged blob git cannot read blocks the commit (exit 2)', () => {
    const { dir, env } = hooked({ 'a.txt': 'a\n' });
    writeFiles(dir, { 'a.txt': 'a\nsomething new\n' });
    git(dir, ['add', 'a.txt']);
    const sha = git(dir, ['rev-parse', ':a.txt']).trim();
    unlinkSync(join(dir, '.git', 'objects', sha.slice(0, 2), sha.slice(2)));
    // with the work tree file unchanged git would read it instead of the (identical) blob
    writeFiles(dir, { 'a.txt': 'a\nsomething else\n' });
    const r = commit(dir, env);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/error: \(staged changes\): .*git diff-index failed/);
    expect(r.out).toMatch(/1 could not be read/);
    const direct = spawnSync(process.execPath, [CLI, 'scan', '--staged'], { cwd: dir, env, encoding: 'utf8' });
    expect(direct.status).toBe(2);
    // GIT_INDEX_FILE naming a missing index: nothing could be read, so nothing passes
    const missing = spawnSync(process.execPath, [CLI, 'scan', '--staged'], {
      cwd: dir,
      env: { ...env, GIT_INDEX_FILE: join(dir, 'no-such-index') },
      encoding: 'utf8',
    });
    expect(missing.status).toBe(2);
    expect(missing.stdout).toContain('GIT_INDEX_FILE');
  });

  it('finds keyguard in node_modules/.bin first, and blocks with instructions when it is missing', () => {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    const home = tempDir('kg-home-');
    const bare = hookEnv(home);
    expect(runCli(['install'], { cwd: dir, env: bare }).code).toBe(0);
    writeFiles(dir, { 'a.txt': 'a\nb\n' });
    git(dir, ['add', 'a.txt']);
    const missing = commit(dir, bare);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('cannot find keyguard');
    expect(missing.out).toContain('see "Install" in keyguard\'s README');
    expect(missing.out).toContain('git commit --no-verify');
    expect(headSubject(dir)).toBe('initial');
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', '.bin', 'keyguard'), `#!/bin/sh\necho local-keyguard >&2\nexec "${process.execPath}" "${CLI}" "$@"\n`, {
      mode: 0o755,
    });
    writeFileSync(join(dir, '.git', 'info', 'exclude'), 'node_modules/\n');
    const found = commit(dir, bare);
    expectAllowed(found);
    expect(found.out).toContain('local-keyguard');
  });
});

describe('the hook script itself', () => {
  it("is POSIX sh, executable, and marked as keyguard's", () => {
    const script = join(PROJECT_ROOT, 'hooks', 'pre-commit');
    const text = readFileSync(script, 'utf8');
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    expect(text).toContain('# keyguard pre-commit hook');
    expect(spawnSync('sh', ['-n', script]).status).toBe(0);
    const dash = spawnSync('sh', ['-c', 'command -v dash']);
    if (dash.status === 0) expect(spawnSync('dash', ['-n', script]).status).toBe(0);
  });
});
