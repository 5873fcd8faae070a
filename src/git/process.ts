// The one place keyguard starts git. Every git process gets the same environment and the same
// lock-down, is tracked while it runs, and is ended when its reader stops early, on error, and when
// keyguard exits or is interrupted. keyguard scans repositories it does not trust (a clone, HOME with
// whatever is below it), so nothing a repository says may make git run a program.
//
// Why each setting (checked against git 2.39 and `git help config`):
//   core.fsmonitor=false        the repository's config could name a program git runs on every index
//                               read (ls-files, diff-index --cached, check-ignore all read the index)
//   core.hooksPath=/dev/null    no hook of the repository runs (none of our read-only commands should
//                               start one; this makes sure). src/hook/repo.ts reads the real value.
//   core.pager=cat              a pager is a program; stdout is a pipe, so git would not page, but
//                               GIT_PAGER/PAGER=cat below settle it whatever the config says
//   diff.external=              an empty command: every diff we run passes --no-ext-diff, and one that
//                               forgot would fail ("cannot run") instead of running the repository's
//   core.sshCommand=, core.askPass=, credential.helper=, protocol.allow=never
//                               we never fetch, but a partial clone fetches missing objects by itself
//                               (through ssh or a remote helper): no transport at all, no credential
//                               helper, no password prompt program
//   safe.bareRepository=explicit  a bare repository is used only when named (GIT_DIR, --git-dir): one
//                               embedded below a scanned folder (a clone can carry one) is never found
//                               by walking up, so its config is never read. git reads this setting
//                               only from protected config, which includes -c.
//   log.showSignature=false     signature checks run gpg.program, which the repository can set
// Not set: core.untrackedCache (data, not a program; it only speeds up ls-files --others).
// Not passed anywhere: --textconv or --filters (cat-file), and every diff/log/grep carries
// --no-ext-diff/--no-textconv where it takes it, so diff drivers from .gitattributes never run; filter
// drivers (clean/smudge/process) run only where git moves content between the work tree and the
// object store (checkout, add, status, a diff against the work tree), and keyguard runs none of those:
// it reads the index and the object store, and the work tree through the file system.
// Never set: safe.directory. A repository git itself refuses (another user's) stays refused: see
// refusal() below.
//
// Environment: the caller's, so git's own location variables (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE,
// GIT_COMMON_DIR, GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES, GIT_QUARANTINE_PATH,
// GIT_CEILING_DIRECTORIES, GIT_CONFIG_*; the hook needs every one) pass through, and the user's own
// GIT_CONFIG_PARAMETERS too: our -c options come later on the command line, so they win. Then:
// LC_ALL=C (messages we match are git's English ones; LANGUAGE is dropped too, since gettext reads it
// before the locale in every locale but C), no terminal prompt, no optional locks (a scan never writes the index), cat as the pager,
// GIT_NO_LAZY_FETCH=1 (git 2.44+: never fetch a missing object; older git relies on protocol.allow),
// GIT_NO_REPLACE_OBJECTS=1 (a repository's refs/replace/ would otherwise show keyguard a substitute
// for a commit or blob, hiding what is really stored and pushed).
// Dropped: the variables that name a program for git to run (external diff, ssh, askpass, editors,
// proxy command); none of our commands needs one. GIT_EXEC_PATH stays: it says where git's own
// programs are installed (a relocated git needs it) and comes from the user, not from a repository.
import type { ChildProcess } from 'node:child_process';
import { childProcess } from '../builtin.js';
import { Readable, type Writable } from 'node:stream';
import { GitError } from '../errors.js';
import { atInterrupt } from '../interrupt.js';

export const LOCKDOWN: readonly string[] = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  'diff.external=',
  'core.sshCommand=',
  'core.askPass=',
  'credential.helper=',
  'protocol.allow=never',
  'safe.bareRepository=explicit',
  'log.showSignature=false',
].flatMap((c) => ['-c', c]);

