// `keyguard install --codex | --claude-code [--project]` and their uninstall: the agent guards.
import { UsageError } from '../errors.js';
import type { AgentName } from '../guard/agents/events.js';
import type { AgentOutcome } from '../guard/agents/outcome.js';
import { printable } from '../report/printable.js';
import type { Io } from './io.js';
import { parse } from './options.js';

export const AGENT_INSTALL_HELP = `Usage: keyguard install --codex | --claude-code [--project] [--codex-history none|save-all]
       keyguard uninstall --codex | --claude-code [--project]

Guard a coding agent: its hooks run 'keyguard hook <agent>' on every prompt (a prompt holding an
OpenAI key is not sent), before every tool call (a key in any argument denies the call) and after
every tool call (output holding a key is kept from the model). At the end of each turn and session
(and at the next prompt) the key is redacted from the agent's own copies of what was blocked: its
transcript, and Codex's history.jsonl.

  --codex        Codex CLI: keyguard's [[hooks.…]] tables in $CODEX_HOME/config.toml (~/.codex), as a
                 marked block; comments and other tables are kept
  --claude-code  Claude Code: keyguard's entries in ~/.claude/settings.json (CLAUDE_CONFIG_DIR), merged
  --project      the repository's .codex/config.toml or .claude/settings.json instead of your own
  --codex-history none
                 also set [history] persistence = "none" in config.toml: Codex then writes no
                 history.jsonl of typed prompts (a blocked one included); the trade-off is no recall
                 of earlier prompts (up arrow, Ctrl-R). save-all sets it back

Running it again changes nothing; the old file is backed up first; a file keyguard cannot parse is
left alone. Codex runs a new hook only once you trust it: /hooks in codex (codex exec skips an
untrusted hook without a word).
`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  codex: { type: 'boolean' },
  'claude-code': { type: 'boolean' },
  project: { type: 'boolean' },
  'codex-history': { type: 'string' },
} as const;

/** Is this install/uninstall about an agent guard? (Checked before the git-hook options are parsed.) */
export function wantsAgentGuard(args: readonly string[]): boolean {
  return args.includes('--codex') || args.includes('--claude-code');
}

function agentsOf(values: { codex?: boolean; 'claude-code'?: boolean }): AgentName[] {
  return [...(values.codex ? (['codex'] as const) : []), ...(values['claude-code'] ? (['claude-code'] as const) : [])];
}

function isHistoryValue(v: string): v is 'none' | 'save-all' {
  return v === 'none' || v === 'save-all';
}

const NAME: Record<AgentName, string> = { codex: 'Codex', 'claude-code': 'Claude Code' };

function report(io: Io, o: AgentOutcome): void {
  const path = printable(o.path);
  const line: Record<AgentOutcome['action'], string> = {
    installed: `installed the ${NAME[o.agent]} guard: ${path}`,
    updated: `added the ${NAME[o.agent]} guard to ${path}`,
    unchanged: `the ${NAME[o.agent]} guard is already in ${path}; nothing changed`,
    removed: `removed the ${NAME[o.agent]} guard from ${path}`,
    absent: `the ${NAME[o.agent]} guard is not in ${path}; nothing changed`,
  };
  io.stdout(`keyguard: ${line[o.action]}\n`);
  if (o.backup) io.stdout(`  backup of the old file: ${printable(o.backup)}\n`);
  for (const n of o.notes) io.stdout(`  note: ${printable(n)}\n`);
}

async function run(args: string[], io: Io, remove: boolean): Promise<number> {
  const { values } = parse(args, OPTIONS, false);
  if (values.help) {
    io.stdout(AGENT_INSTALL_HELP);
    return 0;
  }
  const agents = agentsOf(values);
  if (agents.length === 0) throw new UsageError('name the agent: --codex or --claude-code');
  const history = values['codex-history'];
  if (history !== undefined) {
    if (remove || !values.codex) throw new UsageError('--codex-history goes with install --codex');
    if (!isHistoryValue(history)) throw new UsageError(`--codex-history takes none or save-all, not '${printable(history).slice(0, 40)}'`);
  }
  const { installAgent, uninstallAgent } = await import('../guard/agents/install.js');
  const target = { cwd: io.cwd, env: io.env, platform: io.platform, project: values.project === true, ...(history ? { codexHistory: history } : {}) };
  for (const agent of agents) report(io, await (remove ? uninstallAgent : installAgent)(agent, target));
  return 0;
}

export function installAgentsCommand(args: string[], io: Io): Promise<number> {
  return run(args, io, false);
}

export function uninstallAgentsCommand(args: string[], io: Io): Promise<number> {
  return run(args, io, true);
}
