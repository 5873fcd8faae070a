// `keyguard audit` through the real CLI on a temporary home directory: discovery, the profile
// audit, grouping, exit codes and bad input.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { keyFor } from './helpers/keys.js';
import { CLI, git, parseJson, tempDir, writeFiles, type CliResult, machineEnv } from './helpers/tmp.js';
import { runMain } from './helpers/main.js';

interface Report {
  findings: {
    path: string;
    line: number;
    column: number;
    kind: string;
    redacted: string;
    fingerprint: string;
    secret?: string;
    details?: Record<string, unknown>;
  }[];
  checks?: { id: string; severity: string; message: string; path?: string; line?: number; fix: string[] }[];
  summary: { files: number; errors: { path: string; message: string }[]; findings: number };
}

const K = Array.from({ length: 20 }, (_v, i) => keyFor(i % 2 === 0 ? 'project_164' : 'svcacct_167', 100 + i));

const envFor = machineEnv;

async function audit(home: string, args: string[] = [], extra: NodeJS.ProcessEnv = {}): Promise<{ r: CliResult; report: Report }> {
  const r = await runMain(['audit', '--format', 'json', ...args], { cwd: home, env: envFor(home, extra) });
  return { r, report: parseJson<Report>(r) };
}

async function atuinDb(path: string, command: string): Promise<void> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(
    'CREATE TABLE history (id text primary key, timestamp integer not null, duration integer not null, exit integer not null, command text not null, cwd text not null, session text not null, hostname text not null, deleted_at integer)',
  );
  db.run('INSERT INTO history VALUES (?,?,?,?,?,?,?,?,?)', ['x', 1700000000000000000, 1, 0, 'ls', '/', 's', 'h', null]);
  db.run('INSERT INTO history VALUES (?,?,?,?,?,?,?,?,?)', ['y', 1700000001000000000, 1, 0, command, '/home/u', 's', 'h', null]);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, Buffer.from(db.export()), { mode: 0o600 });
  db.close();
}

