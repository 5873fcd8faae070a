// From a string holding a hit to the chunks the engine reads: the file's own bytes, placed at their
// physical line and column, carrying the human location (conversation, message, field) a reader
// worked out. Chunks of one message share a group, so a key in several fields is reported once.
// A string holding the trace of a key split inside it (a wrapped paste: `…T3Bl\nbkFJ…`) is handed on
// as its split view instead (json-split.ts): escapes decoded so the engine can join the pieces, each
// offset placed back on the file's bytes.
import { hasSplitTrace } from '../../engine/joined.js';
import type { Chunk, Origin, OriginKind } from '../../types.js';
import type { HitString, RawSlice } from './json-scan.js';
import { mayHideSplitKey, splitView } from './json-split.js';
import { formatPath } from './json-text.js';
import { innerHits } from './nested-json.js';

export type Details = Record<string, string | number | boolean>;

/** Where a string sits, as a person would look for it. */
export interface Place {
  kind: OriginKind;
  /** printed before the field: conversation, message, session … */
  head: Details;
  /** the part of the message (`content.parts[0]`, `blocks[0].elements[0].text`) */
  field: string;
  /** what the field is called in the details (default `field`; generic JSON says `json path`) */
  fieldLabel?: string;
  /** printed after the field: branch, link … */
  tail?: Details;
  /** one logical place (a message): a key in several of its fields is reported once */
  group?: string;
}

/** Column of `slice.bytes[k]`: strings hold no raw newline in valid JSON, so it moves by the characters skipped. */
function columnAt(slice: RawSlice, k: number): number {
  return k === 0 ? slice.column : slice.column + slice.bytes.subarray(0, k).toString('utf8').length;
}

/** `levels`: how many times the bytes are JSON-escaped (1: a string's content; 2: a string in JSON inside it). */
function chunkOf(path: string, slice: RawSlice, a: number, b: number, place: Place, field: string, levels: number): Chunk {
  const column = columnAt(slice, a);
  const origin: Origin = {
    kind: place.kind,
    path,
    line: slice.line,
    column,
    details: { ...place.head, [place.fieldLabel ?? 'field']: field, ...place.tail },
    field,
  };
  if (place.group !== undefined) origin.group = place.group;
  const raw = slice.bytes.subarray(a, b);
  if (mayHideSplitKey(raw)) {
    const view = splitView(raw, levels);
    if (hasSplitTrace(view.text)) {
      const locate = (offset: number) => ({ line: slice.line, column: columnAt(slice, a + view.map[offset]!) });
      return { text: view.text, origin, bytes: true, locate };
    }
  }
  return { text: raw.toString('latin1'), origin, bytes: true };
}

/** Chunks for one string with a hit; JSON inside it is looked into and named by its inner path. */
export function* stringChunks(path: string, s: HitString, place: Place, needles: readonly string[]): Generator<Chunk> {
  const only = s.whole ? s.slices[0] : undefined;
  const inner = only && !s.key ? innerHits(only.bytes, needles) : undefined;
  if (only && inner && inner.length > 0) {
    for (const h of inner) {
      const field = [place.field, ...h.levels.map((l) => `(JSON in string) ${formatPath(l)}`)].join(' → ');
      yield chunkOf(path, only, h.start, h.end, place, field, h.levels.length + 1);
    }
    return;
  }
  const field = s.key ? `${place.field} (property name)` : place.field;
  for (const slice of s.slices) yield chunkOf(path, slice, 0, slice.bytes.length, place, field, 1);
}

/** A hit the JSON parser could not place: the raw bytes around it, with why. */
export function rawChunk(path: string, slice: RawSlice, kind: OriginKind, where: string): Chunk {
  return { text: slice.bytes.toString('latin1'), origin: { kind, path, line: slice.line, column: slice.column, details: { where } }, bytes: true };
}
