// `keyguard audit`: the places on this machine where keys pile up (shell profiles, shell and REPL
// histories), or the files given; `--fix` redacts what it found.
import { ExitCode } from '../errors.js';
import { SECTION_TITLES, type AuditPlace, type AuditSection } from '../audit/places.js';
import { discoverPlaces, givenPlaces, runAudit } from '../audit/run.js';
import { emitAudit } from '../audit/emit.js';
import type { Io } from './io.js';
import { FIX_OPTIONS, OUTPUT_OPTIONS, fixChoice, outputOptions, parse } from './options.js';
import { newContext } from './setup.js';

export const AUDIT_HELP = `Usage: keyguard audit [PATH...] [options]

Check the places on this machine where OpenAI keys pile up: shell profiles (.bashrc, .zshrc,
config.fish, the PowerShell profile, ~/.env, .envrc files and the files they source), shell
histories (bash, zsh, fish, PowerShell, nushell, atuin, McFly) and REPL histories (python, IPython,
node, psql, mysql, sqlite3, irb, less). HOME, the XDG variables, HISTFILE, ZDOTDIR, PYTHON_HISTORY,
NODE_REPL_HISTORY, PSQL_HISTORY, MYSQL_HISTFILE, SQLITE_HISTORY, LESSHISTFILE and IPYTHONDIR are
honoured. With PATH, audit those files instead, each read as the format its name or content says.

Options:
  --fix                  redact found keys in place in text histories (with a backup in keyguard's
                         data directory); for history databases, print the command that deletes
                         the entries; in profiles, move the key to your secret store (secret-tool,
                         keychain, pass, 1Password) or a file only you can read, and make the line
                         read it from there when the shell starts
  --remove               with --fix: delete a profile's line that sets a key instead
  --dry-run              with --fix: show what would change (the exact lines), change nothing
  --no-backup            with --fix: keep no backup (the backup holds the key)
  --format text|json|sarif|github   output format (default text; github: workflow annotations)
  -o, --output FILE      write the report to FILE
  --show-secrets         print full keys
  -q, --quiet            print nothing when nothing is found
  --no-color             no colours even on a terminal

Exit codes: 0 nothing found and everything read; 1 findings; 2 usage error or something unreadable.
`;

const OPTIONS = {
  ...OUTPUT_OPTIONS,
  ...FIX_OPTIONS,
} as const;

const AFTER_FIX = `keyguard: running shells and REPLs keep their history in memory and write it back when they exit, which brings the key back. In every open one:
  bash:        history -c   (then close it)
  zsh:         fc -p        (starts an empty history for that shell), or close it
  fish:        history delete --contains sk-   (then enter the numbers of the entries holding a key; sess- for a session key)
  PowerShell:  [Microsoft.PowerShell.PSConsoleReadLine]::ClearHistory()
  REPLs (python, node, psql, mysql, irb): quit them without saving, or close them before running --fix again
`;

export async function auditCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS);
  if (values.help) {
    io.stdout(AUDIT_HELP);
    return ExitCode.clean;
  }
  const out = outputOptions(values, io.env, io.stdoutIsTTY);
  const fix = fixChoice(values);
  const ctx = await newContext(io);

  const places: AuditPlace[] = positionals.length > 0 ? await givenPlaces(positionals, io.cwd) : await discoverPlaces(io.env, io.platform, ctx);
  if (positionals.length === 0) {
    // chat exports and agent transcripts in their usual places, read by name and content like `scan`
    const { discoverChatPlaces } = await import('../discover/chats.js');
    places.push(...(await discoverChatPlaces(io, (path, message) => ctx.error(path, message))));
  }

  const { findings, sections } = await runAudit(places, ctx, { env: io.env, cwd: io.cwd, platform: io.platform });
  const extra: AuditSection[] = [];
  let codexJson: unknown;
  if (positionals.length === 0) {
    // The Codex check runs with the audit: which credential Codex will use, and what endangers the login.
    const { codexSection } = await import('../codex/section.js');
    const codex = await codexSection(io, out.format === 'github' ? 'sarif' : out.format);
    extra.push({
      id: 'codex',
      title: SECTION_TITLES.codex,
      findings: [],
      checks: codex.checks,
      places: [],
      ...(out.format === 'text' ? { text: codex.text } : {}),
    });
    codexJson = codex.json;
    if (codex.status === 2) ctx.error('codex', 'the Codex check could not read what it needed; run `keyguard codex` for details');
  }
  for (const s of extra) {
    const slot = sections.find((x) => x.id === s.id);
    if (slot) {
      slot.findings.push(...s.findings);
      slot.checks.push(...s.checks);
      slot.places.push(...s.places);
      if (s.text !== undefined) slot.text = s.text;
    } else sections.push(s);
    findings.push(...s.findings);
  }

  if (fix) {
    const { fixFindings } = await import('../fix/dispatch.js');
    // a text dry run's plan is the report: on stdout, where the report would be
    const planIo = fix.dryRun && out.format === 'text' && out.output === undefined ? { ...io, stderr: io.stdout } : io;
    await fixFindings(findings, { io: planIo, ...fix, ctx });
    if (!fix.dryRun && findings.some((f) => (f.kind === 'shell-history' || f.kind === 'repl-history') && f.location.details?.table === undefined))
      io.stderr(AFTER_FIX);
  }
  const fixed = fix === undefined ? undefined : fix.dryRun ? 'dry-run' : 'done';
  return emitAudit(io, ctx, sections, out, codexJson === undefined ? undefined : { codex: codexJson }, fixed);
}
