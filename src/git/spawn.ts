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

/** Run to completion and return stdout as bytes. */
export async function gitBytes(cwd: string, env: NodeJS.ProcessEnv, args: string[], input?: Buffer | string): Promise<Buffer> {
  const p = gitSpawn(cwd, env, args, { input: input !== undefined });
  const out: Buffer[] = [];
  p.stdout.on('data', (b: Buffer) => out.push(b));
  p.stdin?.end(input);
  await p.done;
  return Buffer.concat(out);
}
