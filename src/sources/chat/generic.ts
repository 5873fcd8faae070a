// Any other JSON or JSON Lines file: the key is named by its JSON path. Also the fallback for an
// export whose layout is not recognised (then the kind stays `chat-export` and a note says so).
import type { ScanContext } from '../../scan/context.js';
import type { Chunk, OriginKind } from '../../types.js';
import type { FormatReader } from '../files/formats.js';
import type { FileRef } from '../files/file-ref.js';
import { readJsonDocument } from './document.js';
import type { Details, Place } from './emit.js';
import type { PathSeg } from './json-scan.js';
import { formatPath } from './json-text.js';
import { readJsonl } from './jsonl.js';

export function jsonPathPlace(file: string, path: PathSeg[], kind: OriginKind, head: Details = {}): Place {
  const field = formatPath(path);
  return { kind, head, field, fieldLabel: 'json path', group: `json\0${file}\0${field}` };
}

export function readGenericJson(file: FileRef, ctx: ScanContext, kind: OriginKind = 'file', head: Details = {}): AsyncGenerator<Chunk> {
  return readJsonDocument(file, ctx, {
    kind,
    scan: {},
    outside: (path) => jsonPathPlace(file.displayPath, path, kind, head),
    rawWhere: 'not inside a JSON string (the file is not valid JSON there)',
  });
}

export function readGenericJsonl(file: FileRef, ctx: ScanContext, kind: OriginKind = 'file', head: Details = {}): AsyncGenerator<Chunk> {
  return readJsonl(file, ctx, {
    kind,
    record: (_value, line) => (path) => ({
      ...jsonPathPlace(file.displayPath, path, kind, head),
      group: `json\0${file.displayPath}\0${line}\0${formatPath(path)}`,
    }),
  });
}

export const genericJsonReader: FormatReader = { name: 'json', read: (file, ctx) => readGenericJson(file, ctx) };
export const genericJsonlReader: FormatReader = { name: 'jsonl', read: (file, ctx) => readGenericJsonl(file, ctx) };
