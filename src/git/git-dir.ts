// Where git keeps this work tree's state (HEAD, MERGE_HEAD, …), found the way git finds it: GIT_DIR,
// else the nearest `.git` directory or `gitdir:` file at or above cwd. Reading a few files from it
// saves every hook run a git process; when nothing is found the caller asks git instead.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

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
