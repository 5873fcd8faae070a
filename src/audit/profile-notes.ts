// What the profiles say beyond literal keys: credentials fetched at run time (good practice, noted),
// and whether history hardening is already configured (so the advice can say so).
import { readFile } from 'node:fs/promises';
import { textOfBytes } from '../sources/files/utf16-ref.js';
import { parseAssignments } from '../sources/shell-profiles/assignments.js';
import type { ShellKind } from '../discover/profiles.js';
import type { Check } from '../types.js';
import type { AuditPlace } from './places.js';
import { BLOCK_BEGIN, BLOCK_END } from '../guard/shell/profile-block.js';

const CREDENTIAL_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL/i;

/**
 * How a run-time read that `keyguard audit --fix` writes, and the run-time fetch list does not name,
 * gets the key: the private file of the file fallback, and `pass` started by its absolute path.
 */
function keyguardRead(raw: string): string | undefined {
  const file = /\b(cat|Get-Content)\b[^)]*keyguard[\\/]secrets[\\/]/i.exec(raw);
  if (file) return `with \`${file[1]!}\` from a file only you can read`;
  if (/[\\/]pass'?\s+show\b/.test(raw)) return 'with `pass`';
  return undefined;
}

export interface HardeningState {
  /** the profile that sets HISTCONTROL with ignorespace/ignoreboth */
  bashIgnoreSpace?: string;
  /** the profile that sets HIST_IGNORE_SPACE */
  zshIgnoreSpace?: string;
  /** the PowerShell profile that sets an AddToHistoryHandler */
  pwshHandler?: string;
  /** per shell, the profile holding keyguard's history guard block (`keyguard install --shell`) */
  shellGuard?: Partial<Record<'zsh' | 'bash' | 'fish' | 'pwsh', string>>;
}

export interface ProfileNotes {
  checks: Check[];
  hardening: HardeningState;
}

/** `setopt HIST_IGNORE_SPACE` in any spelling zsh accepts (case and underscores do not matter). */
function zshSetsIgnoreSpace(text: string): boolean {
  return text.split('\n').some((line) => {
    const m = /^\s*(?:setopt|set\s+-o)\s+([^#]+)/.exec(line);
    return m !== null && m[1]!.toLowerCase().replace(/_/g, '').split(/\s+/).includes('histignorespace');
  });
}

/** `text` without keyguard's shell guard block. */
function withoutGuard(text: string): string {
  const from = text.indexOf(BLOCK_BEGIN);
  const to = text.indexOf(BLOCK_END, from);
  return from === -1 || to === -1 ? text : text.slice(0, from) + text.slice(to + BLOCK_END.length);
}

export async function profileNotes(places: readonly AuditPlace[]): Promise<ProfileNotes> {
  const checks: Check[] = [];
  const hardening: HardeningState = {};
  for (const place of places) {
    if (place.format !== 'profile') continue;
    let text: string;
    try {
      text = textOfBytes(await readFile(place.path));
    } catch {
      continue; // the source reports unreadable files
    }
    const shell: ShellKind = place.shell ?? 'sh';
    for (const a of parseAssignments(text, place.path, shell)) {
      const fetch = a.runtimeFetch ? `with \`${a.runtimeFetch}\`` : a.value === null ? keyguardRead(a.raw) : undefined;
      if (fetch && CREDENTIAL_NAME.test(a.name)) {
        checks.push({
          id: 'profile-runtime-fetch',
          severity: 'info',
          message: `${a.name} is fetched at run time ${fetch}: the key is not stored in the profile (good practice)`,
          path: place.path,
          line: a.line,
          fix: [],
        });
      }
      if (a.name === 'HISTCONTROL' && a.value !== null && /ignorespace|ignoreboth/.test(a.value)) hardening.bashIgnoreSpace ??= place.path;
    }
    if (shell === 'zsh' && zshSetsIgnoreSpace(text)) hardening.zshIgnoreSpace ??= place.path;
    // keyguard's own guard sets a handler too: it is reported as the guard, not as a handler of the user's
    if (shell === 'pwsh' && /AddToHistoryHandler/i.test(withoutGuard(text))) hardening.pwshHandler ??= place.path;
    if ((shell === 'zsh' || shell === 'bash' || shell === 'fish' || shell === 'pwsh') && text.includes(BLOCK_BEGIN)) {
      (hardening.shellGuard ??= {})[shell] ??= place.path;
    }
  }
  return { checks, hardening };
}
