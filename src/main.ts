// Command dispatch and the one top-level catch that maps errors to exit codes.
import { ExitCode, UsageError, errorMessage, exitCodeForError } from './errors.js';
import type { Command, Io } from './commands/io.js';
import { OptionError } from './commands/options.js';
import { didYouMean } from './commands/suggest.js';
import { printable } from './report/printable.js';
import { VERSION } from './version.js';

// Lazy: the pre-commit hook pays only for what `scan --staged` loads.
const COMMANDS: Record<string, () => Promise<Command>> = {
  scan: async () => (await import('./commands/scan.js')).scanCommand,
  baseline: async () => (await import('./commands/baseline.js')).baselineCommand,
  audit: async () => (await import('./commands/audit.js')).auditCommand,
  codex: async () => (await import('./commands/codex.js')).codexCommand,
  install: async () => (await import('./commands/install.js')).installCommand,
  uninstall: async () => (await import('./commands/install.js')).uninstallCommand,
  hook: async () => (await import('./commands/hook.js')).hookCommand,
};

const HELP = `keyguard ${VERSION}: find, block and explain leaked OpenAI keys

Usage: keyguard <command> [options]

Commands:
  scan [PATH...]            scan files (default .): tracked and untracked-but-not-ignored in a git work tree
                            (ignored files are counted in the summary; --no-gitignore scans them too)
  scan -                    scan stdin (--stdin-name NAME for the location): pbpaste | keyguard scan -
  scan --staged             scan exactly what is staged (the pre-commit hook runs this)
  scan --history [RANGE]    scan every commit reachable from any ref, or RANGE
  scan --pre-push | --pre-receive   what git's push hooks run: only the commits being pushed (refs on stdin)
  audit [PATH...]           this machine: shell profiles, shell/REPL histories, chat exports, agent transcripts, Codex auth
  codex                     which credential Codex CLI will really use, and what overrides your ChatGPT login
  baseline [PATH...]        write .keyguard-baseline.json from the current findings
  install / uninstall       the pre-commit hook (native git, husky, --pre-commit, --lefthook); --pre-push, --pre-receive; --codex, --claude-code
  hook codex|claude-code    what the agent guards run: event JSON on stdin, the agent's reply out

Common options: --format text|json|sarif|github  --output FILE  --show-secrets  --quiet  --no-color
Run 'keyguard help <command>' (or 'keyguard <command> --help') for a command's options;
'keyguard --version' (-v, 'keyguard version') prints the version.

Exit codes: 0 nothing found and everything read; 1 findings; 2 usage error or something could not be read.
`;

const VERSION_WORDS = new Set(['--version', '-v', '-V', 'version']);

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest[0] !== undefined) {
    // `keyguard help scan` is `keyguard scan --help`
    return main([rest[0], '--help'], io);
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name === undefined ? ExitCode.error : ExitCode.clean;
  }
  if (VERSION_WORDS.has(name)) {
    io.stdout(`${VERSION}\n`);
    return ExitCode.clean;
  }
  const load = COMMANDS[name];
  if (!load) {
    const what = name.startsWith('-') ? 'option' : 'command';
    const known = name.startsWith('-') ? ['--help', '--version'] : [...Object.keys(COMMANDS), 'help', 'version'];
    io.stderr(`keyguard: unknown ${what} '${printable(name)}'${didYouMean(name, known)}. Run 'keyguard --help'.\n`);
    return ExitCode.error;
  }
  try {
    const command = await load();
    return await command(rest, io);
  } catch (err) {
    if (err instanceof OptionError) {
      io.stderr(`keyguard ${name}: ${err.message}. Run 'keyguard help ${name}' for its options.\n`);
    } else if (err instanceof UsageError) {
      io.stderr(`keyguard ${name}: ${err.message}\n`);
    } else {
      io.stderr(`keyguard ${name}: ${errorMessage(err)}\n`);
      if (io.env.KEYGUARD_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    }
    return exitCodeForError();
  }
}
