// The program: builds the Io from `process` (the only place that touches it) and runs main.
import { ExitCode, errorMessage } from './errors.js';
import type { Io } from './commands/io.js';
import { endAllGit } from './git/process.js';
import { main } from './main.js';

// A reader that goes away early (`keyguard scan | head`) closes the pipe, and the rest of the report
// has nowhere to go: it is dropped, and the run still ends with its own exit code, not Node's EPIPE
// trace. Any other failure to write the report (a full disk) is said, and the run exits 2.
let stdoutGone = false;
let stdoutFailed = false;
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  stdoutGone = true;
  if (err.code === 'EPIPE') return;
  stdoutFailed = true;
  process.stderr.write(`keyguard: cannot write the report: ${errorMessage(err)}\n`);
  process.exitCode = ExitCode.error;
});

const io: Io = {
  cwd: process.cwd(),
  env: process.env,
  stdout: (s) => void (stdoutGone || process.stdout.write(s)),
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
    process.exitCode = stdoutFailed ? ExitCode.error : code;
    // a backstop: a git child some reader forgot to end must not keep `git commit` waiting
    endAllGit();
  },
  (err: unknown) => {
    process.stderr.write(`keyguard: ${errorMessage(err)}\n`);
    process.exitCode = ExitCode.error;
  },
);