const DROPPED_ENV = [
  'LANGUAGE',
  'GIT_EXTERNAL_DIFF',
  'GIT_SSH',
  'GIT_SSH_COMMAND',
  'GIT_SSH_VARIANT',
  'GIT_ASKPASS',
  'SSH_ASKPASS',
  'GIT_EDITOR',
  'GIT_SEQUENCE_EDITOR',
  'GIT_PROXY_COMMAND',
];

/** The environment every git process runs in. */
export function gitEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const k of DROPPED_ENV) delete out[k];
  return {
    ...out,
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_NO_LAZY_FETCH: '1',
    GIT_NO_REPLACE_OBJECTS: '1',
  };
}

// ---- every child keyguard started, ended with it --------------------------------------------------

const live = new Set<ChildProcess>();
let armed = false;

/**
 * End every git child still running. Called on exit and on a signal; an entry point may call it once
 * a command has returned, so that no child a reader forgot can keep the process alive.
 */
export function endAllGit(): void {
  for (const c of live) endChild(c);
}

/** On exit, SIGINT, SIGTERM or SIGHUP every git child is ended first (src/interrupt.ts). */
function arm(): void {
  if (armed) return;
  armed = true;
  atInterrupt(endAllGit);
}

/** End a child and its pipes: nothing of it may hold the event loop open once its reader is gone. */
function endChild(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill();
    // git ends on SIGTERM; should it not, do not wait for it
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, 1000).unref();
  }
  child.stdin?.destroy();
  child.stdout?.destroy();
  child.stderr?.destroy();
}

// ---- starting git --------------------------------------------------------------------------------

export interface GitExit {
  /** git's exit code; 128 + n when a signal ended it; -1 when it could not be started */
  code: number;
  /** what git said on stderr (the first 64 KiB) */
  stderr: string;
}

export interface GitChild {
  /** set only when input was asked for: a stdin pipe costs time in every hook run */
  stdin: Writable | undefined;
  /** git's output as bytes; kept until read, even after git has exited */
  stdout: Readable;
  /** resolves when git has exited and its pipes are closed; never rejects */
  exit: Promise<GitExit>;
  /** resolves when git exits 0; rejects with a GitError carrying git's message otherwise */
  done: Promise<void>;
  /** end git now (and its pipes); harmless once it has exited */
  end(): void;
  /** true once git has exited */
  exited(): boolean;
}

const STDERR_LIMIT = 64 * 1024;
const SIGNAL_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 };

/** The git subcommand in `args`, past global options such as `-c name=value`. */
export function subcommand(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-c' || a === '-C') i++;
    else if (!a.startsWith('-')) return a;
  }
  return '';
}

/** What git said, in one line: its `fatal:` line when there is one (it names the object), else the first line. */
export function gitComplaint(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const line = lines.find((l) => l.startsWith('fatal: ')) ?? lines[0] ?? 'git failed';
  return line.replace(/^(fatal|error): /, '').trim();
}

/**
 * git refused the repository itself (another user's, or a bare one found by walking up): a message
 * for the user with git's words and what to do, or undefined when that is not what happened.
 */
export function refusal(stderr: string): string | undefined {
  const dubious = /detected dubious ownership in repository at '([^']*)'/.exec(stderr);
  if (dubious) {
    const at = dubious[1]!;
    return (
      `git refuses this repository: ${gitComplaint(stderr)} (another user owns it; keyguard runs git only where git itself would). ` +
      `If you trust it: git config --global --add safe.directory ${at}`
    );
  }
  const bare = /cannot use bare repository '([^']*)'/.exec(stderr);
  if (bare) return `git refuses this repository: ${gitComplaint(stderr)} (a bare repository is used only when named: GIT_DIR=${bare[1]!})`;
  return undefined;
}

/** A GitError for a failed command: the refusal when git refused the repository, else git's own line. */
export function gitFailure(args: readonly string[], exit: GitExit): GitError {
  const refused = refusal(exit.stderr);
  if (refused) return new GitError(refused);
  return new GitError(`git ${subcommand(args)} failed: ${exit.stderr.trim() ? gitComplaint(exit.stderr) : `exit code ${exit.code}`}`);
}

