// Where hooks live for this work tree: core.hooksPath when it is set (a relative one is relative to
// the top of the work tree, where git runs hooks), else `hooks` in the common git dir, which accounts
// for linked worktrees (hooks are shared through the common dir) and submodules (their git dir sits
// under the superproject's .git/modules). `git rev-parse --git-path hooks` would say the same, but
// every git keyguard runs has core.hooksPath=/dev/null (no hook of a scanned repository ever runs),
// so the real value is read from git's config, where that setting shows as the last command-line one.
import { backupDir } from '../fix/backup.js';
import type { BackupsAt } from './files.js';
import { isAbsolute, relative, resolve } from 'node:path';
import { HookError } from '../errors.js';
import { gitComplaint, refusal, runGit } from '../git/process.js';

export interface HookRepo {
  /** top of the work tree */
  top: string;
  /** the directory git runs hooks from */
  hooksDir: string;
  /** the repository's own hooks directory (`<common dir>/hooks`) */
  defaultHooksDir: string;
  /** set when core.hooksPath moves hooks elsewhere */
  hooksPath?: string;
  /** where backups of the user's files go */
  backups: BackupsAt;
}

/** core.hooksPath as the user's and the repository's config set it (`~` expanded), or undefined. */
export function configuredHooksPath(out: string): string | undefined {
  // -z --show-scope: scope NUL value NUL, in the order git reads them; the last one is ours
  const fields = out.split('\0');
  const values: Array<[string, string]> = [];
  for (let i = 0; i + 1 < fields.length; i += 2) values.push([fields[i]!, fields[i + 1]!]);
  const last = values.at(-1);
  if (last && last[0] === 'command' && last[1] === '/dev/null') values.pop();
  const value = values.at(-1)?.[1];
  return value === undefined || value === '' ? undefined : value;
}

export async function hookRepo(cwd: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<HookRepo> {
  const [where, config] = await Promise.all([
    runGit(cwd, env, ['rev-parse', '--show-toplevel', '--git-common-dir']),
    runGit(cwd, env, ['config', '-z', '--show-scope', '--path', '--get-all', 'core.hooksPath']),
  ]);
  if (where.code !== 0) {
    const msg = where.stderr;
    const refused = refusal(msg);
    if (/not a git repository/i.test(msg)) throw new HookError(`${cwd} is not in a git repository: run keyguard install inside the repository to protect`);
    const bare = /must be run in a work tree|cannot use bare repository/i.test(msg);
    if (bare) throw new HookError('this is a bare repository: there are no commits made here to check');
    throw new HookError(refused ?? `git rev-parse failed: ${gitComplaint(msg)}`);
  }
  const out = where.stdout.toString('utf8');
  const [top, common] = out.split('\n');
  if (!top || !common) throw new HookError(`unexpected output from git rev-parse: ${JSON.stringify(out)}`);
  const configured = config.code === 0 ? configuredHooksPath(config.stdout.toString('utf8')) : undefined;
  const defaultHooksDir = resolve(cwd, common, 'hooks');
  const hooksDir = configured ? resolve(top, configured) : defaultHooksDir;
  const repo: HookRepo = { top, hooksDir, defaultHooksDir, backups: () => backupDir({ env, platform }) };
  if (hooksDir !== defaultHooksDir) repo.hooksPath = hooksDir;
  return repo;
}

/** A path as the user should read it: relative to cwd when it is inside, else absolute. */
export function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
