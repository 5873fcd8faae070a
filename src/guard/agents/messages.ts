// What the agent shows (the user, and for tool events the model): which key, by its redacted form and
// fingerprint only, where it was, and what to do instead. Never the key: these strings are written to
// transcripts, rollouts and the agents' temp files.
import type { OwnKeyIndex } from '../../engine/own-keys.js';
import { printable } from '../../report/printable.js';
import type { AgentName } from './events.js';
import { withheld, type KeyHit } from './keys-in.js';

const AGENT: Record<AgentName, string> = { codex: 'Codex', 'claude-code': 'Claude Code' };
const SHOWN_KEYS = 3;
const SHOWN_COMMAND = 160;

function oneKey(h: KeyHit, withWhere: boolean): string {
  const mine = h.ownKey ? `; ${h.ownKey}` : '';
  const where = withWhere ? ` in ${h.where}` : '';
  return `${h.redacted} (fingerprint ${h.fingerprint}${mine})${where}`;
}

function keyList(hits: readonly KeyHit[], withWhere: boolean): string {
  const shown = hits.slice(0, SHOWN_KEYS).map((h) => oneKey(h, withWhere));
  const more = hits.length > SHOWN_KEYS ? ` and ${hits.length - SHOWN_KEYS} more` : '';
  const noun = hits.length === 1 ? 'an OpenAI API key' : `${hits.length} OpenAI API keys`;
  return `${noun}: ${shown.join(', ')}${more}`;
}

const KEEP_OUT =
  'Keep keys out of the chat: put the key in the environment (export OPENAI_API_KEY in your shell profile, or a secrets manager) ' +
  'and refer to the variable by name.';

export function promptReason(agent: AgentName, hits: readonly KeyHit[]): string {
  return (
    `keyguard: this prompt holds ${keyList(hits, false)}. It was not sent to ${AGENT[agent]}. ` +
    `Remove the key and send the prompt again. ${KEEP_OUT} ` +
    "keyguard redacts the key from the agent's own copy of this prompt (its transcript or history) at the end of the turn or session."
  );
}

export function preToolReason(toolName: string, hits: readonly KeyHit[]): string {
  return (
    `keyguard: denied: this ${printable(toolName).slice(0, 80)} call would put ${keyList(hits, true)}. ` +
    'Do not write keys into commands, files, patches or tool arguments: read the key from the environment at run time ' +
    '(for example "$OPENAI_API_KEY" in a shell, process.env.OPENAI_API_KEY or os.environ["OPENAI_API_KEY"] in code).'
  );
}

/** "the command `cat .env`", "the file /app/.env", "the MCP tool mcp__db__query": keys in it withheld too. */
export function sourceOf(toolName: string, toolInput: unknown, ownKeys: OwnKeyIndex | undefined): string {
  const input = typeof toolInput === 'object' && toolInput !== null ? (toolInput as Record<string, unknown>) : {};
  const safe = (s: string): string => {
    const clean = printable(withheld(s, ownKeys));
    return clean.length > SHOWN_COMMAND ? `${clean.slice(0, SHOWN_COMMAND)}…` : clean;
  };
  const tool = printable(toolName).slice(0, 80);
  const command = input.command ?? input.cmd;
  if (typeof command === 'string' && (toolName === 'Bash' || toolName === 'PowerShell' || toolName === 'exec_command' || toolName === 'shell')) {
    return `the command \`${safe(command)}\``;
  }
  if (Array.isArray(command) && command.every((c) => typeof c === 'string')) return `the command \`${safe(command.join(' '))}\``;
  for (const field of ['file_path', 'notebook_path', 'path', 'filePath', 'url']) {
    const v = input[field];
    if (typeof v === 'string' && v !== '') return `${field === 'url' ? 'the page' : 'the file'} ${safe(v)} (${tool})`;
  }
  if (toolName.startsWith('mcp__')) return `the MCP tool ${tool}`;
  return `the ${tool} tool`;
}

export function postToolReason(agent: AgentName, source: string, hits: readonly KeyHit[]): string {
  return (
    `keyguard: the output of ${source} holds ${keyList(hits, false)}; keyguard withheld that output from ${AGENT[agent]}'s model. ` +
    'Do not print keys: check that a variable is set without showing it (test -n "$OPENAI_API_KEY"), ' +
    'and keep keys in the environment or a secrets manager rather than in files the agent reads. ' +
    `If ${source} should not hold a key at all, move the key out of it and rotate it.`
  );
}

export function failedReason(agent: AgentName, why: string): string {
  return (
    `keyguard hook ${agent}: ${why}; blocked to be safe (exit 2), because the agent would go on without a check if keyguard failed quietly. ` +
    `If this repeats, run 'keyguard hook ${agent} < event.json' to see why, or remove the hook with 'keyguard uninstall --${agent}'.`
  );
}
