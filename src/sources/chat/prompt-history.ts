// `history.jsonl` of Codex (`{session_id | conversation_id, ts, text}`, one line per prompt) and of
// Claude Code (`{display, pastedContents, timestamp, project, sessionId}`: pasted blobs live in
// `pastedContents`). Same name, told apart line by line.
import type { ScanContext } from '../../scan/context.js';
import type { Chunk } from '../../types.js';
import type { FormatReader } from '../files/formats.js';
import type { FileRef } from '../files/file-ref.js';
import type { Place } from './emit.js';
import type { JsonValue, PathSeg } from './json-scan.js';
import { formatPath, timeText } from './json-text.js';
import { get, str } from './json-value.js';
import { readJsonl } from './jsonl.js';

function place(file: FileRef, v: JsonValue | undefined, line: number): (path: PathSeg[]) => Place {
  const head: Record<string, string> = {};
  if (get(v, 'display') !== undefined || get(v, 'pastedContents') !== undefined) {
    head.history = 'Claude Code prompts';
    const project = str(get(v, 'project'), 200);
    if (project) head.project = project;
    const session = str(get(v, 'sessionId'));
    if (session) head.session = session;
    const time = timeText(get(v, 'timestamp'), 'ms');
    if (time) head.time = time;
  } else {
    head.history = 'Codex prompts';
    const session = str(get(v, 'session_id')) ?? str(get(v, 'conversation_id'));
    if (session) head.session = session;
    const time = timeText(get(v, 'ts'));
    if (time) head.time = time;
  }
  return (path) => ({ kind: 'agent-transcript', head, field: formatPath(path), group: `prompt-history\0${file.displayPath}\0${line}` });
}

function read(file: FileRef, ctx: ScanContext): AsyncGenerator<Chunk> {
  return readJsonl(file, ctx, { kind: 'agent-transcript', record: (v, line) => place(file, v, line) });
}

export const promptHistoryReader: FormatReader = { name: 'agent-prompt-history', read };
