// The CLI in-process: main(argv, io) with captured output, for tests where a child process adds
// nothing (no signals, no uid switch, no terminal, no hook run by git). Same result shape as runCli.
import { main } from '../../src/main.js';
import type { Io } from '../../src/commands/io.js';
import { gitEnv, type CliResult } from './tmp.js';

export async function runMain(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    cwd: opts.cwd,
    env: opts.env ?? gitEnv({ HOME: opts.cwd, OPENAI_API_KEY: '', CODEX_API_KEY: '' }),
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    platform: process.platform,
    readStdin: async () => Buffer.from(opts.input ?? ''),
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
