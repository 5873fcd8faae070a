// The program: builds the Io from `process` (the only place that touches it) and runs main.
import { ExitCode, errorMessage } from './errors.js';
import type { Io } from './commands/io.js';
import { endAllGit } from './git/process.js';
import { main } from './main.js';

const io: Io = {
  cwd: process.cwd(),
  env: process.env,
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  platform: process.platform,
  readStdin: async () => {
    if (process.stdin.isTTY) return undefined;
    const parts: Buffer[] = [];
    for await (const b of process.stdin as AsyncIterable<Buffer>) parts.push(b);
    return Buffer.concat(parts);
  },
};

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
    // a backstop: a git child some reader forgot to end must not keep `git commit` waiting
    endAllGit();
  },
  (err: unknown) => {
    process.stderr.write(`keyguard: ${errorMessage(err)}\n`);
    process.exitCode = ExitCode.error;
  },
);
