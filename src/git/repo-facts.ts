// What kind of repository the history scan is looking at: two git questions, asked at once.
import { GitError, UsageError } from '../errors.js';
import { gitComplaint, refusal, runGit } from './process.js';

export interface RepoFacts {
  /** where to run git: the caller's directory (queries use `:/` where they mean the whole tree) */
  cwd: string;
  gitDir: string;
  bare: boolean;
  shallow: boolean;
  /** HEAD's commit, undefined on an unborn branch */
  head?: string;
  /** HEAD is a commit but not on a branch */
  detached: boolean;
}

export async function repoFacts(cwd: string, env: NodeJS.ProcessEnv): Promise<RepoFacts> {
  const [about, head] = await Promise.all([
    // on an unborn branch the last question fails, after the first three are answered
    runGit(cwd, env, ['rev-parse', '--absolute-git-dir', '--is-bare-repository', '--is-shallow-repository', '--symbolic-full-name', 'HEAD']),
    runGit(cwd, env, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']),
  ]);
  const refused = refusal(about.stderr);
  if (refused) throw new GitError(refused);
  const [gitDir, bare, shallow, symbolic] = about.stdout.toString('utf8').split('\n');
  if (!gitDir || (bare !== 'true' && bare !== 'false')) throw new UsageError(`--history needs a git repository: ${gitComplaint(about.stderr)}`);
  const facts: RepoFacts = { cwd, gitDir, bare: bare === 'true', shallow: shallow === 'true', detached: false };
  if (head.code === 0) {
    facts.head = head.stdout.toString('utf8').trim();
    facts.detached = symbolic === 'HEAD';
  }
  return facts;
}
