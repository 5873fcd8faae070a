// keyguard on a repository it must not trust: every command that runs git, on a repository whose
// config, hooks and attributes name a program, must never run it; and a repository git itself refuses
// (another user's) is refused with git's reason, exit 2.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFor } from './helpers/keys.js';
import { git, gitEnv, gitRepo, parseJson, runCli, tempDir, writeFiles, type CliResult } from './helpers/tmp.js';

const KEY = keyFor('project_164', 171);
const KEY2 = keyFor('svcacct_167', 172);

interface Trap {
  /** a program that leaves the marker when anything runs it */
  script: string;
  marker: string;
  ran(): string;
}

function trap(): Trap {
  const dir = tempDir('kg-trap-');
  const marker = join(dir, 'RAN');
  const script = join(dir, 'evil.sh');
  writeFileSync(script, `#!/bin/sh\necho "$0 $*" >> '${marker}'\nexit 0\n`, { mode: 0o755 });
  return { script, marker, ran: () => (existsSync(marker) ? readFileSync(marker, 'utf8') : '') };
}

const HOOKS = [
  'pre-commit',
  'prepare-commit-msg',
  'commit-msg',
  'post-commit',
  'pre-rebase',
  'post-checkout',
  'post-merge',
  'pre-push',
  'pre-auto-gc',
  'post-rewrite',
  'post-index-change',
  'reference-transaction',
  'fsmonitor-watchman',
  'push-to-checkout',
];

/** Every place a repository can name a program for git to run, pointed at the trap. */
function armRepository(gitDir: string, t: Trap): void {
  const s = t.script;
  const config: Array<[string, string]> = [
    ['core.fsmonitor', s],
    ['core.pager', s],
    ['core.editor', s],
    ['core.sshCommand', s],
    ['core.askPass', s],
    ['core.alternateRefsCommand', s],
    ['sequence.editor', s],
    ['credential.helper', `!${s}`],
    ['diff.external', s],
    ['diff.evil.textconv', s],
    ['diff.evil.command', s],
    ['filter.evil.clean', s],
    ['filter.evil.smudge', s],
    ['filter.evil.process', s],
    ['gpg.program', s],
    ['log.showSignature', 'true'],
    ['uploadpack.packObjectsHook', s],
    ['pager.log', s],
    ['pager.diff', s],
  ];
  for (const [k, v] of config) git(gitDir, ['--git-dir', gitDir, 'config', k, v]);
  mkdirSync(join(gitDir, 'info'), { recursive: true });
  writeFileSync(join(gitDir, 'info', 'attributes'), '* diff=evil filter=evil\n');
  mkdirSync(join(gitDir, 'hooks'), { recursive: true });
  for (const h of HOOKS) writeFileSync(join(gitDir, 'hooks', h), `#!/bin/sh\nexec '${s}' hook-${h} "$@"\n`, { mode: 0o755 });
}

/** A repository with a key committed, another staged, armed after git has done its own work. */
function hostileRepo(t: Trap): string {
  const dir = gitRepo({ 'app.env': `OPENAI_API_KEY=${KEY}\n`, 'notes.txt': 'hello\n' });
  writeFiles(dir, { 'notes.txt': `hello\nK=${KEY2}\n`, 'blob.bin': Buffer.from([0, 1, 2, 3, 0, 5]) });
  git(dir, ['add', 'notes.txt', 'blob.bin']);
  armRepository(join(dir, '.git'), t);
  return dir;
}

function env(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return gitEnv({ HOME: home, OPENAI_API_KEY: '', CODEX_API_KEY: '', NO_COLOR: '1', ...extra });
}

function kg(args: string[], cwd: string, e: NodeJS.ProcessEnv = env(tempDir('kg-home-'))): CliResult {
  return runCli(args, { cwd, env: e });
}

