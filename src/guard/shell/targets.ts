// Which shells `keyguard install --shell` knows, and the startup file each one's guard goes in.
import { isAbsolute, join } from 'node:path';
import { homeOf, xdgDir } from '../../discover/home.js';
import { atuinConfigPath } from './atuin.js';
import { defaultPwshProfile } from './powershell.js';
import type { GuardedShell } from './snippets.js';

/** Shells and REPLs with no way to filter history lines by content: what the user can do instead. */
export const NO_FILTER: Record<string, { name: string; advice: string }> = {
  nu: {
    name: 'nushell',
    advice:
      'nushell has no history content filter. Start a command that holds a key with a space ($env.config.history.ignore_space_prefixed is on ' +
      'by default), and run `keyguard audit` to find keys already saved.',
  },
  ipython: {
    name: 'IPython',
    advice:
      'IPython has no history content filter, only all or nothing: c.HistoryAccessor.enabled = False (or hist_file = ":memory:") in ' +
      'ipython_config.py. Otherwise read keys from the environment instead of pasting them, and run `keyguard audit` to find saved ones.',
  },
  psql: {
    name: 'psql',
    advice:
      'psql has no history content filter. Add `\\set HISTCONTROL ignorespace` to ~/.psqlrc and start a line that holds a key with a space; ' +
      'run `keyguard audit` to find keys already saved.',
  },
  mysql: {
    name: 'mysql',
    advice:
      "mysql's filter is a list of whole-line patterns: export MYSQL_HISTIGNORE='*T3BlbkFJ*' in your shell profile (Oracle's client; " +
      'MariaDB has none: MYSQL_HISTFILE=/dev/null turns its history off). Run `keyguard audit` to find keys already saved.',
  },
};

/** What `--shell` can install a guard for: the shells, and atuin, which records commands on its own. */
export type Guarded = GuardedShell | 'atuin';
export const GUARDED: readonly Guarded[] = ['zsh', 'bash', 'fish', 'pwsh', 'atuin'];

/** Every name `--shell` accepts (the program's name: `nu`, `pwsh`). */
export const KNOWN_SHELLS: readonly string[] = [...GUARDED, ...Object.keys(NO_FILTER)];

/**
 * The file the guard of `shell` goes in: the startup file every interactive shell of that kind reads;
 * atuin's config; PowerShell 7's default $PROFILE (powershell.ts finds every PowerShell's own).
 */
export function profileFor(shell: Guarded, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  if (shell === 'atuin') return atuinConfigPath(env, platform);
  if (shell === 'pwsh') return defaultPwshProfile('pwsh', env, platform);
  const home = homeOf(env, platform);
  if (!home) return undefined;
  switch (shell) {
    case 'zsh':
      return join(env.ZDOTDIR && isAbsolute(env.ZDOTDIR) ? env.ZDOTDIR : home, '.zshrc');
    case 'bash':
      return join(home, '.bashrc');
    case 'fish':
      // config.fish runs after conf.d/ and functions/ are in place, so a user's own
      // fish_should_add_to_history is there to be chained (one in conf.d would be replaced by it)
      return join(xdgDir(env, 'XDG_CONFIG_HOME', home), 'fish', 'config.fish');
  }
}
