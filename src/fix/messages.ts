// What --fix tells the user after redacting a file in place.
import { shownText } from '../report/text.js';
import type { InPlaceResult } from './in-place.js';
import { shq } from '../report/shell-quote.js';
import type { Finding } from '../types.js';

/** `1 occurrence`, `3 occurrences` */
export function occurrences(n: number): string {
  return `${n} occurrence${n === 1 ? '' : 's'}`;
}

/** How keys found inside encodings were written: `base64-encoded`, `percent- and unicode-encoded`. */
export function encodingsOf(findings: readonly Finding[]): string {
  const kinds = [...new Set(findings.map((f) => f.decoded).filter((d) => d !== undefined && d !== 'joined'))];
  return `${kinds.length > 1 ? `${kinds.slice(0, -1).join('-, ')}- and ${kinds[kinds.length - 1]!}` : (kinds[0] ?? 'base64')}-encoded`;
}

/** `2 key occurrences are <how> and were copied unredacted`: what an export copy could not rewrite. */
export function notCopiedRedacted(n: number, how: string): string {
  return `${n} key occurrence${n === 1 ? ' is' : 's are'} ${how} and ${n === 1 ? 'was' : 'were'} copied unredacted`;
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