describe('a hostile repository', () => {
  it('is hostile: plain git runs its programs (so the tests below mean something)', () => {
    const t = trap();
    const dir = hostileRepo(t);
    spawnSync('git', ['status'], { cwd: dir, env: env(dir), encoding: 'utf8' });
    expect(t.ran()).toContain(t.script);
  });

  it('keyguard scan DIR and scan (git ls-files) run nothing from it', () => {
    const t = trap();
    const dir = hostileRepo(t);
    const outside = kg(['scan', '--format', 'json', dir], tempDir());
    expect(outside.code, outside.stderr).toBe(1);
    expect(parseJson(outside).findings.length).toBe(2);
    expect(kg(['scan'], dir).code).toBe(1);
    expect(t.ran()).toBe('');
  });

  it('keyguard scan --staged, and with listed paths (git ls-files --stage), runs nothing from it', () => {
    const t = trap();
    const dir = hostileRepo(t);
    const r = kg(['scan', '--staged', '--format', 'json'], dir);
    expect(r.code, r.stderr).toBe(1);
    expect(parseJson(r).findings.map((f) => f.path)).toEqual(['notes.txt']);
    const listed = kg(['scan', '--staged', '--format', 'json', 'app.env', 'notes.txt', 'blob.bin'], dir);
    expect(listed.code, listed.stderr).toBe(1);
    expect(
      parseJson(listed)
        .findings.map((f) => f.path)
        .sort(),
    ).toEqual(['app.env', 'notes.txt']);
    expect(t.ran()).toBe('');
  });

  it('keyguard scan --history, with its exposure and purge steps, runs nothing from it', () => {
    const t = trap();
    const dir = hostileRepo(t);
    const r = kg(['scan', '--history', '--format', 'json'], dir);
    expect(r.code, r.stderr).toBe(1);
    const report = parseJson<{ findings: Array<{ commit: { exposure?: { atHead: boolean; branches: string[] } } }>; summary: { notes: string[] } }>(r);
    expect(report.findings.map((f) => f.commit.exposure)).toMatchObject([{ atHead: true, branches: ['main'] }]);
    expect(existsSync(join(dir, '.git', 'keyguard', 'filter-repo-replacements.txt'))).toBe(true);
    expect(t.ran()).toBe('');
  });

  it('keyguard baseline runs nothing from it', () => {
    const t = trap();
    const dir = hostileRepo(t);
    const r = kg(['baseline'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, '.keyguard-baseline.json'))).toBe(true);
    expect(t.ran()).toBe('');
  });

  it('keyguard install and uninstall run nothing from it', () => {
    const t = trap();
    const dir = hostileRepo(t);
    const e = env(tempDir('kg-home-'));
    const i = kg(['install'], dir, e);
    expect(i.code, i.stderr).toBe(0);
    expect(readFileSync(join(dir, '.git', 'hooks', 'pre-commit'), 'utf8')).toContain('keyguard');
    const u = kg(['uninstall'], dir, e);
    expect(u.code, u.stderr).toBe(0);
    expect(t.ran()).toBe('');
  });

  it('keyguard audit: an .envrc with a key in a folder that is an embedded bare repository runs nothing from it', () => {
    const t = trap();
    const home = tempDir('kg-home-');
    const project = join(home, 'src', 'evil');
    // what a clone can carry: a folder laid out as a git dir, its config naming the work tree
    git(home, ['init', '-q', '--bare', project]);
    git(home, ['--git-dir', project, 'config', 'core.bare', 'false']);
    git(home, ['--git-dir', project, 'config', 'core.worktree', project]);
    writeFileSync(join(project, '.envrc'), `export OPENAI_API_KEY=${KEY}\n`, { mode: 0o600 });
    armRepository(project, t);
    const r = runCli(['audit', '--format', 'json'], { cwd: home, env: env(home) });
    expect(r.code, r.stderr).toBe(1);
    expect(parseJson(r).findings.map((f) => f.path)).toContain(join(project, '.envrc'));
    expect(t.ran()).toBe('');
  });

  it('keyguard codex: auth.json inside it, checked with git ls-files, runs nothing from it', () => {
    const t = trap();
    const dir = gitRepo({ 'codex/auth.json': JSON.stringify({ OPENAI_API_KEY: null, tokens: null }) });
    chmodSync(join(dir, 'codex', 'auth.json'), 0o600);
    armRepository(join(dir, '.git'), t);
    const home = tempDir('kg-home-');
    const e: NodeJS.ProcessEnv = {
      HOME: home,
      PATH: '/usr/bin:/bin',
      CODEX_HOME: join(dir, 'codex'),
      KEYGUARD_CODEX_SYSTEM_CONFIG: join(home, 'none.toml'),
      KEYGUARD_NO_PROGRESS: '1',
    };
    const r = runCli(['codex', '--format', 'json'], { cwd: home, env: e });
    const report = parseJson<{ checks: Array<{ id: string; severity: string }> }>(r);
    // git did answer: the file is tracked
    expect(report.checks.find((c) => c.id === 'codex-auth-file-in-git')?.severity).toBe('error');
    expect(t.ran()).toBe('');
  });
});

const isRoot = process.getuid?.() === 0;

describe('a repository that belongs to another user', () => {
  it.skipIf(!isRoot)("is refused with git's reason and exit 2 by every command, and nothing of it runs", () => {
    const t = trap();
    const dir = hostileRepo(t);
    expect(spawnSync('chown', ['-R', '12345:12345', dir]).status).toBe(0);
    const scan = kg(['scan', '--format', 'json', dir], tempDir());
    expect(scan.code, scan.stderr).toBe(2);
    const errors = parseJson<{ summary: { errors: Array<{ path: string; message: string }> } }>(scan).summary.errors;
    expect(errors.map((e) => e.message).join('\n')).toMatch(/dubious ownership.*safe\.directory/);
    expect(parseJson(scan).findings).toEqual([]);
    for (const args of [['scan', '--staged'], ['scan', '--history'], ['install']]) {
      const r = kg(args, dir);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(2);
      expect(`${r.stdout}${r.stderr}`, args.join(' ')).toMatch(/dubious ownership/);
    }
    expect(t.ran()).toBe('');
  });
  it.skipIf(!isRoot)('keyguard baseline there exits 2 and leaves the existing baseline as it was', () => {
    const t = trap();
    const dir = hostileRepo(t);
    const before = '{"version":1,"findings":[]}\n';
    writeFileSync(join(dir, '.keyguard-baseline.json'), before);
    expect(spawnSync('chown', ['-R', '12345:12345', dir]).status).toBe(0);
    const r = kg(['baseline'], dir);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/was not written/);
    expect(readFileSync(join(dir, '.keyguard-baseline.json'), 'utf8')).toBe(before);
    expect(t.ran()).toBe('');
  });
});

