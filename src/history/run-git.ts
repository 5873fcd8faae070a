// Short git queries that need raw bytes, stdin or exit codes (simple-git gives neither stdin nor bytes).
import { spawn } from 'node:child_process';

export interface GitRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Environment for git children: the caller's (GIT_DIR and friends must pass), messages in English. */
export function gitEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
}

/** Run git to completion; never throws for a non-zero exit (callers decide what it means). */
export function runGit(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[], input?: string | Buffer): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: gitEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    // EPIPE when git exits before reading all of stdin is not an error worth more than the exit code
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** What git said, in one line: its `fatal:` line when there is one (it names the object), else the first line. */
export function gitComplaint(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const line = lines.find((l) => l.startsWith('fatal: ')) ?? lines[0] ?? 'git failed';
  return line.replace(/^(fatal|error): /, '').trim();
}
