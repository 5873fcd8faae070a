// The one door to git for listing and small queries (simple-git). Streaming readers spawn git themselves.
import type { SimpleGit } from 'simple-git';
import { gitClient } from '../git/client.js';
import { GitError } from '../errors.js';

export function gitAt(cwd: string, env?: NodeJS.ProcessEnv): SimpleGit {
  // simple-git 4 strips GIT_INDEX_FILE, GIT_DIR and friends it inherits and rejects them when passed
  // explicitly (a hook's environment always has them), and keeps the process alive 50 ms after each
  // command: src/git/client.ts configures both away.
  return gitClient(cwd, env ?? process.env);
}

export async function gitRaw(cwd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  try {
    return await gitAt(cwd, env).raw(args);
  } catch (err) {
    throw new GitError(`git ${args[0] ?? ''} failed: ${err instanceof Error ? err.message.trim() : String(err)}`);
  }
}
