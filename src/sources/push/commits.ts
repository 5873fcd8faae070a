// Which commits a push brings to the receiving side: those reachable from the new tips and from
// nothing the receiving side already has. One `git log --source` answers it and says, for each
// commit, which pushed tip reached it (the advice names the branch to rewrite).
import { GitError } from '../../errors.js';
import { gitFailure, runGit } from '../../git/process.js';
import { isZero, type RefUpdate } from './updates.js';

export interface PushCommits {
  /** the new commits, newest first (git's order) */
  commits: string[];
  /** commit → the ref updates whose new tip reaches it */
  refsOf: Map<string, RefUpdate[]>;
  /** commit → its parents (none for a root commit) */
  parentsOf: Map<string, string[]>;
  /** the updates that push something (deletions left out) */
  pushed: RefUpdate[];
  /** the updates that delete a ref: nothing to scan */
  deleted: RefUpdate[];
}

/**
 * List `tips`, minus everything reachable from `exclude` (object ids) and from `excludeArgs` (git
 * options such as `--all`, which must come after `--not`). Revisions go through stdin: a push of
 * thousands of refs would not fit on a command line, and git 2.39 takes only revisions there, with
 * `^` for the excluded ones.
 */
async function listNew(
  cwd: string,
  env: NodeJS.ProcessEnv,
  updates: RefUpdate[],
  exclude: readonly string[],
  excludeArgs: readonly string[],
): Promise<PushCommits> {
  const pushed = updates.filter((u) => !isZero(u.new));
  const deleted = updates.filter((u) => isZero(u.new));
  const result: PushCommits = { commits: [], refsOf: new Map(), parentsOf: new Map(), pushed, deleted };
  if (pushed.length === 0) return result;
  const tips = [...new Set(pushed.map((u) => u.new))];
  const input = `${[...tips, ...exclude.map((s) => `^${s}`)].join('\n')}\n`;
  const args = ['log', '--source', '--no-color', '--format=%H%x00%P%x00%S', '--stdin', ...(excludeArgs.length > 0 ? ['--not', ...excludeArgs] : [])];
  const r = await runGit(cwd, env, args, input);
  if (r.code === -1) throw new GitError(r.stderr);
  if (r.code !== 0) {
    throw new GitError(`cannot list the commits being pushed (${gitFailure(args, r).message}): a missing or corrupt object; \`git fsck\` tells more`);
  }
  const byTip = new Map<string, RefUpdate[]>();
  for (const u of pushed) byTip.set(u.new, [...(byTip.get(u.new) ?? []), u]);
  for (const line of r.stdout.toString('latin1').split('\n')) {
    if (line === '') continue;
    const [sha, parents, source] = line.split('\0');
    if (!sha) continue;
    result.commits.push(sha);
    result.parentsOf.set(sha, parents ? parents.split(' ') : []);
    result.refsOf.set(sha, byTip.get(source ?? '') ?? []);
  }
  return result;
}

/** Which of `shas` this repository has, as commits or tags (the only objects that can bound a walk). */
async function present(cwd: string, env: NodeJS.ProcessEnv, shas: readonly string[]): Promise<string[]> {
  if (shas.length === 0) return [];
  const r = await runGit(cwd, env, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], `${shas.join('\n')}\n`);
  if (r.code !== 0) throw gitFailure(['cat-file'], r);
  return r.stdout
    .toString('latin1')
    .split('\n')
    .map((l) => l.split(' '))
    .filter(([, type]) => type === 'commit' || type === 'tag')
    .map(([sha]) => sha!);
}

/** A remote name whose tracking refs can be asked for by prefix (a URL or a glob cannot). */
function remoteName(remote: string | undefined): string | undefined {
  if (!remote || /[*?[\\:\s]/.test(remote) || remote.startsWith('-') || remote.startsWith('/') || remote.startsWith('.')) return undefined;
  return remote;
}

/** The remote git named is a configured remote's name, not a URL or path. */
export function remoteNamed(remote: string | undefined): boolean {
  return remoteName(remote) !== undefined;
}

/** The object ids of `refs/remotes/<remote>/*`: what this clone last saw on that remote. */
async function trackingTips(cwd: string, env: NodeJS.ProcessEnv, remote: string | undefined): Promise<string[]> {
  const name = remoteName(remote);
  if (!name) return [];
  const args = ['for-each-ref', '--format=%(objectname)', `refs/remotes/${name}/`];
  const r = await runGit(cwd, env, args);
  if (r.code !== 0) throw gitFailure(args, r);
  return r.stdout
    .toString('latin1')
    .split('\n')
    .filter((s) => s !== '');
}

export interface PrePushBasis {
  /** how many remote-tracking refs of the remote bounded the walk */
  tracking: number;
  /** the remote was named (not a URL): its tracking refs could be used */
  named: boolean;
}

/**
 * pre-push: the commits reachable from the pushed tips and not from what the remote is known to
 * have: the remote's current value of each pushed ref (when this clone has that commit) and the
 * remote-tracking refs of that remote. A new branch whose commits are all on the remote already
 * costs nothing; a push to a URL with no tracking refs scans the pushed branch's whole history,
 * since nothing says the remote has any of it.
 */
export async function prePushCommits(
  cwd: string,
  env: NodeJS.ProcessEnv,
  remote: string | undefined,
  updates: RefUpdate[],
): Promise<PushCommits & PrePushBasis> {
  const olds = [...new Set(updates.filter((u) => !isZero(u.new) && !isZero(u.old)).map((u) => u.old))];
  const [tracking, known] = await Promise.all([trackingTips(cwd, env, remote), present(cwd, env, olds)]);
  const listed = await listNew(cwd, env, updates, [...new Set([...known, ...tracking])], []);
  return { ...listed, tracking: tracking.length, named: remoteName(remote) !== undefined };
}

/**
 * pre-receive: the commits reachable from the new tips and from no ref the repository has now (refs
 * are updated only after the hook accepts). The new objects sit in git's quarantine directory, which
 * git names in GIT_OBJECT_DIRECTORY/GIT_ALTERNATE_OBJECT_DIRECTORIES: the environment passes through.
 */
export async function preReceiveCommits(cwd: string, env: NodeJS.ProcessEnv, updates: RefUpdate[]): Promise<PushCommits> {
  return listNew(cwd, env, updates, [], ['--all']);
}

/**
 * The current branch as a pushed ref, for a pre-push hook that got no ref lines: git sends none when
 * everything is up to date, but so does a hook manager that did not pass git's stdin on (lefthook
 * without `use_stdin: true`). Checking the current branch's unpushed commits then costs nothing in the
 * first case and covers the usual `git push` in the second. Undefined on an unborn branch.
 */
export async function currentBranchUpdate(cwd: string, env: NodeJS.ProcessEnv): Promise<RefUpdate | undefined> {
  const [sha, name] = await Promise.all([runGit(cwd, env, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']), runGit(cwd, env, ['symbolic-ref', '-q', 'HEAD'])]);
  if (sha.code !== 0) return undefined;
  const localRef = name.code === 0 ? name.stdout.toString('utf8').trim() : 'HEAD';
  return { localRef, new: sha.stdout.toString('utf8').trim(), ref: localRef, old: '0'.repeat(40) };
}