describe('files keyguard writes whole', () => {
  it('a report (--output) and the baseline replace a symbolic link planted under their names, never write through it', () => {
    const victim = join(tempDir(), 'bashrc');
    writeFileSync(victim, 'alias ll="ls -l"\n');
    const repo = gitRepo({ 'a.env': `K=${KEY}\n` });
    symlinkSync(victim, join(repo, 'results.sarif'));
    symlinkSync(victim, join(repo, '.keyguard-baseline.json'));
    const r = kg(['scan', '--no-baseline', '--format', 'sarif', '-o', 'results.sarif'], repo);
    expect(r.code, r.stderr).toBe(1);
    const b = kg(['baseline'], repo);
    expect(b.code, b.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('alias ll="ls -l"\n');
    for (const name of ['results.sarif', '.keyguard-baseline.json']) {
      const st = statSync(join(repo, name));
      expect(st.isFile(), name).toBe(true);
    }
    expect(statSync(join(repo, 'results.sarif')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(repo, 'results.sarif'), 'utf8')).toContain('"version": "2.1.0"');
  });
});

describe('replace refs', () => {
  it('cannot hide a committed key from scan --history', () => {
    const repo = gitRepo({ 'a.env': `K=${KEY}\n` });
    const leaky = git(repo, ['rev-parse', 'HEAD']).trim();
    writeFiles(repo, { 'a.env': 'K=clean\n' });
    git(repo, ['commit', '-qam', 'clean copy']);
    const clean = git(repo, ['rev-parse', 'HEAD']).trim();
    // the repository says: wherever you see the leaky commit, read the clean one instead
    git(repo, ['replace', '-f', leaky, clean]);
    const r = kg(['scan', '--history', '--format', 'json'], repo);
    expect(r.code, r.stderr).toBe(1);
    expect(parseJson(r).findings.map((f) => (f.commit as { sha: string } | undefined)?.sha)).toContain(leaky);
  });
});

describe('the filter-repo replacements file', () => {
  it('is never written through a symbolic link planted in its place', () => {
    const dir = gitRepo({ 'app.env': `OPENAI_API_KEY=${KEY}\n` });
    const victim = join(tempDir(), 'victim.txt');
    writeFileSync(victim, 'precious\n');
    mkdirSync(join(dir, '.git', 'keyguard'));
    const planted = join(dir, '.git', 'keyguard', 'filter-repo-replacements.txt');
    symlinkSync(victim, planted);
    const r = kg(['scan', '--history', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    const notes = parseJson<{ summary: { notes: string[] } }>(r).summary.notes.join('\n');
    expect(notes).toMatch(/could not write the filter-repo replacements file \(.*symbolic link/);
    // the patterns are still given, in the note
    expect(notes).toContain('regex:');
  });

  it('nor through a symbolic link planted as its folder', () => {
    const dir = gitRepo({ 'app.env': `OPENAI_API_KEY=${KEY}\n` });
    const elsewhere = tempDir();
    symlinkSync(elsewhere, join(dir, '.git', 'keyguard'));
    const r = kg(['scan', '--history', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(parseJson<{ summary: { notes: string[] } }>(r).summary.notes.join('\n')).toMatch(/symbolic link/);
  });

  it('is written (mode 600) when nothing is planted', () => {
    const dir = gitRepo({ 'app.env': `OPENAI_API_KEY=${KEY}\n` });
    expect(kg(['scan', '--history'], dir).code).toBe(1);
    const file = join(dir, '.git', 'keyguard', 'filter-repo-replacements.txt');
    expect(readFileSync(file, 'utf8')).toMatch(/^regex:/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, '.git', 'keyguard'))).toEqual(['filter-repo-replacements.txt']);
  });
});

describe('scan --history arguments', () => {
  it('a --since git cannot read is a usage error, exit 2, one line', () => {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    const r = kg(['scan', '--history', '--since', 'notadate'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--since "notadate" is not a date/);
  });

  it('a --since git reads still works', () => {
    const dir = gitRepo({ 'app.env': `OPENAI_API_KEY=${KEY}\n` });
    expect(kg(['scan', '--history', '--since', '2000-01-01'], dir).code).toBe(1);
    expect(kg(['scan', '--history', '--since', '2 weeks ago'], dir).code).toBe(1);
  });

  it('a range git cannot read is a usage error, exit 2, one line', () => {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    const r = kg(['scan', '--history', 'main..nosuchbranch'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/nosuchbranch/);
  });
});