/** Start git with the lock-down. Its output waits in the pipe until read (never thrown away). */
export function startGit(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[], opts: { input?: boolean } = {}): GitChild {
  arm();
  const stdio = [opts.input ? 'pipe' : 'ignore', 'pipe', 'pipe'] as const;
  const child = childProcess().spawn('git', [...LOCKDOWN, ...args], { cwd, env: gitEnvironment(env), stdio: [...stdio], windowsHide: true });
  live.add(child);
  // Node resumes (and so discards) a child's stdout nobody listens to when the child exits, which a
  // quick git does before its reader starts: listening marks it as taken
  child.stdout!.on('readable', () => undefined);
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += s;
  });
  // EPIPE when git exits before reading all its input, or a pipe we destroyed: the exit code tells
  child.stdin?.on('error', () => undefined);
  child.stdout!.on('error', () => undefined);
  child.stderr!.on('error', () => undefined);
  const exit = new Promise<GitExit>((resolve) => {
    child.on('error', (err) => {
      live.delete(child);
      resolve({ code: -1, stderr: `cannot run git: ${err.message}` });
    });
    child.on('exit', () => live.delete(child));
    child.on('close', (code, signal) => resolve({ code: code ?? 128 + (signal ? (SIGNAL_CODES[signal] ?? 0) : 0), stderr }));
  });
  const done = exit.then((e) => {
    if (e.code !== 0) throw e.code === -1 ? new GitError(e.stderr) : gitFailure(args, e);
  });
  // a reader that stops early ends the child; that rejection must not go unhandled
  done.catch(() => undefined);
  return {
    stdin: child.stdin ?? undefined,
    stdout: child.stdout!,
    exit,
    done,
    end: () => endChild(child),
    exited: () => child.exitCode !== null || child.signalCode !== null,
  };
}

export interface GitRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Run git to completion; never throws for a non-zero exit (callers decide what it means). With a
 * timeout, git is ended when it runs longer and the result has code -1.
 */
export async function runGit(
  cwd: string,
  env: NodeJS.ProcessEnv,
  args: readonly string[],
  input?: string | Buffer,
  opts: { timeoutMs?: number } = {},
): Promise<GitRun> {
  const child = startGit(cwd, env, args, { input: input !== undefined });
  child.stdin?.end(input);
  let timedOut = false;
  const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), child.end()), opts.timeoutMs);
  try {
    const out: Buffer[] = [];
    try {
      for await (const b of child.stdout as AsyncIterable<Buffer>) out.push(b);
    } catch {
      // the pipe was closed under us (a timeout, an interrupt): the exit says what happened
    }
    const e = await child.exit;
    if (timedOut) return { code: -1, stdout: Buffer.concat(out), stderr: `git ${subcommand(args)} took longer than ${opts.timeoutMs} ms` };
    return { code: e.code, stdout: Buffer.concat(out), stderr: e.stderr };
  } finally {
    if (timer) clearTimeout(timer);
    child.end();
  }
}

/** Run to completion and return stdout as bytes; a non-zero exit is a GitError with git's message. */
export async function gitBytes(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[], input?: Buffer | string): Promise<Buffer> {
  const r = await runGit(cwd, env, args, input);
  if (r.code === -1) throw new GitError(r.stderr);
  if (r.code !== 0) throw gitFailure(args, r);
  return r.stdout;
}

/**
 * git's output as a stream of bytes. It ends only once git has exited 0 (a failed read must never
 * look like short output); destroying it early, as a reader that has seen enough does, ends git.
 */
export function gitStream(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[]): Readable {
  const child = startGit(cwd, env, args);
  const src = child.stdout;
  let wanted = false;
  const out = new Readable({
    read() {
      wanted = true;
      drain();
    },
    destroy(err, callback) {
      child.end();
      callback(err);
    },
  });
  function drain(): void {
    while (wanted) {
      const b = src.read() as Buffer | null;
      if (b === null) return;
      wanted = out.push(b);
    }
  }
  src.on('readable', drain);
  src.on(
    'end',
    () =>
      void child.done.then(
        () => out.push(null),
        () => undefined,
      ),
  );
  child.done.catch((err: unknown) => {
    if (!out.destroyed) out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return out;
}
