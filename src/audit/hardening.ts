// Advice per shell whose history held a key: how to keep the next key out of it. Said once per
// tool, and says so when the setting is already there.
import type { Check, Finding } from '../types.js';
import type { AuditPlace } from './places.js';
import type { HardeningState } from './profile-notes.js';

interface Advice {
  message: string;
  fix: string[];
  done?: (h: HardeningState) => string | undefined;
}

const ADVICE: Record<string, Advice> = {
  bash: {
    message: 'bash: keep commands that start with a space out of the history',
    fix: ["add to ~/.bashrc: export HISTCONTROL=ignoreboth   # then type ' export OPENAI_API_KEY=…' with a leading space"],
    done: (h) => h.bashIgnoreSpace,
  },
  zsh: {
    message: 'zsh: keep commands that start with a space out of the history',
    fix: ['add to ~/.zshrc: setopt HIST_IGNORE_SPACE   # then start such commands with a space'],
    done: (h) => h.zshIgnoreSpace,
  },
  fish: {
    message: 'fish: use a private session when you handle secrets',
    fix: ['fish --private   # (or fish -P): nothing typed there is written to the history'],
  },
  pwsh: {
    message: 'PowerShell: PSReadLine saves `$env:OPENAI_API_KEY = …` (its secret filter looks for "apikey", not "API_KEY")',
    fix: [
      // SkipAdding for a key (case-sensitive: -cmatch), PSReadLine's own filter for the rest (a bare `return $true` would drop it)
      "add to $PROFILE: Set-PSReadLineOption -AddToHistoryHandler { param([string]$line) if ($line -cmatch 'T3BlbkFJ|sess-[A-Za-z0-9]{40}') " +
        '{ return [Microsoft.PowerShell.AddToHistoryOption]::SkipAdding } [Microsoft.PowerShell.PSConsoleReadLine]::GetDefaultAddToHistoryOption($line) }',
    ],
    done: (h) => h.pwshHandler,
  },
  atuin: {
    message: 'atuin: its secret filter has no OpenAI pattern; add one',
    fix: ['add to ~/.config/atuin/config.toml: history_filter = ["T3BlbkFJ", "OPENAI_API_KEY="]'],
  },
};

export function hardeningAdvice(findings: readonly Finding[], places: readonly AuditPlace[], state: HardeningState): Check[] {
  const toolOf = new Map(places.map((p) => [p.path, p.tool]));
  const tools = new Set<string>();
  for (const f of findings) {
    if (f.kind !== 'shell-history') continue;
    const tool = toolOf.get(f.location.path);
    if (tool) tools.add(tool === 'mcfly' ? 'shell' : tool);
  }
  const checks: Check[] = guardChecks(state);
  for (const tool of tools) {
    const a = ADVICE[tool];
    if (!a) continue;
    const where = a.done?.(state);
    checks.push(
      where
        ? {
            id: `history-hardening-${tool}`,
            severity: 'info',
            message: `${a.message}: already set in ${where}; remember to start such commands with a space`,
            path: where,
            fix: [],
          }
        : { id: `history-hardening-${tool}`, severity: 'info', message: a.message, fix: a.fix },
    );
    // the shell's history held a key and keyguard's guard is not in its profile: offer it
    const last = checks[checks.length - 1]!;
    if (isGuarded(tool) && !state.shellGuard?.[tool]) last.fix = [...last.fix, `keyguard install --shell ${tool}   # lines holding a key are never saved`];
  }
  return checks;
}

const GUARDED = ['zsh', 'bash', 'fish', 'pwsh'] as const;
type Guarded = (typeof GUARDED)[number];

function isGuarded(tool: string): tool is Guarded {
  return (GUARDED as readonly string[]).includes(tool);
}

/** `keyguard install --shell`'s block, where a profile has it. */
function guardChecks(state: HardeningState): Check[] {
  const checks: Check[] = [];
  for (const shell of GUARDED) {
    const where = state.shellGuard?.[shell];
    if (!where) continue;
    checks.push({
      id: `history-hardening-guard-${shell}`,
      severity: 'info',
      message: `${shell}: keyguard's history guard is installed: lines holding a key are not saved (keys saved before it are still found here)`,
      path: where,
      fix: [],
    });
  }
  return checks;
}
