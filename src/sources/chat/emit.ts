// From a string holding a hit to the chunks the engine reads: the file's own bytes, placed at their
// physical line and column, carrying the human location (conversation, message, field) a reader
// worked out. Chunks of one message share a group, so a key in several fields is reported once.
import type { Chunk, Origin, OriginKind } from '../../types.js';
import type { HitString, RawSlice } from './json-scan.js';
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

function chunkOf(path: string, slice: RawSlice, a: number, b: number, place: Place, field: string): Chunk {
  // Strings hold no raw newline in valid JSON, so the column moves by the characters skipped.
  const column = a === 0 ? slice.column : slice.column + slice.bytes.subarray(0, a).toString('utf8').length;
  const origin: Origin = {
    kind: place.kind,
    path,
    line: slice.line,
    column,
    details: { ...place.head, [place.fieldLabel ?? 'field']: field, ...place.tail },
    field,
  };
  if (place.group !== undefined) origin.group = place.group;
  return { text: slice.bytes.toString('latin1', a, b), origin, bytes: true };
}

/** Chunks for one string with a hit; JSON inside it is looked into and named by its inner path. */
export function* stringChunks(path: string, s: HitString, place: Place, needles: readonly string[]): Generator<Chunk> {
  const only = s.whole ? s.slices[0] : undefined;
  const inner = only && !s.key ? innerHits(only.bytes, needles) : undefined;
  if (only && inner && inner.length > 0) {
    for (const h of inner) {
      const field = [place.field, ...h.levels.map((l) => `(JSON in string) ${formatPath(l)}`)].join(' → ');
      yield chunkOf(path, only, h.start, h.end, place, field);
    }
    return;
  }
  const field = s.key ? `${place.field} (property name)` : place.field;
  for (const slice of s.slices) yield chunkOf(path, slice, 0, slice.bytes.length, place, field);
}

/** A hit the JSON parser could not place: the raw bytes around it, with why. */
export function rawChunk(path: string, slice: RawSlice, kind: OriginKind, where: string): Chunk {
  return { text: slice.bytes.toString('latin1'), origin: { kind, path, line: slice.line, column: slice.column, details: { where } }, bytes: true };
}
