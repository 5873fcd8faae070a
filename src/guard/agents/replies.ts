// Each agent's reply, with only the fields its schema allows (an unknown field makes Codex treat the
// hook as failed and go on: reference/prevention.md A2 [EXP-CX t4]). Blocking replies exit 0 with
// JSON on stdout; only a failure exits 2, with the reason on stderr, which both agents take as "block".

import type { AgentName } from './events.js';

export interface HookReply {
  stdout: string;
  stderr: string;
  code: 0 | 2;
}

export const ALLOW: HookReply = { stdout: '', stderr: '', code: 0 };

function json(value: unknown): HookReply {
  return { stdout: `${JSON.stringify(value)}\n`, stderr: '', code: 0 };
}

/** The prompt is not sent; Claude Code also leaves it out of its block message. */
export function blockPrompt(agent: AgentName, reason: string): HookReply {
  if (agent === 'codex') return json({ decision: 'block', reason });
  return json({ decision: 'block', reason, hookSpecificOutput: { hookEventName: 'UserPromptSubmit', suppressOriginalPrompt: true } });
}

/** The tool call does not run; the reason goes to the model. */
export function denyTool(reason: string): HookReply {
  return json({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } });
}

/**
 * The tool's output does not reach the model. Codex: `decision: block` replaces the result with the
 * reason. Claude Code: `updatedToolOutput` replaces what Claude sees (with the tool's own shape: a
 * string for a Bash result is rejected) and `systemMessage` tells the user.
 */
export function withholdOutput(agent: AgentName, reason: string, replacement: unknown): HookReply {
  if (agent === 'codex') return json({ decision: 'block', reason });
  return json({ systemMessage: reason, hookSpecificOutput: { hookEventName: 'PostToolUse', updatedToolOutput: replacement } });
}

/** Unreadable input, an unknown event, a bug: exit 2 blocks in both agents; exit 1 would let it through. */
export function failClosed(reason: string): HookReply {
  return { stdout: '', stderr: `${reason}\n`, code: 2 };
}
