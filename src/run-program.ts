// Running one of the fixed programs keyguard asks things of (a shell's --version, PowerShell's
// $PROFILE, a secret store, sqlite3): never a program named by scanned data. Input goes on stdin, the
// output is collected up to a bound, a program that does not answer in time is killed, and nothing
// here throws: the caller reads the result.
import { childProcess } from './builtin.js';

export interface Ran {
  /** the exit code; null when a signal ended it, it never started, or it took too long */
  code: number | null;
  stdout: string;
  stderr: string;
  /** the spawn error's code: ENOENT when the program is not there */
  errorCode?: string;
  /** killed for taking longer than the time limit */
  timedOut: boolean;
}

export interface RunOptions {
  /** written to stdin, which is then closed */
  input?: string;
  timeoutMs: number;
  /** characters kept of stdout and of stderr each */
  maxOutput?: number;
  /** through a shell: npm's `.cmd` shims on Windows start no other way */
  shell?: boolean;
}

export function runProgram(program: string, args: readonly string[], env: NodeJS.ProcessEnv, opts: RunOptions): Promise<Ran> {
  const max = opts.maxOutput ?? 256 * 1024;
  return new Promise((done) => {
    let stdout = '';
    let stderr = '';
    let finished = false;
    const finish = (code: number | null, end: { errorCode?: string; timedOut?: boolean } = {}): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      done({ code, stdout, stderr, ...(end.errorCode ? { errorCode: end.errorCode } : {}), timedOut: end.timedOut === true });
    };
    const child = childProcess().spawn(program, args, { env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, shell: opts.shell === true });
    // a keyring waiting for an unlock dialog nobody answers, a cold .NET start: never a hang. The answer
    // comes at once: a wrapper script's own children may keep the pipes open long after.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
      finish(null, { timedOut: true });
    }, opts.timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < max) stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < max) stderr += d.toString('utf8');
    });
    child.stdin.on('error', () => undefined); // a program that does not read stdin closes it early
    child.on('error', (err: NodeJS.ErrnoException) => finish(null, { errorCode: err.code ?? err.message }));
    child.on('close', (code) => finish(code));
    child.stdin.end(opts.input ?? '');
  });
}
