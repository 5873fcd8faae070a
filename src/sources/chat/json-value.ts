// Reading values an export built, where any field may be missing or of another type.
import type { JsonValue, PathSeg } from './json-scan.js';
import { safeText } from './json-text.js';

export type JsonObject = { [key: string]: JsonValue };

export function obj(v: JsonValue | undefined): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

export function arr(v: JsonValue | undefined): JsonValue[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** A short, printable string (numbers are ids too); key-shaped text redacted. */
export function str(v: JsonValue | undefined, max = 120): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : safeText(v, max);
  if (typeof v === 'number') return String(v);
  return undefined;
}

export function get(v: JsonValue | undefined, ...path: PathSeg[]): JsonValue | undefined {
  let cur = v;
  for (const seg of path) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? (typeof seg === 'number' ? cur[seg] : undefined) : Object.hasOwn(cur, seg) ? cur[String(seg)] : undefined;
  }
  return cur;
}

/** The archive a member lives in, or the file itself: findings merge only inside one export. */
export function containerOf(displayPath: string): string {
  const bang = displayPath.lastIndexOf('!');
  return bang >= 0 ? displayPath.slice(0, bang) : displayPath;
}

/** The directory part of a display path (archive members included). */
export function dirOf(displayPath: string): string {
  const cut = Math.max(displayPath.lastIndexOf('/'), displayPath.lastIndexOf('!'), displayPath.lastIndexOf('\\'));
  return cut >= 0 ? displayPath.slice(0, cut) : '';
}

export function baseOf(displayPath: string): string {
  const cut = Math.max(displayPath.lastIndexOf('/'), displayPath.lastIndexOf('!'), displayPath.lastIndexOf('\\'));
  return displayPath.slice(cut + 1);
}

/** `"Title" (id)` with either part left out when missing. */
export function titled(title: string | undefined, id: string | undefined): string {
  if (title && id) return `"${title}" (${id})`;
  if (title) return `"${title}"`;
  return id ? `(untitled) ${id}` : '(untitled)';
}
