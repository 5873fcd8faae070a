// Where git keeps this work tree's state (HEAD, MERGE_HEAD, …), found the way git finds it: GIT_DIR,
// else the nearest `.git` directory or `gitdir:` file at or above cwd. Reading a few files from it
// saves every hook run a git process; when nothing is found the caller asks git instead.
import { statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

export async function findGitDir(cwd: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.GIT_DIR) return resolve(cwd, env.GIT_DIR);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    const st = await stat(dotGit).catch(() => undefined);
    if (st?.isDirectory()) return dotGit;
    if (st?.isFile()) {
      // linked worktrees and submodules: `gitdir: <path>`, relative to the directory holding .git
      const m = /^gitdir: (.+)$/m.exec(await readFile(dotGit, 'utf8').catch(() => ''));
      return m ? resolve(dir, m[1]!.trim()) : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The environment for git in a directory the user named as a repository (history scans): when that
 * directory is itself a bare repository (a mirror clone), it is named as `git --git-dir=.` would name
 * it, since git is told never to find a bare repository by itself (safe.bareRepository=explicit,
 * against one embedded below a scanned folder). Only the directory itself, never one above it.
 */
export function namedBareRepository(cwd: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.GIT_DIR || basename(resolve(cwd)) === '.git') return env;
  let head = false;
  try {
    // a work tree (or a .git file of a linked worktree) is found the ordinary way
    statSync(join(cwd, '.git'));
    return env;
  } catch {
    // no .git here: look for a repository's own layout
  }
  try {
    head = statSync(join(cwd, 'HEAD')).isFile();
  } catch {
    return env;
  }
  if (!head || !isDirectory(join(cwd, 'objects')) || !isDirectory(join(cwd, 'refs'))) return env;
  return { ...env, GIT_DIR: resolve(cwd) };
}
