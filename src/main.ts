// Command dispatch and the one top-level catch that maps errors to exit codes.
import { ExitCode, UsageError, errorMessage, exitCodeForError } from './errors.js';
import type { Command, Io } from './commands/io.js';
import { VERSION } from './version.js';

// Lazy: the pre-commit hook pays only for what `scan --staged` loads.
const COMMANDS: Record<string, () => Promise<Command>> = {
  scan: async () => (await import('./commands/scan.js')).scanCommand,
  baseline: async () => (await import('./commands/baseline.js')).baselineCommand,
  audit: async () => (await import('./commands/audit.js')).auditCommand,
  codex: async () => (await import('./commands/codex.js')).codexCommand,
  install: async () => (await import('./commands/install.js')).installCommand,
  uninstall: async () => (await import('./commands/install.js')).uninstallCommand,
};

const HELP = `keyguard ${VERSION}: find, block and explain leaked OpenAI keys

Usage: keyguard <command> [options]

Commands:
  scan [PATH...]            scan files (default .): tracked and untracked-but-not-ignored in a git work tree
  scan --staged             scan exactly what is staged (the pre-commit hook runs this)
  scan --history [RANGE]    scan every commit reachable from any ref, or RANGE
  audit [PATH...]           this machine: shell profiles, shell/REPL histories, chat exports, agent transcripts, Codex auth
  codex                     which credential Codex CLI will really use, and what overrides your ChatGPT login
  baseline [PATH...]        write .keyguard-baseline.json from the current findings
  install / uninstall       the pre-commit hook (native git, husky, --pre-commit, --lefthook)

Common options: --format text|json|sarif  --output FILE  --show-secrets  --quiet  --no-color
Run 'keyguard <command> --help' for a command's options.

Exit codes: 0 nothing found and everything read; 1 findings; 2 usage error or something could not be read.
`;

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name === undefined ? ExitCode.error : ExitCode.clean;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${VERSION}\n`);
    return ExitCode.clean;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr(`keyguard: unknown command '${name}'. Run 'keyguard --help'.\n`);
    return ExitCode.error;
  }
  try {
    const command = await load();
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`keyguard ${name}: ${err.message}\n`);
    } else {
      io.stderr(`keyguard ${name}: ${errorMessage(err)}\n`);
      if (io.env.KEYGUARD_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    }
    return exitCodeForError();
  }
}
