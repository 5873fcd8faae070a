// The server's bypass: `git push -o keyguard.skip` lets a push through without the check, only where
// the repository's admin allowed it (`git config keyguard.allowSkip true`), and never silently: the
// pusher is told, and a line per ref is appended to a log in the git dir.
import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { GitError, SourceError, errorMessage } from '../../errors.js';
import { gitFailure, runGit } from '../../git/process.js';
import type { RefUpdate } from './updates.js';

export const SKIP_OPTION = 'keyguard.skip';
export const ALLOW_SKIP_CONFIG = 'keyguard.allowSkip';
/** where skips are logged, relative to the git dir */
export const SKIP_LOG = join('keyguard', 'skips.log');

/** The push options the pusher gave (`git push -o …`), as git hands them to pre-receive. */
export function pushOptions(env: NodeJS.ProcessEnv): string[] {
  const n = Number(env.GIT_PUSH_OPTION_COUNT);
  if (!Number.isInteger(n) || n <= 0) return [];
  return Array.from({ length: n }, (_, i) => env[`GIT_PUSH_OPTION_${i}`] ?? '');
}

export function asksSkip(env: NodeJS.ProcessEnv): boolean {
  return pushOptions(env).includes(SKIP_OPTION);
}

/** Whether this repository's config (or the server's global/system config) allows the bypass. */
export async function skipAllowed(cwd: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const args = ['config', '--type=bool', '--get', ALLOW_SKIP_CONFIG];
  const r = await runGit(cwd, env, args);
  if (r.code === 0) return r.stdout.toString('utf8').trim() === 'true';
  // 1: not set. Anything else (a value that is not a boolean) allows nothing.
  if (r.code === 1) return false;
  if (r.code === -1) throw new GitError(r.stderr);
  return false;
}

/** Who pushed, as far as the server says: the account (ssh user; GitLab's GL_USERNAME; Gitea's GITEA_PUSHER_NAME) and a push certificate. */
function pusher(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return {
    user: env.USER ?? env.LOGNAME,
    gitlab: env.GL_USERNAME,
    gitea: env.GITEA_PUSHER_NAME,
    cert: env.GIT_PUSH_CERT,
    certSigner: env.GIT_PUSH_CERT_SIGNER,
  };
}

/** One log field: no spaces, tabs or line ends may split a record. */
function field(value: string): string {
  return value.replace(/[\s\x00-\x1f\x7f]/g, '?');
}

export async function gitDirOf(cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const args = ['rev-parse', '--absolute-git-dir'];
  const r = await runGit(cwd, env, args);
  if (r.code !== 0) throw gitFailure(args, r);
  return r.stdout.toString('utf8').trim();
}

/**
 * Append one line per ref to `<git dir>/keyguard/skips.log`: time, ref, old and new ids, who. A log
 * that cannot be written means the skip is not granted (the caller rejects the push).
 */
export async function logSkip(gitDir: string, updates: readonly RefUpdate[], env: NodeJS.ProcessEnv, now: Date): Promise<string> {
  const path = join(gitDir, SKIP_LOG);
  const who = Object.entries(pusher(env))
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]) => `${k}=${field(v)}`)
    .join(' ');
  const lines = updates.map((u) => `${now.toISOString()} skip ref=${field(u.ref)} old=${u.old} new=${u.new}${who ? ` ${who}` : ''}\n`).join('');
  try {
    await mkdir(join(gitDir, 'keyguard'), { recursive: true, mode: 0o700 });
    // never through a link planted in the git dir
    const file = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    try {
      await file.appendFile(lines);
    } finally {
      await file.close();
    }
  } catch (err) {
    throw new SourceError(`cannot write the skip log ${path}: ${errorMessage(err)}; the skip is refused`);
  }
  return path;
}
