// A raw-bytes pass (SQLite free pages, old WAL frames) sees copies of keys cut where a page or a
// rewritten row ends: the start of a key, reported on its own as an "unrecognised shape". When the
// full key was found in the same file, the cut copy is that key, not another one.

/** The key `secret` is the start of (the longest such), among `keys`; undefined when it is no fragment. */
export function fragmentOf(secret: string, keys: Iterable<string>): string | undefined {
  let whole: string | undefined;
  for (const key of keys) {
    if (key.length > secret.length && key.startsWith(secret) && (!whole || key.length > whole.length)) whole = key;
  }
  return whole;
}
