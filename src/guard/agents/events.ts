// The event JSON an agent hands its hook on stdin, read into the few fields keyguard guards. Both
// agents use the same names (hook_event_name, prompt, tool_name, tool_input, tool_response): see
// reference/prevention.md A2.
import { isAbsolute } from 'node:path';

/** The agents keyguard guards, as `keyguard hook <agent>` names them. */
export type AgentName = 'codex' | 'claude-code';

/** Which session an event belongs to, and where the agent keeps its transcript (both may be missing). */
export interface SessionRef {
  id?: string;
  /** absolute path of the session's JSON Lines transcript (Claude Code) or rollout (Codex) */
  transcriptPath?: string;
}

export type HookEvent =
  | { kind: 'prompt'; name: string; session: SessionRef; prompt: string }
  | { kind: 'pre-tool'; name: string; session: SessionRef; toolName: string; toolInput: unknown }
  | { kind: 'post-tool'; name: string; session: SessionRef; toolName: string; toolInput: unknown; toolResponse: unknown }
  /** the end of a turn or of the session: local copies of what keyguard blocked in it are redacted */
  | { kind: 'cleanup'; name: string; session: SessionRef }
  /** an event keyguard does not guard, whose exit 2 would mean something else (SubagentStop: "keep going") */
  | { kind: 'pass'; name: string };

/** Input the hook cannot trust: it blocks (exit 2). The message never quotes the input, which may hold a key. */
export class HookInputError extends Error {
  override name = 'HookInputError';
}

const GUARDED: Record<string, 'prompt' | 'pre-tool' | 'post-tool'> = {
  UserPromptSubmit: 'prompt',
  PreToolUse: 'pre-tool',
  PostToolUse: 'post-tool',
};

// Both agents send these after the agent has written a turn (Stop) or the whole session (SessionEnd)
// to disk: reference/prevention.md A3, and measured with Codex 0.171.0 and Claude Code 2.1.332.
const CLEANUP = new Set(['Stop', 'SessionEnd']);

// Events of either agent that carry nothing keyguard acts on and cannot take back what happened.
const PASSED = new Set([
  'SessionStart',
  'StopFailure',
  'SubagentStart',
  'SubagentStop',
  'Notification',
  'PreCompact',
  'PostCompact',
  'PermissionRequest',
  'PostToolUseFailure',
  'Setup',
  'InstructionsLoaded',
]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The session fields, kept only when they have the shape the agents send (an id of printable characters, an absolute path). */
function sessionOf(value: Record<string, unknown>): SessionRef {
  const ref: SessionRef = {};
  const id = value.session_id;
  if (typeof id === 'string' && /^[\x21-\x7e]{1,200}$/.test(id)) ref.id = id;
  const path = value.transcript_path;
  if (typeof path === 'string' && isAbsolute(path) && !path.includes('\0')) ref.transcriptPath = path;
  return ref;
}

export function parseEvent(input: Buffer | undefined): HookEvent {
  if (input === undefined) throw new HookInputError('no event on stdin (it is a terminal)');
  if (input.length === 0) throw new HookInputError('no event on stdin (it is empty)');
  let value: unknown;
  try {
    value = JSON.parse(input.toString('utf8'));
  } catch {
    // JSON.parse's own message quotes the input around the error, and the input may hold a key
    throw new HookInputError('the event on stdin is not valid JSON');
  }
  if (!isRecord(value)) throw new HookInputError('the event on stdin is not a JSON object');
  const name = value.hook_event_name;
  if (typeof name !== 'string' || name === '') throw new HookInputError('the event has no hook_event_name');
  const kind = GUARDED[name];
  if (kind === undefined) {
    if (CLEANUP.has(name)) return { kind: 'cleanup', name, session: sessionOf(value) };
    if (PASSED.has(name)) return { kind: 'pass', name };
    // event names are words; anything else is not shown (it could be a key)
    throw new HookInputError(/^[A-Za-z]{1,40}$/.test(name) ? `unknown event '${name}'` : 'an unknown event');
  }
  if (kind === 'prompt') {
    if (typeof value.prompt !== 'string') throw new HookInputError(`the ${name} event has no prompt string`);
    return { kind, name, session: sessionOf(value), prompt: value.prompt };
  }
  const toolName = value.tool_name;
  if (typeof toolName !== 'string') throw new HookInputError(`the ${name} event has no tool_name`);
  if (!('tool_input' in value)) throw new HookInputError(`the ${name} event has no tool_input`);
  const session = sessionOf(value);
  if (kind === 'pre-tool') return { kind, name, session, toolName, toolInput: value.tool_input };
  if (!('tool_response' in value)) throw new HookInputError(`the ${name} event has no tool_response`);
  return { kind, name, session, toolName, toolInput: value.tool_input, toolResponse: value.tool_response };
}
