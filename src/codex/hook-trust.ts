// Codex's trust records for hooks, reproduced offline. Codex 0.171 keys each command handler as
// `<source file>:<event_snake>:<group>:<handler>` and trusts it by a hash of its normalized
// definition: SHA-256 of the key-sorted compact JSON of {event_name, matcher, hooks: [{type,
// command, timeout, async, statusMessage}]} (the matcher only for events that use one, timeout
// defaulting to 600; SessionEnd's clamped to 1–3 s). Checked byte for byte against `codex app-server` hooks/list on 0.171.0.
import { createHash } from 'node:crypto';

/** Events whose groups take a matcher; for the others Codex drops it from the identity. */
const MATCHER_EVENTS = new Set(['PreToolUse', 'PostToolUse', 'PermissionRequest', 'SessionStart', 'PreCompact', 'PostCompact']);

export interface HookHandlerDef {
  command: string;
  timeout?: number;
  async?: boolean;
  statusMessage?: string;
}

/** `UserPromptSubmit` → `user_prompt_submit` */
export function eventSnake(event: string): string {
  return event.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function hookKey(sourcePath: string, event: string, group: number, handler: number): string {
  return `${sourcePath}:${eventSnake(event)}:${group}:${handler}`;
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, canonical(o[k])]),
    );
  }
  return v;
}

/** Events whose hooks Codex gives at most 3 s (default 1), and hashes with the clamped timeout (0.171, measured). */
const SHORT_EVENTS = new Set(['SessionEnd', 'Interrupt']);

function timeoutOf(event: string, timeout: number | undefined): number {
  if (SHORT_EVENTS.has(event)) return Math.min(3, Math.max(1, timeout ?? 1));
  return Math.max(1, timeout ?? 600);
}

export function hookHash(event: string, matcher: string | undefined, h: HookHandlerDef): string {
  const handler: Record<string, unknown> = { type: 'command', command: h.command, timeout: timeoutOf(event, h.timeout), async: h.async ?? false };
  if (h.statusMessage !== undefined) handler.statusMessage = h.statusMessage;
  const identity: Record<string, unknown> = { event_name: eventSnake(event), hooks: [handler] };
  if (matcher !== undefined && MATCHER_EVENTS.has(event)) identity.matcher = matcher;
  return `sha256:${createHash('sha256')
    .update(JSON.stringify(canonical(identity)))
    .digest('hex')}`;
}
