// simple-git for small queries, with git's own location variables passed through. Inside a hook git
// sets GIT_INDEX_FILE (`commit -a`, `commit <path>`), GIT_DIR (linked worktrees) and friends;
// simple-git 4 strips every GIT_* variable it inherits and rejects one given explicitly, so a plain
// client would quietly read the wrong index. Editor, pager and exec-path variables stay out: no
// query here needs them, and simple-git refuses them.
import { simpleGit, type SimpleGit } from 'simple-git';
import { GitError } from '../errors.js';

/** What git reads to find the repository, the index, the objects and its configuration. */
const LOCATION_VARS = new Set([
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_QUARANTINE_PATH',
  'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM',
  'GIT_NAMESPACE',
  'GIT_CONFIG_NOSYSTEM',
  'GIT_CONFIG_GLOBAL',
  'GIT_CONFIG_SYSTEM',
]);

/** Non-GIT_ names simple-git guards (see @simple-git/argv-parser). */
const GUARDED_OTHER = new Set(['editor', 'visual', 'pager', 'prefix', 'ssh_askpass']);

function queryEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    const lower = k.toLowerCase();
    if (lower.startsWith('git') ? LOCATION_VARS.has(k) : !GUARDED_OTHER.has(lower)) out[k] = v;
  }
  return out;
}

export function gitClient(cwd: string, env: NodeJS.ProcessEnv): SimpleGit {
  const passed = queryEnv(env);
  const allowEnvironment = Object.keys(passed).filter((k) => k.toLowerCase().startsWith('git'));
  return simpleGit({
    baseDir: cwd,
    trimmed: false,
    maxConcurrentProcesses: 4,
    allowEnvironment,
    // GIT_CONFIG_GLOBAL/SYSTEM choose which config git reads, which is the point of passing them
    unsafe: { allowUnsafeConfigPaths: true },
    // the default also arms a 50 ms timer on exit that keeps the process alive: the hook would pay it
    completion: { onClose: true, onExit: false },
  }).env(passed);
}

/**
 * One query. The command must print something: simple-git waits an extra 50 ms for a child that
 * closes without output.
 */
export async function gitQuery(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  try {
    return await gitClient(cwd, env).raw(args);
  } catch (err) {
    const msg = err instanceof Error ? err.message.trim() : String(err);
    throw new GitError(`git ${args[0] ?? ''} failed: ${msg.replace(/^fatal: /, '')}`);
  }
}
