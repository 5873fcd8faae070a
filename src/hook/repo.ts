// Where hooks live for this work tree: `git rev-parse --git-path hooks` already accounts for
// core.hooksPath, linked worktrees (hooks are shared through the common dir) and submodules (their
// git dir sits under the superproject's .git/modules).
import { isAbsolute, relative, resolve } from 'node:path';
import { HookError } from '../errors.js';
import { gitQuery } from '../git/client.js';

export interface HookRepo {
  /** top of the work tree */
  top: string;
  /** the directory git runs hooks from */
  hooksDir: string;
  /** the repository's own hooks directory (`<common dir>/hooks`) */
  defaultHooksDir: string;
  /** set when core.hooksPath moves hooks elsewhere */
  hooksPath?: string;
}

export async function hookRepo(cwd: string, env: NodeJS.ProcessEnv): Promise<HookRepo> {
  let out: string;
  try {
    out = await gitQuery(cwd, env, ['rev-parse', '--show-toplevel', '--git-path', 'hooks', '--git-common-dir']);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/not a git repository/i.test(msg)) throw new HookError(`${cwd} is not in a git repository: run keyguard install inside the repository to protect`);
    if (/must be run in a work tree/i.test(msg)) throw new HookError('this is a bare repository: there are no commits made here to check');
    throw new HookError(msg);
  }
  const [top, hooks, common] = out.split('\n');
  if (!top || !hooks || !common) throw new HookError(`unexpected output from git rev-parse: ${JSON.stringify(out)}`);
  const hooksDir = resolve(cwd, hooks);
  const defaultHooksDir = resolve(cwd, common, 'hooks');
  const repo: HookRepo = { top, hooksDir, defaultHooksDir };
  if (hooksDir !== defaultHooksDir) repo.hooksPath = hooksDir;
  return repo;
}

/** A path as the user should read it: relative to cwd when it is inside, else absolute. */
export function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
