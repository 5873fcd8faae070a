// Real temp dirs, real git repositories, the real CLI as a child process.
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** the installed command (package.json bin), which runs the bundle */
export const CLI = join(PROJECT_ROOT, 'dist', 'cli.cjs');

/** A fresh temp dir, removed when the test finishes. */
export function tempDir(prefix = 'kg-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Write files (paths relative to `dir`, parents created); string or Buffer content. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

/** Environment for git in tests: no user config, fixed identity, no background maintenance. */
export function gitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    KEYGUARD_NO_PROGRESS: '1',
    ...extra,
  };
}

export function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = gitEnv()): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

let clock = 1_700_000_000;

/** When (seconds since 1970) commitFiles made its last commit. */
export function lastCommitSeconds(): number {
  return clock;
}

/** Write files (null deletes), stage everything, commit a minute after the last commit made here (author and committer date); returns the sha. */
export function commitFiles(dir: string, files: Record<string, string | Buffer | null>, message = 'change', extra: NodeJS.ProcessEnv = {}): string {
  const write: Record<string, string | Buffer> = {};
  for (const [p, c] of Object.entries(files)) {
    if (c === null) git(dir, ['rm', '-q', '--', p]);
    else write[p] = c;
  }
  writeFiles(dir, write);
  git(dir, ['add', '-A']);
  clock += 60;
  const date = `@${clock} +0000`;
  git(dir, ['commit', '-q', '--allow-empty', '-m', message], gitEnv({ GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, ...extra }));
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

/** A new repository with `main` as its branch; optional files committed as the first commit. */
export function gitRepo(files?: Record<string, string | Buffer>): string {
  const dir = tempDir('kg-repo-');
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
  git(dir, ['config', 'maintenance.auto', 'false']);
  git(dir, ['config', 'gc.auto', '0']);
  if (files) {
    writeFiles(dir, files);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'initial']);
  }
  return dir;
}

/** A folder holding a `keyguard` command that runs the built CLI, as an install would put on PATH. */
export function keyguardOnPath(): string {
  const dir = tempDir('kg-bin-');
  writeFileSync(join(dir, 'keyguard'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
  return dir;
}

/** The environment git runs hooks in for these tests: a fresh HOME, keyguard on PATH, no keys of the tester's. */
export function hookEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return gitEnv({
    HOME: tempDir('kg-home-'),
    PATH: `${keyguardOnPath()}:${process.env.PATH ?? ''}`,
    OPENAI_API_KEY: '',
    CODEX_API_KEY: '',
    NO_COLOR: '1',
    ...extra,
  });
}

/** Variables that move histories, profiles, agents' homes and keyguard's data away from HOME. */
const MACHINE_VARS = [
  'HISTFILE',
  'ZDOTDIR',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'XDG_STATE_HOME',
  'XDG_CACHE_HOME',
  'PYTHON_HISTORY',
  'NODE_REPL_HISTORY',
  'PSQL_HISTORY',
  'MYSQL_HISTFILE',
  'SQLITE_HISTORY',
  'LESSHISTFILE',
  'IPYTHONDIR',
  'ATUIN_CONFIG_DIR',
  'CODEX_HOME',
];

/** A machine whose only home is `home`: nothing from the tester's own shell decides what an audit reads. */
export function machineEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = gitEnv({ HOME: home, OPENAI_API_KEY: '', CODEX_API_KEY: '' });
  for (const k of MACHINE_VARS) delete env[k];
  return { ...env, ...extra };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built CLI (`npm run build` first) as a child process. */
export function runCli(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): CliResult {
  const env = opts.env ?? gitEnv({ HOME: opts.cwd, OPENAI_API_KEY: '', CODEX_API_KEY: '' });
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    env,
    encoding: 'utf8',
    input: opts.input ?? '',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function parseJson<T = { findings: Array<Record<string, unknown>>; summary: Record<string, unknown> }>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}):\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`);
  }
}
