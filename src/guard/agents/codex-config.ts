// keyguard's hooks in a Codex config.toml, as a marked block of inline `[[hooks.<Event>]]` tables.
// Text is edited, not re-serialized (a TOML parser drops comments); the result is parsed and must
// equal the old file plus keyguard's hooks, or nothing is written.
//
// The block goes before the first table, not at the end: a line a user later appends to the file
// (`echo 'model = "…"' >> config.toml`) would otherwise land inside keyguard's last table.
import { parse } from 'smol-toml';
import { HookError } from '../../errors.js';
import { HOOK_COMMAND, HOOK_TIMEOUT } from './outcome.js';

const COMMAND = HOOK_COMMAND.codex;
export const CODEX_BEGIN = '# >>> keyguard agent-guard v1 >>>';
const BEGIN_PREFIX = '# >>> keyguard agent-guard';
export const CODEX_END = '# <<< keyguard agent-guard <<<';
/** Stop and SessionEnd: the rollout and history.jsonl hold what was blocked by then, and are redacted (after-block.ts). */
export const CODEX_EVENTS = ['UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop', 'SessionEnd'] as const;

/**
 * Codex gives a SessionEnd hook at most 3 s, whatever the config says (0.171, measured; src/codex/hook-trust.ts
 * hashes the clamped value, so writing 3 keeps the trust of a guard installed with 30). Written as Codex applies it.
 */
export const CODEX_SESSION_END_TIMEOUT = 3;

function handler(event: string): string {
  const matcher = event === 'PreToolUse' || event === 'PostToolUse' ? 'matcher = "*"\n' : '';
  const timeout = event === 'SessionEnd' ? CODEX_SESSION_END_TIMEOUT : HOOK_TIMEOUT;
  return `[[hooks.${event}]]\n${matcher}[[hooks.${event}.hooks]]\ntype = "command"\ncommand = "${COMMAND}"\ntimeout = ${timeout}\n`;
}

export const CODEX_BLOCK =
  `${CODEX_BEGIN}\n` +
  "# Added by 'keyguard install --codex': keeps OpenAI keys out of prompts, tool calls and tool output,\n" +
  "# and redacts what it blocked from Codex's own files at the end of each turn and session.\n" +
  "# 'keyguard uninstall --codex' removes this block. Keep the command as it is: Codex trusts a hook by its definition.\n" +
  CODEX_EVENTS.map(handler).join('\n') +
  `${CODEX_END}\n`;

export type Table = Record<string, unknown>;

export function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export function parseToml(path: string, text: string): Table {
  try {
    return parse(text) as Table;
  } catch {
    throw new HookError(
      `${path} is not valid TOML: keyguard does not rewrite a file it cannot read; nothing changed. ` +
        'Fix it, or add the hooks by hand (README: "Keep keys out of coding agents")',
    );
  }
}

function isOurHandler(h: unknown): boolean {
  return isTable(h) && h.command === COMMAND;
}

/** The parsed config without keyguard's handlers (and the groups, lists and tables only they filled). */
function withoutOurs(config: Table): Table {
  const hooks = config.hooks;
  if (!isTable(hooks)) return config;
  const rest: Table = {};
  for (const [event, list] of Object.entries(hooks)) {
    if (!Array.isArray(list)) {
      rest[event] = list;
      continue;
    }
    const groups = list.flatMap((g: unknown) => {
      if (!isTable(g) || !Array.isArray(g.hooks) || !g.hooks.some(isOurHandler)) return [g];
      const left = g.hooks.filter((h: unknown) => !isOurHandler(h));
      return left.length > 0 ? [{ ...g, hooks: left }] : [];
    });
    if (groups.length > 0) rest[event] = groups;
  }
  const out = { ...config };
  if (Object.keys(rest).length > 0) out.hooks = rest;
  else delete out.hooks;
  return out;
}

/** Does the config run `keyguard hook codex` for each guarded event? */
function hasOurs(config: Table): boolean {
  const hooks = config.hooks;
  if (!isTable(hooks)) return false;
  return CODEX_EVENTS.every((e) => {
    const list = hooks[e];
    return Array.isArray(list) && list.some((g: unknown) => isTable(g) && Array.isArray(g.hooks) && g.hooks.some(isOurHandler));
  });
}

