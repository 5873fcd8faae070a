// `keyguard install --shell [LIST]` / `keyguard uninstall --shell [LIST]`: the shell history guards.
// Without a list: install for every shell on PATH; uninstall from every profile that has the block.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Io } from '../../commands/io.js';
import { didYouMean } from '../../commands/suggest.js';
import { atLeast, versionText } from '../../codex/semver.js';
import { homeOf } from '../../discover/home.js';
import { expandSourcePath, sourcedPaths } from '../../discover/profiles.js';
import { errorMessage, UsageError } from '../../errors.js';
import { printable } from '../../report/printable.js';
import { onPath, versionOf } from './detect.js';
import { atuinSnippet, withAtuinBlock } from './atuin.js';
import { installBlock, uninstallBlock, type ProfileEdit } from './edit-profile.js';
import { SNIPPETS } from './snippets.js';
import { pwshOnPath, pwshProfiles, withPwshBlock } from './powershell.js';
import { GUARDED, KNOWN_SHELLS, NO_FILTER, profileFor, type Guarded } from './targets.js';

export const SHELL_HELP = `Usage: keyguard install --shell [zsh,bash,fish,pwsh,atuin,…]
       keyguard uninstall --shell [zsh,bash,fish,pwsh,atuin,…]

Keep OpenAI keys out of shell history: a line holding a key is not saved (zsh: a zshaddhistory hook;
bash: HISTIGNORE and a PROMPT_COMMAND scrubber for multi-line commands, bash >= 5.0; fish >= 4.0:
fish_should_add_to_history, chained with your own; PowerShell: a PSReadLine AddToHistoryHandler,
PSReadLine >= 2.0, chained with the one set before; atuin: a history_filter). The guard is a marked
block at the end of ~/.zshrc, ~/.bashrc, ~/.config/fish/config.fish or PowerShell's $PROFILE (before
the first table of atuin's config.toml); the file is backed up first, and uninstall gives back the
exact bytes it had. Without a list: every shell on PATH (install), every block (uninstall). For
nushell, IPython, psql and mysql it says what to do instead.
`;

const ALIASES: Record<string, string> = { powershell: 'pwsh', nushell: 'nu', python: 'ipython', mariadb: 'mysql' };

/** Whether `--shell` is among the arguments: the install command hands those over to this module. */
export function wantsShell(args: readonly string[]): boolean {
  return args.some((a) => a === '--shell' || a.startsWith('--shell='));
}

/** The shells named after `--shell` (undefined: none named, use what is on the machine). */
function parseShellArgs(args: readonly string[]): { names?: string[]; help: boolean } {
  let list: string | undefined;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help' || a === '-h') help = true;
    else if (a.startsWith('--shell=')) list = a.slice('--shell='.length);
    else if (a === '--shell') {
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith('-')) {
        list = next;
        i++;
      }
    } else throw new UsageError(`--shell does not combine with '${printable(a)}'`);
  }
  if (list === undefined) return { help };
  const names = list
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== '');
  if (names.length === 0) throw new UsageError('--shell= needs shell names (zsh,bash,fish,…), or no value for every shell on PATH');
  for (const n of names) {
    if (!KNOWN_SHELLS.includes(ALIASES[n] ?? n)) {
      throw new UsageError(`unknown shell '${printable(n)}'${didYouMean(n, KNOWN_SHELLS)}: keyguard knows ${KNOWN_SHELLS.join(', ')}`);
    }
  }
  return { names: [...new Set(names.map((n) => ALIASES[n] ?? n))], help };
}

function tilde(path: string, io: Io): string {
  const home = homeOf(io.env, io.platform);
  return printable(home && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path);
}

function describe(shell: string, e: ProfileEdit, io: Io): string {
  const where = tilde(e.path, io) + (e.target ? ` (a link to ${tilde(e.target, io)})` : '');
  const text: Record<ProfileEdit['action'], string> = {
    installed: `history guard installed in ${where}`,
    updated: `history guard updated in ${where}`,
    unchanged: `history guard already in ${where}; nothing changed`,
    removed: `history guard removed from ${where}`,
    deleted: `history guard removed: ${where} held only keyguard's block, which made it, so it is deleted`,
    absent: `no history guard in ${where}`,
  };
  return `keyguard: ${shell}: ${text[e.action]}${e.backup ? ` (backup: ${tilde(e.backup, io)})` : ''}\n`;
}

/** Notes for bash: the scrubber's version floor, and login shells that never read ~/.bashrc. */
async function bashNotes(io: Io, bashrc: string): Promise<string[]> {
  const notes: string[] = [];
  const bash = await onPath('bash', io.env, io.platform);
  const v = bash ? await versionOf(bash, io.env) : undefined;
  if (v && !atLeast(v, 0, 5)) {
    notes.push(
      `bash ${versionText(v)} is older than 5.0: only HISTIGNORE works there, which misses the second and later lines of a multi-line ` +
        'command (and the first line of one is saved whole). Install bash 5 (macOS: brew install bash) for the scrubber.',
    );
  }
  const home = homeOf(io.env, io.platform)!;
  for (const name of ['.bash_profile', '.bash_login', '.profile']) {
    const path = join(home, name);
    let text: string;
    try {
      text = await readFile(path, 'latin1');
    } catch {
      continue;
    }
    // a login shell reads the first of these that exists, and only that one
    const sources = sourcedPaths(text, 'bash').some((raw) => expandSourcePath(raw, { HOME: home }, home) === bashrc);
    if (!sources) notes.push(`login shells read ~/${name}, which does not source ~/.bashrc: add  [ -f ~/.bashrc ] && . ~/.bashrc  to it`);
    break;
  }
  return notes;
}

