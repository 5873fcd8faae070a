// Codex CLI session rollouts (`sessions/YYYY/MM/DD/rollout-…-<uuid>.jsonl`, `archived_sessions/`).
// Current layout: `{timestamp, type, payload}` per line; older rollouts (mid 2025): a bare session
// meta line, then bare response items and `{"record_type": "state"}`. A key typed once shows up in
// the user message, the `user_message` event and tool-call arguments (JSON inside a string).
import type { ScanContext } from '../../scan/context.js';
import type { Chunk } from '../../types.js';
import type { FormatReader } from '../files/formats.js';
import type { FileRef } from '../files/file-ref.js';
import type { Place } from './emit.js';
import type { JsonValue, PathSeg } from './json-scan.js';
import { formatPath, timeText } from './json-text.js';
import { get, obj, str } from './json-value.js';
import { readJsonl } from './jsonl.js';

const UUID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;

/** `response_item / function_call (shell)`, `event_msg / user_message`, `state` (older layout). */
function recordText(v: JsonValue | undefined): { record: string; role: string | undefined; time: string | undefined } {
  const type = str(get(v, 'type'));
  const payload = obj(get(v, 'payload'));
  if (payload && type) {
    const inner = str(get(payload, 'type'));
    const name = str(get(payload, 'name'));
    return {
      record: `${type}${inner ? ` / ${inner}` : ''}${name ? ` (${name})` : ''}`,
      role: str(get(payload, 'role')),
      time: timeText(get(v, 'timestamp')),
    };
  }
  const legacy = str(get(v, 'record_type')) ?? type ?? (get(v, 'instructions') !== undefined ? 'session meta' : 'record');
  const name = str(get(v, 'name'));
  return { record: `${legacy}${name ? ` (${name})` : ''} (older rollout layout)`, role: str(get(v, 'role')), time: timeText(get(v, 'timestamp')) };
}

function read(file: FileRef, ctx: ScanContext): AsyncGenerator<Chunk> {
  let session = UUID.exec(file.displayPath)?.[1];
  return readJsonl(file, ctx, {
    kind: 'agent-transcript',
    first: (v) => {
      session ??= str(get(v, 'payload', 'id')) ?? str(get(v, 'id'));
    },
    record: (v, line) => {
      const r = recordText(v);
      const head: Record<string, string> = { session: session ?? '(unknown)', record: r.record };
      if (r.role) head.role = r.role;
      if (r.time) head.time = r.time;
      return (path: PathSeg[]): Place => ({ kind: 'agent-transcript', head, field: formatPath(path), group: `codex\0${file.displayPath}\0${line}` });
    },
  });
}

export const codexRolloutReader: FormatReader = { name: 'codex-rollout', read };
