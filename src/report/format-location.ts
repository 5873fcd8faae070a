import type { Finding } from '../types.js';

/** `path:line:column`, the form editors and terminals turn into links. */
export function positionOf(f: Finding): string {
  return `${f.location.path}:${f.location.line}:${f.location.column}`;
}

/** The human-meaningful parts of a location beyond path and line (conversation, message, entry time …). */
export function detailsOf(f: Finding): string[] {
  return Object.entries(f.location.details ?? {}).map(([k, v]) => `${k}: ${String(v)}`);
}