describe('discovery', () => {
  it('finds every kind of history and profile in its usual place, grouped by kind of place', async () => {
    const home = tempDir();
    writeFiles(home, {
      '.bashrc': `export OPENAI_API_KEY=${K[0]}\n`,
      '.bash_history': `export X=${K[1]}\n`,
      '.zsh_history': `: 1700000000:0;export X=${K[2]}\n`,
      '.zsh_history.LOCK': `: 1700000000:0;k=${K[3]}\n`,
      '.local/share/fish/fish_history': `- cmd: set -gx OPENAI_API_KEY ${K[4]}\n  when: 1700000000\n`,
      '.local/share/powershell/PSReadLine/ConsoleHost_history.txt': `$env:OPENAI_API_KEY = "${K[5]}"\n`,
      '.config/nushell/history.txt': `$env.OPENAI_API_KEY = "${K[6]}"\n`,
      '.python_history': `key = "${K[7]}"\n`,
      '.node_repl_history': `k = '${K[8]}'\n`,
      '.psql_history': `select '${K[9]}';\n`,
      '.mysql_history': `select '${K[10]}';\n`,
      '.sqlite_history': `select '${K[11]}';\n`,
      '.irb_history': `k = "${K[12]}"\n`,
      '.lesshst': `.less-history-file:\n.search\n"${K[13]}\n`,
    });
    await atuinDb(join(home, '.local/share/atuin/history.db'), `export OPENAI_API_KEY=${K[14]}`);
    const { r, report } = await audit(home);
    expect(r.code).toBe(1);
    const got = report.findings.map((f) => [f.path.slice(home.length + 1), f.kind]);
    expect(got).toEqual([
      ['.bashrc', 'profile'],
      ['.bash_history', 'shell-history'],
      ['.config/nushell/history.txt', 'shell-history'],
      ['.local/share/atuin/history.db', 'shell-history'],
      ['.local/share/fish/fish_history', 'shell-history'],
      ['.local/share/powershell/PSReadLine/ConsoleHost_history.txt', 'shell-history'],
      ['.zsh_history', 'shell-history'],
      ['.zsh_history.LOCK', 'shell-history'],
      ['.irb_history', 'repl-history'],
      ['.lesshst', 'repl-history'],
      ['.mysql_history', 'repl-history'],
      ['.node_repl_history', 'repl-history'],
      ['.psql_history', 'repl-history'],
      ['.python_history', 'repl-history'],
      ['.sqlite_history', 'repl-history'],
    ]);
    expect(report.summary.errors).toEqual([]);
    // the text report: one block per kind of place, in this order
    const text = (await runMain(['audit', '--no-color'], { cwd: home, env: envFor(home) })).stdout;
    const at = ['Shell profiles  1 finding', 'Shell histories  7 findings', 'REPL histories  7 findings', 'What to do'].map((h) => text.indexOf(h));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).not.toContain(K[0]);
  });

  it('honours HISTFILE, ZDOTDIR, XDG_*, PYTHON_HISTORY, PSQL_HISTORY, MYSQL_HISTFILE, SQLITE_HISTORY, IPYTHONDIR; empty values turn a history off', async () => {
    const home = tempDir();
    writeFiles(home, {
      'hist/my-shell-history': `: 1700000000:0;a \\\n${K[0]}\n`,
      'zd/.zsh_history': `k=${K[1]}\n`,
      'zd/.zshrc': `export OPENAI_API_KEY=${K[2]}\n`,
      'data/fish/fish_history': `- cmd: k=${K[3]}\n`,
      'state/bash/history': `k=${K[4]}\n`,
      'py/hist': `k=${K[5]}\n`,
      'pg/hist': `k=${K[6]}\n`,
      'my/hist': `k=${K[7]}\n`,
      'sq/hist': `k=${K[8]}\n`,
      '.node_repl_history': `k=${K[9]}\n`,
      '.lesshst': `"${K[10]}\n`,
      '.python_history': `not read: PYTHON_HISTORY moves it ${K[11]}\n`,
    });
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE history (session integer, line integer, source text, source_raw text)');
    db.run('INSERT INTO history VALUES (1, 1, ?, ?)', [`k='${K[12]}'`, `k='${K[12]}'`]);
    mkdirSync(join(home, 'ipy/profile_work'), { recursive: true });
    writeFileSync(join(home, 'ipy/profile_work/history.sqlite'), Buffer.from(db.export()));
    const { report } = await audit(home, [], {
      HISTFILE: join(home, 'hist/my-shell-history'),
      ZDOTDIR: join(home, 'zd'),
      XDG_DATA_HOME: join(home, 'data'),
      XDG_STATE_HOME: join(home, 'state'),
      PYTHON_HISTORY: join(home, 'py/hist'),
      PSQL_HISTORY: join(home, 'pg/hist'),
      MYSQL_HISTFILE: join(home, 'my/hist'),
      SQLITE_HISTORY: join(home, 'sq/hist'),
      IPYTHONDIR: join(home, 'ipy'),
      NODE_REPL_HISTORY: '',
      LESSHISTFILE: '-',
    });
    const byPath = Object.fromEntries(report.findings.map((f) => [f.path.slice(home.length + 1), f]));
    expect(Object.keys(byPath).sort()).toEqual([
      'data/fish/fish_history',
      'hist/my-shell-history',
      'ipy/profile_work/history.sqlite',
      'my/hist',
      'pg/hist',
      'py/hist',
      'sq/hist',
      'state/bash/history',
      'zd/.zsh_history',
      'zd/.zshrc',
    ]);
    // HISTFILE's content said zsh: the key on the continuation line belongs to the entry on line 1
    expect(byPath['hist/my-shell-history']!.details).toEqual({ entryLine: 1, time: '2023-11-14T22:13:20.000Z' });
  });

  it('a symlinked history is read once, through the link', async () => {
    const home = tempDir();
    writeFiles(home, { 'sync/zsh_history': `: 1700000000:0;k=${K[0]}\n` });
    symlinkSync(join(home, 'sync/zsh_history'), join(home, '.zsh_history'));
    symlinkSync(join(home, 'sync/zsh_history'), join(home, '.histfile'));
    const { report } = await audit(home);
    expect(report.findings.map((f) => f.path)).toEqual([join(home, '.zsh_history')]);
  });

  it('atuin db_path from its config.toml', async () => {
    const home = tempDir();
    writeFiles(home, { '.config/atuin/config.toml': 'db_path = "~/elsewhere/h.db"\n' });
    await atuinDb(join(home, 'elsewhere/h.db'), `k=${K[0]}`);
    const { report } = await audit(home);
    expect(report.findings.map((f) => [f.path.slice(home.length + 1), f.details?.table, f.details?.rowid])).toEqual([['elsewhere/h.db', 'history', 2]]);
  });
});