const FISH_OLD =
  'fish before 4.0 has no history content filter (fish_should_add_to_history arrived in 4.0), so nothing was installed. Until you ' +
  'upgrade: start a command that holds a key with a space (fish does not save those), or use a private session (fish --private), ' +
  'and run `keyguard audit` to find keys already saved.';

/** The shell's program on PATH (PowerShell: pwsh or powershell), or undefined. */
function programOf(shell: string, io: Io): Promise<string | undefined> {
  return shell === 'pwsh' ? pwshOnPath(io.env, io.platform) : onPath(shell, io.env, io.platform);
}

/** The files the guard of `shell` goes in (PowerShell: each PowerShell's $PROFILE), or looked for in by uninstall. */
async function profilesOf(shell: Guarded, io: Io, uninstall: boolean): Promise<string[]> {
  const paths = shell === 'pwsh' ? await pwshProfiles(io.env, io.platform, uninstall) : [profileFor(shell, io.env, io.platform)];
  const found = paths.filter((p): p is string => p !== undefined);
  if (found.length === 0) throw new UsageError(`HOME is not set: there is no profile to ${uninstall ? 'take the guard out of' : 'put the guard in'}`);
  return found;
}

const PWSH_NOTE =
  'the guard needs PSReadLine 2.0 or later (PowerShell 7 has it; Windows PowerShell 5.1: Install-Module PSReadLine); ' +
  'without it the profile still loads and sets nothing. Check with: Get-PSReadLineOption | Select AddToHistoryHandler';

interface Tally {
  /** a shell the user named could not be guarded, or an edit failed */
  failed: boolean;
}

async function installOne(shell: Guarded, named: boolean, io: Io, tally: Tally): Promise<void> {
  const paths = await profilesOf(shell, io, false);
  const program = await programOf(shell, io);
  const notes: string[] = [];
  if (shell === 'fish') {
    const v = program ? await versionOf(program, io.env) : undefined;
    if (v && !atLeast(v, 0, 4)) {
      io.stdout(`keyguard: fish: ${versionText(v)} on this machine: ${FISH_OLD}\n`);
      if (named) tally.failed = true;
      return;
    }
    if (!v) notes.push(`${program ? "fish's version could not be read" : 'fish is not on PATH'}: the guard works from fish 4.0 on`);
  }
  if (!program && shell !== 'fish') notes.push(`${shell} is not on PATH here; the guard works once ${shell} reads this file`);
  if (shell === 'pwsh') notes.push(PWSH_NOTE);
  const changed: string[] = [];
  for (const path of paths) {
    const edit =
      shell === 'atuin'
        ? await installBlock(path, atuinSnippet(), io, withAtuinBlock)
        : await installBlock(path, SNIPPETS[shell](), io, shell === 'pwsh' ? withPwshBlock : undefined);
    if (shell === 'bash') notes.push(...(await bashNotes(io, path)));
    io.stdout(describe(shell, edit, io));
    if (edit.action !== 'unchanged') changed.push(path);
  }
  for (const n of notes) io.stdout(`  note: ${printable(n)}\n`);
  for (const path of changed) {
    if (shell === 'atuin') io.stdout('  takes effect at once: atuin reads its config each time it records a command\n');
    else if (shell === 'pwsh') io.stdout(`  takes effect in new PowerShell sessions (in this one: . '${tilde(path, io)}')\n`);
    else io.stdout(`  takes effect in new ${shell} sessions (in this one: source ${tilde(path, io)})\n`);
  }
}

async function each(names: readonly string[], io: Io, run: (shell: Guarded) => Promise<void>, tally: Tally): Promise<void> {
  for (const n of names) {
    if (!(GUARDED as readonly string[]).includes(n)) continue;
    try {
      await run(n as Guarded);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      io.stderr(`keyguard: ${n}: ${printable(errorMessage(err))}\n`);
      tally.failed = true;
    }
  }
}

export async function installShellCommand(args: readonly string[], io: Io): Promise<number> {
  const { names, help } = parseShellArgs(args);
  if (help) {
    io.stdout(SHELL_HELP);
    return 0;
  }
  const named = names !== undefined;
  const shells = names ?? [];
  if (!named) for (const s of KNOWN_SHELLS) if (await programOf(s, io)) shells.push(s);
  if (shells.length === 0) {
    io.stdout(`keyguard: none of ${KNOWN_SHELLS.join(', ')} is on PATH; nothing installed (name one: keyguard install --shell zsh)\n`);
    return 0;
  }
  const tally: Tally = { failed: false };
  await each(shells, io, (s) => installOne(s, named, io, tally), tally);
  for (const s of shells) {
    const other = NO_FILTER[s];
    if (!other) continue;
    io.stdout(`keyguard: ${other.name}: ${other.advice}\n`);
    if (named) tally.failed = true;
  }
  io.stdout('Keys typed before this are still in the history files: keyguard audit finds them, keyguard audit --fix redacts them.\n');
  return tally.failed ? 2 : 0;
}

export async function uninstallShellCommand(args: readonly string[], io: Io): Promise<number> {
  const { names, help } = parseShellArgs(args);
  if (help) {
    io.stdout(SHELL_HELP);
    return 0;
  }
  const tally: Tally = { failed: false };
  let acted = 0;
  await each(
    names ?? GUARDED,
    io,
    async (shell) => {
      for (const path of await profilesOf(shell, io, true)) {
        const edit = await uninstallBlock(path, io);
        if (edit.action !== 'absent') acted++;
        if (edit.action !== 'absent' || names) io.stdout(describe(shell, edit, io));
      }
    },
    tally,
  );
  if (acted === 0 && !names && !tally.failed) io.stdout('keyguard: no shell history guard is installed; nothing changed\n');
  return tally.failed ? 2 : 0;
}
