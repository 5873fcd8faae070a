// The one git command the history walk streams: every commit's patch, added and removed lines only.
import { RECORD_FORMAT } from '../sources/git-history/log-parser.js';
import { runGit, startGit, type GitChild } from './process.js';

/**
 * Settings a user's config could change under us, pinned: raw bytes in paths, the a/ b/ prefixes the
 * parser reads, root commits shown in full, no hunks merged over context, no signature checks (slow,
 * and their output would land in the stream), renames detected so a moved file is not new text.
 */
const PINNED_CONFIG = [
  'core.quotePath=false',
  'diff.noprefix=false',
  'diff.mnemonicPrefix=false',
  'diff.interHunkContext=0',
  'diff.renames=true',
  'diff.submodule=short',
  'log.showRoot=true',
  'log.showSignature=false',
];

export interface Revisions {
  /** a revision range or a single revision; all refs when absent */
  range?: string;
  since?: string;
}

/** Which commits: `--all` (branches, tags, remotes, stash, HEAD), or the range; optionally since a date. */
export function revisionArgs(revs: Revisions): string[] {
  const args: string[] = [];
  if (revs.since) args.push(`--since=${revs.since}`);
  if (revs.range) args.push('--end-of-options', revs.range, '--');
  else args.push('--all');
  return args;
}

/**
 * Whether git reads `since` as a date. `git log --since` takes anything (a word it cannot read
 * becomes "now" and the scan quietly matches nothing); git's careful date parser, the one its config
 * uses for dates, says no instead. One git process, only when --since is given.
 */
export async function isGitDate(cwd: string, env: NodeJS.ProcessEnv, since: string): Promise<boolean> {
  if (since.trim() === '' || /[\n\0]/.test(since)) return false;
  const r = await runGit(cwd, env, ['-c', `keyguard.since=${since}`, 'config', '--type=expiry-date', 'keyguard.since']);
  return r.code === 0 || !/not a valid timestamp/.test(r.stderr);
}

/**
 * --cc: a merge shows only what differs from every parent, so keys the merge carried in from a
 * branch are not reported again while a key added by the resolution itself is. --full-history keeps
 * git from simplifying anything away. No textconv and no external diff: a repository must not be able
 * to run commands or hide text through its attributes.
 */
export function logArgs(): string[] {
  const args: string[] = [];
  for (const c of PINNED_CONFIG) args.push('-c', c);
  args.push(
    'log',
    '-p',
    '-U0',
    '--cc',
    '-M',
    '--full-history',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--no-relative',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    `--format=${RECORD_FORMAT}`,
  );
  return args;
}

/** Start `git log`, over `revs`, or over exactly the commits given (a walk resumed past a bad object). */
export function startLog(cwd: string, env: NodeJS.ProcessEnv, revs: Revisions, commits?: readonly string[]): GitChild {
  const args = logArgs();
  if (commits) args.push('--no-walk=unsorted', '--stdin');
  else args.push(...revisionArgs(revs));
  const child = startGit(cwd, env, args, { input: commits !== undefined });
  child.stdin?.end(`${commits?.join('\n') ?? ''}\n`);
  return child;
}
