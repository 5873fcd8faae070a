// Exact commands and edits that take a variable or a setting away, for the shell it lives in.
import type { Assignment, SourceRef } from './facts.js';
import { at, redactedLine, tildify } from './display.js';
import type { SeenVar } from './env-value.js';

function unsetFor(shell: string | undefined, name: string): string {
  if (shell === 'fish') return `set -e ${name}`;
  if (shell === 'pwsh') return `Remove-Item Env:${name}`;
  return `unset ${name}`;
}

export function deleteLine(a: Assignment, homeDir: string | undefined): string {
  return `delete line ${a.line} of ${tildify(a.path, homeDir)}: ${redactedLine(a)}`;
}

/** Where a variable's value comes from, as a phrase: "set in ~/.zshrc line 12". */
export function varWhere(v: SeenVar, homeDir: string | undefined): string {
  const w = v.where;
  switch (v.origin) {
    case 'dotenv':
      return `set in ${w ? at(w, homeDir) : '$CODEX_HOME/.env'} (Codex loads that file into every run and it overrides your shell)`;
    case 'project-dotenv':
      return `set in ${w ? at(w, homeDir) : './.env'} (loaded by Codex builds up to 0.29)`;
    case 'shell':
      return w ? `set in ${at(w, homeDir)}` : `in this shell's environment (no profile sets it: an IDE, launchd, CI or a manual export)`;
    case 'profile':
      if (w?.shell === 'direnv') return `set by direnv in ${at(w, homeDir)} (Codex runs started in that directory get it)`;
      return `exported by ${w ? at(w, homeDir) : 'a shell profile'} (new terminals get it)`;
  }
}

/** The variable and where it comes from: "CODEX_API_KEY, set in ~/.zshrc line 12". */
export function varSource(v: SeenVar, homeDir: string | undefined): string {
  return `${v.name}, ${varWhere(v, homeDir)}`;
}

/** Commands and line deletions that remove the variable from what Codex sees. */
export function removeVar(v: SeenVar, homeDir: string | undefined): string[] {
  const fix: string[] = [];
  const fromFile = v.origin === 'dotenv' || v.origin === 'project-dotenv';
  if (fromFile && v.where) fix.push(deleteLine(v.where, homeDir));
  if (!fromFile || v.profiles.length > 0) fix.push(unsetFor(v.profiles[v.profiles.length - 1]?.shell, v.name));
  if (v.origin === 'shell' && v.profiles.length === 0) {
    fix.push(`find where ${v.name} is set outside your profiles (IDE or terminal settings, \`launchctl getenv ${v.name}\`, CI variables) and remove it there`);
  }
  for (const a of v.profiles) fix.push(deleteLine(a, homeDir));
  return fix;
}

/** Where a variable sits, for Check.path/line. */
export function refOf(v: SeenVar): SourceRef | undefined {
  return v.where ? { path: v.where.path, line: v.where.line } : undefined;
}

export function editConfig(ref: SourceRef, what: string, homeDir: string | undefined): string {
  return `${ref.line ? `edit line ${ref.line} of` : 'edit'} ${tildify(ref.path, homeDir)}: ${what}`;
}
