// The event JSON an agent hands its hook on stdin, read into the few fields keyguard guards. Both
// agents use the same names (hook_event_name, prompt, tool_name, tool_input, tool_response): see
// reference/prevention.md A2.

/** The agents keyguard guards, as `keyguard hook <agent>` names them. */
export type AgentName = 'codex' | 'claude-code';

export type HookEvent =
  | { kind: 'prompt'; name: string; prompt: string }
  | { kind: 'pre-tool'; name: string; toolName: string; toolInput: unknown }
  | { kind: 'post-tool'; name: string; toolName: string; toolInput: unknown; toolResponse: unknown }
  /** an event keyguard does not guard, whose exit 2 would mean something else (Stop: "keep going") */
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

// Events of either agent that carry nothing keyguard acts on and cannot take back what happened.
const PASSED = new Set([
  'SessionStart',
  'SessionEnd',
  'Stop',
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
    if (PASSED.has(name)) return { kind: 'pass', name };
    // event names are words; anything else is not shown (it could be a key)
    throw new HookInputError(/^[A-Za-z]{1,40}$/.test(name) ? `unknown event '${name}'` : 'an unknown event');
  }
  if (kind === 'prompt') {
    if (typeof value.prompt !== 'string') throw new HookInputError(`the ${name} event has no prompt string`);
    return { kind, name, prompt: value.prompt };
  }
  const toolName = value.tool_name;
  if (typeof toolName !== 'string') throw new HookInputError(`the ${name} event has no tool_name`);
  if (!('tool_input' in value)) throw new HookInputError(`the ${name} event has no tool_input`);
  if (kind === 'pre-tool') return { kind, name, toolName, toolInput: value.tool_input };
  if (!('tool_response' in value)) throw new HookInputError(`the ${name} event has no tool_response`);
  return { kind, name, toolName, toolInput: value.tool_input, toolResponse: value.tool_response };
}