describe('the profile audit', () => {
  it('a literal key is a finding at its line; a run-time fetch is noted as good practice, not a finding', async () => {
    const home = tempDir();
    writeFiles(home, {
      '.zshrc': `alias g=git\nexport OPENAI_API_KEY="$(op read op://Private/OpenAI/key)"\n`,
      '.bashrc': `# keys\nexport OPENAI_API_KEY=${K[0]}\n`,
    });
    chmodSync(join(home, '.zshrc'), 0o600);
    chmodSync(join(home, '.bashrc'), 0o600);
    const { r, report } = await audit(home);
    expect(r.code).toBe(1);
    expect(report.findings.map((f) => [f.path, f.line, f.column, f.kind])).toEqual([[join(home, '.bashrc'), 2, 23, 'profile']]);
    expect(report.checks).toEqual([
      {
        id: 'profile-runtime-fetch',
        severity: 'info',
        message: 'OPENAI_API_KEY is fetched at run time with `op read`: the key is not stored in the profile (good practice)',
        path: join(home, '.zshrc'),
        line: 2,
        fix: [],
      },
    ]);
  });

  it('only good practice: exit 0', async () => {
    const home = tempDir();
    writeFiles(home, { '.zshrc': `export OPENAI_API_KEY=$(security find-generic-password -s openai -w)\n` });
    const { r, report } = await audit(home);
    expect(r.code).toBe(0);
    expect(report.checks?.map((c) => c.id)).toEqual(['profile-runtime-fetch']);
  });

  it('a profile or history readable by others that holds a key: a check of its own, with the chmod', async () => {
    const home = tempDir();
    writeFiles(home, { '.bashrc': `export OPENAI_API_KEY=${K[0]}\n`, '.bash_history': `k=${K[1]}\n`, '.python_history': `k=${K[2]}\n` });
    chmodSync(join(home, '.bashrc'), 0o644);
    chmodSync(join(home, '.bash_history'), 0o640);
    chmodSync(join(home, '.python_history'), 0o600);
    const { report } = await audit(home);
    const perms = report.checks!.filter((c) => c.id.endsWith('readable-by-others'));
    expect(perms.map((c) => [c.id, c.severity, c.path, c.fix, c.message])).toEqual([
      [
        'profile-readable-by-others',
        'error',
        join(home, '.bashrc'),
        [`chmod 600 ${join(home, '.bashrc')}`],
        'holds a key and every user on this machine can read it (mode 644)',
      ],
      [
        'history-readable-by-others',
        'error',
        join(home, '.bash_history'),
        [`chmod 600 ${join(home, '.bash_history')}`],
        'holds a key and users in its group can read it (mode 640)',
      ],
    ]);
  });

  it('a profile tracked in a dotfiles repository: says so, and whether it has a remote', async () => {
    const home = tempDir();
    const dots = join(home, 'dotfiles');
    mkdirSync(dots);
    git(dots, ['init', '-q', '-b', 'main']);
    writeFileSync(join(dots, 'zshrc'), `export OPENAI_API_KEY=${K[0]}\n`, { mode: 0o600 });
    writeFileSync(join(dots, 'bashrc'), `export OPENAI_API_KEY=${K[1]}\n`, { mode: 0o600 });
    git(dots, ['add', 'zshrc']);
    symlinkSync(join(dots, 'zshrc'), join(home, '.zshrc'));
    symlinkSync(join(dots, 'bashrc'), join(home, '.bashrc'));
    let { report } = await audit(home);
    let repo = report.checks!.filter((c) => c.id === 'profile-in-git-repo');
    expect(repo.map((c) => [c.path, c.severity])).toEqual([[join(home, '.zshrc'), 'warning']]);
    expect(repo[0]!.message).toContain('has no remote yet');
    git(dots, ['remote', 'add', 'origin', 'https://user:hunter2@example.com/me/dotfiles.git']);
    ({ report } = await audit(home));
    repo = report.checks!.filter((c) => c.id === 'profile-in-git-repo');
    expect(repo.map((c) => c.severity)).toEqual(['error']);
    expect(repo[0]!.message).toContain(`tracked in the git repository ${dots}; it has a remote: origin (https://***@example.com/me/dotfiles.git)`);
    expect(JSON.stringify(report)).not.toContain('hunter2');
  });

  it('a bare dotfiles repository (git --git-dir=~/.cfg --work-tree=~) counts too', async () => {
    const home = tempDir();
    writeFileSync(join(home, '.bashrc'), `export OPENAI_API_KEY=${K[0]}\n`, { mode: 0o600 });
    git(home, ['init', '-q', '--bare', join(home, '.cfg')]);
    git(home, ['--git-dir', join(home, '.cfg'), '--work-tree', home, 'add', '.bashrc']);
    const { report } = await audit(home);
    expect(report.checks!.filter((c) => c.id === 'profile-in-git-repo').map((c) => c.message)).toEqual([
      `${join(home, '.bashrc')} holds a key and is tracked in the git repository ${join(home, '.cfg')}; it has no remote yet`,
    ]);
  });

  it('hardening advice per shell whose history held a key, and "already set" when the profile has it', async () => {
    const home = tempDir();
    writeFiles(home, {
      '.bash_history': `k=${K[0]}\n`,
      '.zsh_history': `k=${K[1]}\n`,
      '.local/share/fish/fish_history': `- cmd: k=${K[2]}\n`,
      '.local/share/powershell/PSReadLine/ConsoleHost_history.txt': `$env:OPENAI_API_KEY="${K[3]}"\n`,
      '.zshrc': 'setopt hist_ignore_dups histignorespace\n',
    });
    const { report } = await audit(home);
    const advice = Object.fromEntries(report.checks!.filter((c) => c.id.startsWith('history-hardening')).map((c) => [c.id, c]));
    expect(Object.keys(advice).sort()).toEqual(['history-hardening-bash', 'history-hardening-fish', 'history-hardening-pwsh', 'history-hardening-zsh']);
    expect(advice['history-hardening-bash']!.fix[0]).toContain('HISTCONTROL=ignoreboth');
    expect(advice['history-hardening-fish']!.fix[0]).toContain('fish --private');
    expect(advice['history-hardening-pwsh']!.fix[0]).toContain('AddToHistoryHandler');
    expect(advice['history-hardening-zsh']!.message).toContain(`already set in ${join(home, '.zshrc')}`);
    expect(Object.values(advice).every((c) => c.severity === 'info')).toBe(true);
  });

  it('a profile with a source loop is audited once per file', async () => {
    const home = tempDir();
    writeFiles(home, { '.bashrc': 'source ~/.bash_aliases\n', '.bash_aliases': `source ~/.bashrc\nexport OPENAI_API_KEY=${K[0]}\n` });
    chmodSync(join(home, '.bash_aliases'), 0o600);
    const { r, report } = await audit(home);
    expect(r.code).toBe(1);
    expect(report.findings.map((f) => [f.path, f.line])).toEqual([[join(home, '.bash_aliases'), 2]]);
    expect(report.summary.files).toBe(2);
  });
});

