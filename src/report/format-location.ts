import type { Finding } from '../types.js';
import { KEY_IN } from '../scan/names.js';
import { nameView } from './names.js';

/** `path:line:column`, the form editors and terminals turn into links (for text: keys redacted, controls escaped). */
export function positionOf(f: Finding): string {
  return `${nameView(false).text(f.location.path)}:${f.location.line}:${f.location.column}`;
}

/** `line:column`, or for a key in a name, which name (`in the file name`). */
export function placeOf(f: Finding): string {
  const keyIn = f.location.line === 0 ? f.location.details?.[KEY_IN] : undefined;
  return keyIn === undefined ? `${f.location.line}:${f.location.column}` : `in the ${String(keyIn)}`;
}

/** A details key as words: `entryLine` → `entry line` (sources name them for JSON). */
export function labelOf(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`);
}

/** Times as sources write them: ISO with milliseconds (`…T12:00:00.000Z`) or `2024-01-01 12:00:00 UTC`, alone or within text. */
const UTC_TIME = /\b(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?(?:Z| UTC)(?![\w:])/g;

/**
 * One date format in every human report: ISO 8601 with its offset, to the second (`2024-01-01T12:00:00Z`),
 * as commit dates already are (git's `%aI`, with the author's offset). The rest of the text is unchanged.
 */
export function dateText(value: string): string {
  return value.replace(UTC_TIME, (_m, day: string, time: string) => `${day}T${time}Z`);
}

/** The human-meaningful parts of a location beyond path and line (conversation, message, entry time …). */
export function detailsOf(f: Finding): string[] {
  return Object.entries(f.location.details ?? {})
    .filter(([k]) => k !== KEY_IN)
    .map(([k, v]) => `${labelOf(k)}: ${typeof v === 'string' ? dateText(v) : String(v)}`);
}