/** A canonical form to compare parsed documents by: keys sorted, dates as text. */
export function canonical(v: unknown): string {
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isTable(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return typeof v === 'bigint' ? `${v}n` : JSON.stringify(v);
}

interface BlockAt {
  start: number;
  /** just past the end marker's line */
  end: number;
}

function findBlock(path: string, text: string): BlockAt | undefined {
  const lines = text.split('\n');
  const begins: number[] = [];
  const ends: number[] = [];
  let offset = 0;
  const starts: number[] = [];
  for (const [i, line] of lines.entries()) {
    starts.push(offset);
    offset += line.length + 1;
    if (line.trimEnd().startsWith(BEGIN_PREFIX)) begins.push(i);
    if (line.trimEnd() === CODEX_END) ends.push(i);
  }
  if (begins.length === 0 && ends.length === 0) return undefined;
  if (begins.length !== 1 || ends.length !== 1 || ends[0]! < begins[0]!) {
    throw new HookError(
      `${path} has keyguard's markers (${BEGIN_PREFIX} … ${CODEX_END}) but not as one block: ` +
        'keyguard does not guess which lines are its own; nothing changed. Fix the markers by hand',
    );
  }
  return { start: starts[begins[0]!]!, end: Math.min(starts[ends[0]!]! + lines[ends[0]!]!.length + 1, text.length) };
}

/** Where the block goes in a file that has none: before the first table header (and the comment lines right above it), or at the end. */
function insertionPoints(text: string): number[] {
  const points: number[] = [];
  const lines = text.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  for (const [i, line] of lines.entries()) {
    if (!/^[ \t]*\[/.test(line)) continue;
    let j = i;
    while (j > 0 && /^[ \t]*#/.test(lines[j - 1]!)) j--;
    points.push(starts[j]!);
  }
  return points;
}

function check(before: Table, candidate: string): boolean {
  let after: Table;
  try {
    after = parse(candidate) as Table;
  } catch {
    return false;
  }
  return hasOurs(after) && canonical(withoutOurs(after)) === canonical(withoutOurs(before));
}

export interface TomlEdit {
  /** the new text; undefined when nothing changes */
  text: string | undefined;
  notes: string[];
}

/** The config with keyguard's block in it: replaced in place when present, else added where it parses as intended. */
export function addCodexHooks(path: string, text: string | undefined): TomlEdit {
  if (text === undefined) return { text: CODEX_BLOCK, notes: [] };
  const before = parseToml(path, text);
  const block = findBlock(path, text);
  if (block) {
    if (text.slice(block.start, block.end) === CODEX_BLOCK) return { text: undefined, notes: [] };
    const next = text.slice(0, block.start) + CODEX_BLOCK + text.slice(block.end);
    if (!check(before, next)) {
      throw new HookError(`${path}: keyguard's block there could not be updated without changing what the rest of the file means; nothing changed`);
    }
    return { text: next, notes: [] };
  }
  if (hasOurs(before)) return { text: undefined, notes: [`${path} already runs '${COMMAND}' for every guarded event (added by hand): left as it is`] };
  for (const at of insertionPoints(text)) {
    const next = `${text.slice(0, at)}${CODEX_BLOCK}\n${text.slice(at)}`;
    if (check(before, next)) return { text: next, notes: [] };
  }
  const next = `${text}\n${CODEX_BLOCK}`;
  if (check(before, next)) return { text: next, notes: [] };
  throw new HookError(
    `${path}: keyguard's [[hooks.…]] tables cannot be added without changing what the file means (are the hooks written as an inline table or array?); ` +
      'nothing changed. Add them by hand (README: "Keep keys out of coding agents")',
  );
}

/** The config without keyguard's block (and the line break that install added with it); `null`: remove the file keyguard created. */
export function removeCodexHooks(path: string, text: string): string | null | undefined {
  const block = findBlock(path, text);
  if (!block) return undefined;
  if (block.start === 0 && block.end === text.length) return null;
  // install put a blank line after a block it placed before a table, or a line break before one it appended
  if (text.startsWith('\n', block.end)) return text.slice(0, block.start) + text.slice(block.end + 1);
  if (block.end === text.length && block.start > 0 && text[block.start - 1] === '\n') return text.slice(0, block.start - 1);
  return text.slice(0, block.start) + text.slice(block.end);
}

/** Settings in the config that keep keyguard's hooks from running. */
export function codexBlockers(config: Table): string[] {
  const notes: string[] = [];
  const features = config.features;
  if (isTable(features) && (features.hooks === false || features.codex_hooks === false)) {
    notes.push('this config turns hooks off ([features] hooks = false): Codex will not run keyguard until that is removed');
  }
  // (allow_managed_hooks_only is read from requirements.toml, not from here: a user config setting it has
  // no effect, measured on 0.171; `keyguard codex` checks the requirements file)
  return notes;
}

/** Does the config keep Codex's prompt history? */
export function keepsHistory(config: Table): boolean {
  const history = config.history;
  return !(isTable(history) && history.persistence === 'none');
}
