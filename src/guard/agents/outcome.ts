import type { AgentName } from './events.js';

/** What installing or removing an agent guard did to one config file. */
export interface AgentOutcome {
  agent: AgentName;
  path: string;
  action: 'installed' | 'updated' | 'unchanged' | 'removed' | 'absent';
  /** where the old bytes were saved, when the file changed */
  backup?: string;
  notes: string[];
}

/** The command every installed hook runs: constant, so an upgrade does not change Codex's trust hash. */
export const HOOK_COMMAND: Record<AgentName, string> = { codex: 'keyguard hook codex', 'claude-code': 'keyguard hook claude-code' };

/** Seconds an agent waits for the hook (Claude Code's default is 30; Codex's 600 would stall a turn on a hang). */
export const HOOK_TIMEOUT = 30;