/**
 * `keyguard audit` (JSON) by a user who cannot read `locked` (owner-only). As root, permissions do
 * not stop reads, so the child runs as nobody; otherwise the file is made unreadable.
 */
function auditLockedOut(home: string, locked: string): { r: SpawnSyncReturns<string>; report: Report } {
  const asRoot = process.getuid?.() === 0;
  if (!asRoot) chmodSync(locked, 0o000);
  const r = spawnSync(process.execPath, [CLI, 'audit', '--format', 'json'], {
    cwd: home,
    env: envFor(home),
    encoding: 'utf8',
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  return { r, report: JSON.parse(r.stdout) as Report };
}

describe('exit codes and bad input', () => {
  it('nothing found: exit 0 and a summary', async () => {
    const home = tempDir();
    writeFiles(home, { '.bashrc': 'alias ll="ls -l"\n', '.bash_history': 'ls\n' });
    const r = await runMain(['audit', '--no-color'], { cwd: home, env: envFor(home) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Shell profiles {2}no keys found\n {2}checked 1: ~\/\.bashrc/);
    expect(r.stdout).toMatch(/keyguard: scanned 2 files, .*; 0 findings\n$/);
    expect((await runMain(['audit', '-q'], { cwd: home, env: envFor(home) })).stdout).toBe('');
  });

  it('an unreadable history is reported, the audit goes on, exit 2', async () => {
    const home = tempDir();
    writeFiles(home, { '.bash_history': `k=${K[0]}\n`, '.zsh_history': `k=${K[1]}\n` });
    chmodSync(home, 0o755);
    chmodSync(join(home, '.bash_history'), 0o644);
    chmodSync(join(home, '.zsh_history'), 0o600);
    const { r, report } = auditLockedOut(home, join(home, '.zsh_history'));
    expect(r.status).toBe(2);
    expect(report.summary.errors).toEqual([{ path: join(home, '.zsh_history'), message: 'permission denied' }]);
    expect(report.findings.map((f) => f.path)).toEqual([join(home, '.bash_history')]);
  });

  it('a transcript directory that cannot be listed: exit 2, named, not "0 findings"', async () => {
    const home = tempDir();
    writeFiles(home, { '.bashrc': 'alias ll="ls -l"\n', '.codex/sessions/2025/rollout-a.jsonl': '{}\n' });
    for (const d of ['', '.codex']) chmodSync(join(home, d), 0o755);
    chmodSync(join(home, '.bashrc'), 0o644);
    chmodSync(join(home, '.codex', 'sessions'), 0o700);
    const { r, report } = auditLockedOut(home, join(home, '.codex', 'sessions'));
    expect(r.status).toBe(2);
    expect(report.summary.errors).toContainEqual({ path: join(home, '.codex', 'sessions'), message: 'cannot list this directory: permission denied' });
  });

  it('a missing HOME: exit 2 with the reason, and what the environment names is still audited', async () => {
    const dir = tempDir();
    writeFiles(dir, { hist: `k=${K[0]}\n` });
    const env = envFor(dir, { HISTFILE: join(dir, 'hist') });
    delete env.HOME;
    const r = await runMain(['audit', '--format', 'json'], { cwd: dir, env });
    const report = parseJson<Report>(r);
    expect(r.code).toBe(2);
    expect(report.summary.errors[0]!.message).toMatch(/^HOME is not set/);
    expect(report.findings.map((f) => f.path)).toEqual([join(dir, 'hist')]);
  });

  it('keyguard audit PATH…: given files, each read as its name or content says; a directory is an error', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'copy-of-zsh': `: 1700000000:0;a \\\n${K[0]}\n`,
      '.zshrc': `export OPENAI_API_KEY=${K[1]}\n`,
      'notes.txt': `k ${K[2]}\n`,
      'sub/x': '',
    });
    const { r, report } = await audit(dir, ['copy-of-zsh', '.zshrc', 'notes.txt', 'sub']);
    expect(r.code).toBe(2);
    expect(report.findings.map((f) => [f.path, f.kind, f.details?.entryLine])).toEqual([
      ['.zshrc', 'profile', undefined],
      ['copy-of-zsh', 'shell-history', 1],
      ['notes.txt', 'file', undefined],
    ]);
    expect(report.summary.errors.map((e) => e.path)).toEqual(['sub']);
  });

  it('a 70 MB history (read in windows) and the text output never shows the key without --show-secrets', async () => {
    const dir = tempDir();
    const filler = ': 1700000000:0;echo some ordinary command line here\n'.repeat(700_000);
    writeFileSync(join(dir, '.zsh_history'), `${filler}: 1700000001:0;curl \\\n -H "Bearer ${K[0]}"\n${filler}`);
    const r = await runMain(['audit', '--no-color'], { cwd: dir, env: envFor(dir) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${join(dir, '.zsh_history')}\n    ✗ 700002:13`);
    expect(r.stdout).toContain('entry line: 700001');
    expect(r.stdout).not.toContain(K[0]);
    expect((await runMain(['audit', '--show-secrets', '--no-color'], { cwd: dir, env: envFor(dir) })).stdout).toContain(K[0]);
  });

  it('SARIF output carries the findings and the checks', async () => {
    const home = tempDir();
    writeFiles(home, { '.bash_history': `k=${K[0]}\n` });
    const r = await runMain(['audit', '--format', 'sarif'], { cwd: home, env: envFor(home) });
    const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string }[] }[] };
    expect(r.code).toBe(1);
    expect(sarif.runs[0]!.results.map((x) => x.ruleId).sort()).toEqual(['history-hardening-bash', 'history-readable-by-others', 'openai-api-key']);
  });

  it('usage errors: --dry-run without --fix, unknown option', async () => {
    const home = tempDir();
    expect((await runMain(['audit', '--dry-run'], { cwd: home, env: envFor(home) })).code).toBe(2);
    expect((await runMain(['audit', '--bogus'], { cwd: home, env: envFor(home) })).code).toBe(2);
    const help = await runMain(['audit', '--help'], { cwd: home, env: envFor(home) });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--no-backup');
  });
});

it('a history being appended to during the audit: read as it was, no error', async () => {
  const home = tempDir();
  writeFiles(home, { '.bash_history': `k=${K[0]}\n${'ls\n'.repeat(200_000)}` });
  const appender = spawnSync('sh', ['-c', `(for i in $(seq 1 300); do echo "echo $i" >> .bash_history; done) & node ${CLI} audit --format json; wait`], {
    cwd: home,
    env: envFor(home),
    encoding: 'utf8',
  });
  const report = JSON.parse(appender.stdout) as Report;
  expect(report.summary.errors).toEqual([]);
  expect(report.findings.map((f) => [f.line, f.fingerprint.length])).toEqual([[1, 16]]);
});
