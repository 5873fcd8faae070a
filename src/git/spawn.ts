// git as a child process whose output is streamed, for what simple-git would buffer whole and
// decode as UTF-8 (patches and blobs are bytes). The caller's environment goes through unchanged.
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { GitError } from '../errors.js';

export interface GitProcess {
  /** set only when input was asked for: a stdin pipe costs time in every hook run */
  stdin: Writable | undefined;
  stdout: Readable;
  kill(): void;
  /** true once git has exited */
  exited(): boolean;
  /** resolves when git exits 0; rejects with git's message otherwise */
  done: Promise<void>;
}

/** The git subcommand in `args`, past global options such as `-c name=value`. */
function subcommand(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-c' || a === '-C') i++;
    else if (!a.startsWith('-')) return a;
  }
  return '';
}

export function gitSpawn(cwd: string, env: NodeJS.ProcessEnv, args: string[], opts: { input?: boolean } = {}): GitProcess {
  const child = spawn('git', args, { cwd, env, stdio: [opts.input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr!.on('data', (b: Buffer) => stderr.push(b));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(new GitError(`cannot run git: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const why = Buffer.concat(stderr).toString('utf8').trim().replace(/^fatal: /, '');
      reject(new GitError(`git ${subcommand(args)} failed${signal ? ` (${signal})` : ''}: ${why || `exit code ${String(code)}`}`));
    });
  });
  // a caller that stops reading early kills the child; its rejection must not go unhandled
  done.catch(() => undefined);
  if (child.stdin) child.stdin.on('error', () => undefined);
  return {
    stdin: child.stdin ?? undefined,
    stdout: child.stdout!,
    kill: () => void child.kill(),
    exited: () => child.exitCode !== null || child.signalCode !== null,
    done,
  };
}

export interface GitRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Environment for short git queries: the caller's (GIT_DIR and friends must pass), messages in English, no prompts, no optional locks. */
export function gitQueryEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
}

/** Run git to completion; never throws for a non-zero exit (callers decide what it means). */
export function runGit(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[], input?: string | Buffer): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    // a stdin pipe only when there is input: it costs time in every hook run
    const child = spawn('git', args, { cwd, env: gitQueryEnv(env), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    if (child.stdin) {
      // EPIPE when git exits before reading all of stdin is not an error worth more than the exit code
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
  });
}

/** What git said, in one line: its `fatal:` line when there is one (it names the object), else the first line. */
export function gitComplaint(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const line = lines.find((l) => l.startsWith('fatal: ')) ?? lines[0] ?? 'git failed';
  return line.replace(/^(fatal|error): /, '').trim();
}

/** Run to completion and return stdout as bytes; a non-zero exit is a GitError with git's message. */
export async function gitBytes(cwd: string, env: NodeJS.ProcessEnv, args: string[], input?: Buffer | string): Promise<Buffer> {
  let r: GitRun;
  try {
    r = await runGit(cwd, env, args, input);
  } catch (err) {
    throw new GitError(`cannot run git: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (r.code !== 0) throw new GitError(`git ${subcommand(args)} failed: ${gitComplaint(r.stderr) || `exit code ${r.code}`}`);
  return r.stdout;
}
