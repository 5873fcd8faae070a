// What --fix tells the user after redacting a file in place.
import { shownText } from '../report/text.js';
import type { InPlaceResult } from './in-place.js';
import { shq } from '../report/shell-quote.js';

/** `1 occurrence`, `3 occurrences` */
export function occurrences(n: number): string {
  return `${n} occurrence${n === 1 ? '' : 's'}`;
}

/** The tail of the "redacted …" line: what else happened (`changed`: how to say the file changed meanwhile). */
export function afterRedaction(result: InPlaceResult, changed: string): string {
  const notes: string[] = [];
  if (result.retries > 0) notes.push(`${changed}, so the redaction was redone on the new content`);
  if (result.replaced) notes.push('the path was given a new file meanwhile, and that one was redacted too');
  if (result.links > 1) notes.push(`the file has ${result.links} hard links: all of them are redacted (they are one file)`);
  return notes.map((n) => `; ${n}`).join('');
}

/** One line per backup: where it is, that it holds the key, and how to delete it. */
export function backupNotes(result: InPlaceResult): string {
  return result.backups
    .map(
      (b) =>
        `keyguard: the original is backed up (mode 0600) at ${shownText(b)}; it still holds the key: check the result, then delete it: rm ${shownText(shq(b))}\n`,
    )
    .join('');
}
