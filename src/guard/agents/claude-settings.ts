// keyguard's entries in a Claude Code settings.json, merged with what is there: other hooks, other
// settings and the file's indentation are kept; keyguard's own entries are found by their command.
// Pure: text in, text out.
import { HookError } from '../../errors.js';
import { HOOK_COMMAND, HOOK_TIMEOUT } from './outcome.js';

const COMMAND = HOOK_COMMAND['claude-code'];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const REFUSE = 'keyguard does not rewrite a file it does not understand; nothing changed';

const HANDLER: JsonObject = { type: 'command', command: COMMAND, timeout: HOOK_TIMEOUT };

/**
 * The groups keyguard adds, one per event. Every tool: a key can sit in any tool's arguments or output.
 * Stop and SessionEnd: the transcript holds what was blocked by then, and is redacted (after-block.ts).
 */
export const CLAUDE_GROUPS: Readonly<Record<string, JsonObject>> = {
  UserPromptSubmit: { hooks: [HANDLER] },
  PreToolUse: { matcher: '*', hooks: [HANDLER] },
  PostToolUse: { matcher: '*', hooks: [HANDLER] },
  Stop: { hooks: [HANDLER] },
  SessionEnd: { hooks: [HANDLER] },
};

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isOurs(h: Json): boolean {
  return isObject(h) && h.command === COMMAND;
}

function same(a: Json | undefined, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface ParsedSettings {
  root: JsonObject;
  indent: string;
  finalNewline: boolean;
  crlf: boolean;
}

export function parseSettings(path: string, text: string): ParsedSettings {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch {
    throw new HookError(
      `${path} is not valid JSON: keyguard does not rewrite a file it cannot read; nothing changed. ` +
        'Fix it, or add the hooks by hand (README: "Keep keys out of coding agents")',
    );
  }
  if (!isObject(root)) throw new HookError(`${path} does not hold a JSON object: ${REFUSE}`);
  const hooks = root.hooks;
  if (hooks !== undefined && !isObject(hooks)) throw new HookError(`"hooks" in ${path} is not an object: ${REFUSE}`);
  for (const event of Object.keys(CLAUDE_GROUPS)) {
    const list = isObject(hooks) ? hooks[event] : undefined;
    if (list !== undefined && !Array.isArray(list)) throw new HookError(`"hooks.${event}" in ${path} is not a list: ${REFUSE}`);
  }
  const indent = /^\{\r?\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  return { root, indent, finalNewline: text.endsWith('\n'), crlf: text.includes('\r\n') };
}

export function serialize(s: ParsedSettings): string {
  const text = JSON.stringify(s.root, null, s.indent) + (s.finalNewline ? '\n' : '');
  return s.crlf ? text.replace(/\n/g, '\r\n') : text;
}

/** The event's groups without keyguard's handlers (a group left with no handler goes). */
function withoutOurs(groups: Json[]): Json[] {
  const out: Json[] = [];
  for (const g of groups) {
    if (!isObject(g) || !Array.isArray(g.hooks) || !g.hooks.some(isOurs)) {
      out.push(g);
      continue;
    }
    const rest = g.hooks.filter((h) => !isOurs(h));
    if (rest.length > 0) out.push({ ...g, hooks: rest });
  }
  return out;
}

/** Add keyguard's groups; true when anything changed. */
export function addClaudeHooks(s: ParsedSettings): boolean {
  const hooks: JsonObject = isObject(s.root.hooks) ? s.root.hooks : {};
  let changed = false;
  for (const [event, group] of Object.entries(CLAUDE_GROUPS)) {
    const list = (hooks[event] as Json[] | undefined) ?? [];
    const ours = list.filter((g) => isObject(g) && Array.isArray(g.hooks) && g.hooks.some(isOurs));
    if (ours.length === 1 && same(ours[0], group)) continue;
    hooks[event] = [...withoutOurs(list), group];
    changed = true;
  }
  if (changed) s.root.hooks = hooks;
  return changed;
}

/** Remove keyguard's handlers, and the lists and `hooks` object that only they filled; true when anything changed. */
export function removeClaudeHooks(s: ParsedSettings): boolean {
  const hooks = s.root.hooks;
  if (!isObject(hooks)) return false;
  let changed = false;
  for (const [event, list] of Object.entries(hooks)) {
    if (!Array.isArray(list)) continue;
    const rest = withoutOurs(list);
    if (rest.length === list.length && same(rest, list)) continue;
    changed = true;
    if (rest.length > 0) hooks[event] = rest;
    else delete hooks[event];
  }
  if (changed && Object.keys(hooks).length === 0) delete s.root.hooks;
  return changed;
}

/** Settings that keep the hooks from running at all. */
export function claudeBlockers(s: ParsedSettings): string[] {
  const notes: string[] = [];
  if (s.root.disableAllHooks === true) notes.push('this file sets "disableAllHooks": true, so Claude Code runs no hooks at all, keyguard\'s included');
  return notes;
}
