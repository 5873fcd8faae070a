// Whether a directory is certainly outside every git repository, told without starting git: no `.git`
// in it or in any directory above it, and no GIT_DIR or GIT_WORK_TREE naming one. git would find no
// repository there either: it looks for `.git` upwards, and the one other thing it could find, a bare
// repository, it uses only when named, for every git keyguard runs (safe.bareRepository=explicit in
// process.ts). Only this negative answer is trusted; anything else is git's to say. A scan outside git
// then starts no git process (three before: each costs a few milliseconds to start).
import { lstatSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export function certainlyOutsideGit(dir: string, env: NodeJS.ProcessEnv): boolean {
  if (env.GIT_DIR !== undefined || env.GIT_WORK_TREE !== undefined) return false;
  try {
    for (let d = resolve(dir); ; d = dirname(d)) {
      // any entry counts: a directory, a gitfile (worktrees, submodules), a link
      if (lstatSync(join(d, '.git'), { throwIfNoEntry: false })) return false;
      if (dirname(d) === d) return true;
    }
  } catch {
    // a directory above that cannot be looked into: git's to say
    return false;
  }
}
