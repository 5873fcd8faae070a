// What the next commit is measured against: HEAD (or nothing before the first commit), and the
// commits whose content a merge, cherry-pick or stopped rebase is bringing in, whose lines are
// already committed and must not block the commit that replays them.
// This runs in every pre-commit hook, so it reads the pseudo-refs from the git dir itself and spawns
// git only when it cannot find one.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GitError, UsageError } from '../errors.js';
import { findGitDir } from './git-dir.js';
import { gitBytes } from './process.js';

export type ReplayKind = 'merge' | 'pick';

export interface Replayed {
  kind: ReplayKind;
  sha: string;
}

export interface StagedState {
  /** true when HEAD is known not to exist yet; undefined when not asked (the diff will tell) */
  unborn?: boolean;
  replayed: Replayed[];
}

const PSEUDO_REFS: ReadonlyArray<[string, ReplayKind]> = [
  ['MERGE_HEAD', 'merge'],
  ['CHERRY_PICK_HEAD', 'pick'],
  ['REBASE_HEAD', 'pick'],
];

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

async function readIds(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'latin1'))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => OBJECT_ID.test(l));
  } catch {
    return [];
  }
}

async function replayedIn(paths: ReadonlyArray<string | undefined>): Promise<Replayed[]> {
  const replayed: Replayed[] = [];
  for (let i = 0; i < PSEUDO_REFS.length; i++) {
    const path = paths[i];
    if (path) for (const sha of await readIds(path)) replayed.push({ kind: PSEUDO_REFS[i]![1], sha });
  }
  return replayed;
}

/** Ask git: the slow path, and the one that says clearly when cwd is not in a repository. */
async function askGit(cwd: string, env: NodeJS.ProcessEnv): Promise<StagedState> {
  let out: string;
  try {
    const args = ['rev-parse', ...PSEUDO_REFS.flatMap(([name]) => ['--git-path', name]), '--revs-only', 'HEAD'];
    out = (await gitBytes(cwd, env, args)).toString('utf8');
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/not a git repository|must be run in a work tree/i.test(msg)) throw new UsageError(`--staged needs a git work tree: ${cwd} is not in one`);
    throw err;
  }
  const lines = out.split('\n');
  const replayed = await replayedIn(lines.slice(0, PSEUDO_REFS.length).map((p) => (p ? resolve(cwd, p) : undefined)));
  return { replayed, unborn: !OBJECT_ID.test(lines[PSEUDO_REFS.length]?.trim() ?? '') };
}

export async function stagedState(cwd: string, env: NodeJS.ProcessEnv): Promise<StagedState> {
  const gitDir = await findGitDir(cwd, env);
  if (!gitDir || !(await stat(gitDir).catch(() => undefined))?.isDirectory()) return askGit(cwd, env);
  return { replayed: await replayedIn(PSEUDO_REFS.map(([name]) => resolve(gitDir, name))) };
}

/** The diff against HEAD failed because there is no HEAD yet (the first commit). */
export function isUnbornHead(err: unknown): boolean {
  return err instanceof GitError && /bad revision 'HEAD'/.test(err.message);
}

/** The empty tree in this repository's object format (there is no HEAD to compare with). */
export async function emptyTree(cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return (await gitBytes(cwd, env, ['hash-object', '-t', 'tree', '--stdin'], '')).toString('latin1').trim();
}

/** GIT_INDEX_FILE naming a file that is not there would make git compare against an empty index. */
export async function missingIndexFile(cwd: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const file = env.GIT_INDEX_FILE;
  if (!file) return undefined;
  try {
    await stat(resolve(cwd, file));
    return undefined;
  } catch {
    return file;
  }
}
