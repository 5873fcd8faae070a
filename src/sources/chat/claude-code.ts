// Claude Code transcripts (`~/.claude/projects/<project>/<session>.jsonl`, subagent logs): one
// record per line, `message.content` a string or blocks; files the agent read come back in
// `tool_result` blocks and `toolUseResult.file.content`, which is where `.env` keys end up.
import type { ScanContext } from '../../scan/context.js';
import type { Chunk } from '../../types.js';
import type { FormatReader } from '../files/formats.js';
import type { FileRef } from '../files/file-ref.js';
import type { Place } from './emit.js';
import type { JsonValue, PathSeg } from './json-scan.js';
import { formatPath, timeText } from './json-text.js';
import { get, str } from './json-value.js';
import { readJsonl } from './jsonl.js';

export function claudeCodeRecordPlace(file: FileRef, v: JsonValue | undefined, line: number): (path: PathSeg[]) => Place {
  const head: Record<string, string> = {};
  const session = str(get(v, 'sessionId'));
  if (session) head.session = session;
  const type = str(get(v, 'type')) ?? 'record';
  const role = str(get(v, 'message', 'role'));
  head.record = role && role !== type ? `${type} (${role})` : type;
  const time = timeText(get(v, 'timestamp'));
  if (time) head.time = time;
  const cwd = str(get(v, 'cwd'), 200);
  if (cwd) head.project = cwd;
  return (path) => ({ kind: 'agent-transcript', head, field: formatPath(path), group: `claude-code\0${file.displayPath}\0${line}` });
}

function read(file: FileRef, ctx: ScanContext): AsyncGenerator<Chunk> {
  return readJsonl(file, ctx, { kind: 'agent-transcript', record: (v, line) => claudeCodeRecordPlace(file, v, line) });
}

export const claudeCodeReader: FormatReader = { name: 'claude-code-transcript', read };
