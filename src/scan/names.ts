// Keys in names. A file or archive member named after a key, or a commit whose author field holds one,
// leaks that key as surely as its content would: the name is scanned like text and the key reported
// (at line 0, `key in: file name`), while reports show such names redacted (src/report/names.ts).
// Sources that list names the content readers never see (a member that cannot be read, a file whose
// content holds no key) hand them over with `nameChunk`; the pipeline also checks every chunk's own
// path and commit author, once per distinct name.
import { mayContainKey } from '../engine/prefilter.js';
import type { Chunk, CommitInfo, Origin, OriginKind } from '../types.js';

/** The detail that says which name holds the key; reporters show `in the <value>` instead of a line. */
export const KEY_IN = 'key in';

export type NameHolder = 'file name' | 'archive member name' | 'commit author' | 'branch name' | 'tag name';

/** Where a key in a commit's author field is shown. */
export const AUTHOR_PATH = '(commit author)';

/** All keys found in names are one group: a key in a folder's name is reported once, not per file. */
const NAMES_GROUP = 'names';

export interface NamedPlace {
  kind: OriginKind;
  /** where the finding is shown: the path itself for a file name, `(commit author)` for an author */
  path: string;
  commit?: CommitInfo;
}

/** A chunk holding only `name`, or undefined when the prefilter says it cannot hold a key. */
export function nameChunk(name: string, holder: NameHolder, place: NamedPlace, needles?: readonly string[]): Chunk | undefined {
  if (!mayContainKey(name, needles)) return undefined;
  const origin: Origin = { kind: place.kind, path: place.path, line: 0, column: 1, details: { [KEY_IN]: holder }, group: NAMES_GROUP };
  if (place.commit) origin.commit = place.commit;
  // line 0 says "not in the content", even for a name with a newline in it; the column is in the name
  return { text: name, origin, locate: (offset) => ({ line: 0, column: offset + 1 }) };
}

/** A display path's holder: a member name when it is inside an archive (`a.zip!inner`). */
export function pathHolder(path: string): NameHolder {
  return path.includes('!') ? 'archive member name' : 'file name';
}

export function isNameChunk(chunk: Chunk): boolean {
  return chunk.origin.line === 0 && chunk.origin.details?.[KEY_IN] !== undefined;
}

/** The names a chunk's origin carries that may hold a key: its path and its commit's author. */
export function namesOf(origin: Origin, needles?: readonly string[]): Chunk[] {
  const out: Chunk[] = [];
  const place: NamedPlace = { kind: origin.kind, path: origin.path };
  if (origin.commit) place.commit = origin.commit;
  const path = nameChunk(origin.path, pathHolder(origin.path), place, needles);
  if (path) out.push(path);
  if (origin.commit) {
    const author = nameChunk(origin.commit.author, 'commit author', { kind: origin.kind, path: AUTHOR_PATH, commit: origin.commit }, needles);
    if (author) out.push(author);
  }
  return out;
}
