// The one git command the history walk streams: every commit's patch, added and removed lines only.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { RECORD_FORMAT } from '../sources/git-history/log-parser.js';
import { gitQueryEnv } from './spawn.js';

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
 * --cc: a merge shows only what differs from every parent, so keys the merge carried in from a
 * branch are not reported again while a key added by the resolution itself is. --full-history keeps
 * git from simplifying anything away. No textconv and no external diff: a repository must not be able
 * to run commands or hide text through its attributes.
 */
export function logArgs(): string[] {
  const args: string[] = [];
  for (const c of PINNED_CONFIG) args.push('-c', c);
  args.push('log', '-p', '-U0', '--cc', '-M', '--full-history', '--no-color', '--no-ext-diff', '--no-textconv', '--no-relative', '--src-prefix=a/', '--dst-prefix=b/', `--format=${RECORD_FORMAT}`);
  return args;
}

export type LogProcess = ChildProcessByStdio<Writable, Readable, Readable>;

export interface LogRun {
  child: LogProcess;
  /** resolves when git has exited: its code and what it said on stderr */
  exit: Promise<{ code: number; stderr: string }>;
}

const STDERR_LIMIT = 64 * 1024;

/** Start `git log`, over `revs`, or over exactly the commits given (a walk resumed past a bad object). */
export function startLog(cwd: string, env: NodeJS.ProcessEnv, revs: Revisions, commits?: readonly string[]): LogRun {
  const args = logArgs();
  if (commits) args.push('--no-walk=unsorted', '--stdin');
  else args.push(...revisionArgs(revs));
  const child = spawn('git', args, { cwd, env: gitQueryEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  // Node resumes (and so discards) a child's stdout nobody listens to when the child exits, which a
  // short history does before the walk starts reading: listening marks it as taken
  child.stdout.on('readable', () => {});
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += s;
  });
  child.stdin.on('error', () => {});
  child.stdin.end(commits ? `${commits.join('\n')}\n` : '');
  const exit = new Promise<{ code: number; stderr: string }>((resolve) => {
    child.on('error', (err) => resolve({ code: -1, stderr: err.message }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stderr }));
  });
  return { child, exit };
}
