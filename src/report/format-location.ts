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

/** The human-meaningful parts of a location beyond path and line (conversation, message, entry time …). */
export function detailsOf(f: Finding): string[] {
  return Object.entries(f.location.details ?? {})
    .filter(([k]) => k !== KEY_IN)
    .map(([k, v]) => `${k}: ${String(v)}`);
}
