// JSON string contents as people read them: unescaped values, printable paths, and text that is
// safe to print in a report (a title or a property name may itself hold the key).
import { detect } from '../../engine/detect.js';
import { mayContainKey } from '../../engine/prefilter.js';
import { redact } from '../../engine/redact.js';

export type PathSeg = string | number;

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', '/': '/' };

/** The value of a JSON string from its raw content (quotes excluded); lenient about bad escapes. */
export function decodeJsonString(raw: Uint8Array): string {
  const s = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  if (!s.includes('\\')) return s;
  return s.replace(/\\(?:u([0-9a-fA-F]{4})|([\s\S]))/g, (_m, hex: string | undefined, ch: string | undefined) =>
    hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : (ESCAPES[ch ?? ''] ?? ch ?? ''),
  );
}

/** Long values are kept as their beginning: enough to name things, bounded in memory. */
export const SHORT_STRING = 4096;
const ELIDED_HEAD = 200;

export function decodeElided(raw: Uint8Array): string {
  if (raw.length <= SHORT_STRING) return decodeJsonString(raw);
  return `${decodeJsonString(raw.subarray(0, ELIDED_HEAD))}…`;
}

/** Text with every key in it replaced by its redacted form, shortened to `max` characters. */
export function safeText(text: string, max = 120): string {
  let out = text;
  if (mayContainKey(out)) {
    const matches = detect(out, { decode: false });
    for (let i = matches.length - 1; i >= 0; i--) {
      const m = matches[i]!;
      out = `${out.slice(0, m.start)}${redact(m.secret)}${out.slice(m.end)}`;
    }
  }
  out = out.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `payload.content[0].text`; odd property names quoted; key-shaped names redacted. */
export function formatPath(path: readonly PathSeg[]): string {
  if (path.length === 0) return '(top level)';
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENT.test(seg) && !mayContainKey(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(safeText(seg, 60))}]`;
  }
  return out;
}

/** `2024-03-01 12:00:05 UTC` from epoch seconds (or ms when `ms`), ISO text, or a numeric string. */
export function timeText(value: unknown, unit: 's' | 'ms' = 's'): string | undefined {
  let ms: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) ms = unit === 's' ? value * 1000 : value;
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) ms = Number(value) * (unit === 's' ? 1000 : 1);
  else if (typeof value === 'string' && value !== '') {
    const t = Date.parse(value);
    if (Number.isNaN(t)) return safeText(value, 40);
    ms = t;
  }
  if (ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}
