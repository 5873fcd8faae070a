// Running one of the fixed programs keyguard asks things of (a shell's --version, PowerShell's
// $PROFILE, a secret store, sqlite3): never a program named by scanned data. Input goes on stdin, the
// output is collected up to a bound, a program that does not answer in time is killed, and nothing
// here throws: the caller reads the result.
import { spawn } from 'node:child_process';

export interface Ran {
  /** the exit code; null when a signal ended it or it never started */
  code: number | null;
  stdout: string;
  stderr: string;
  /** the spawn error's code (ENOENT …), or a sentence when it was killed for taking too long */
  failure?: string;
}

export interface RunOptions {
  /** written to stdin, which is then closed */
  input?: string;
  timeoutMs: number;
  /** characters kept of stdout and of stderr each */
  maxOutput?: number;
}

export function runProgram(program: string, args: readonly string[], env: NodeJS.ProcessEnv, opts: RunOptions): Promise<Ran> {
  const max = opts.maxOutput ?? 256 * 1024;
  return new Promise((done) => {
    let stdout = '';
    let stderr = '';
    let finished = false;
    const finish = (code: number | null, failure?: string): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      done({ code, stdout, stderr, ...(failure ? { failure } : {}) });
    };
    const child = spawn(program, args, { env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    // a keyring waiting for an unlock dialog nobody answers, a cold .NET start: never a hang
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(null, `no answer within ${opts.timeoutMs / 1000}s`);
    }, opts.timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < max) stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < max) stderr += d.toString('utf8');
    });
    child.stdin.on('error', () => undefined); // a program that does not read stdin closes it early
    child.on('error', (err: NodeJS.ErrnoException) => finish(null, err.code ?? err.message));
    child.on('close', (code) => finish(code));
    child.stdin.end(opts.input ?? '');
  });
}
