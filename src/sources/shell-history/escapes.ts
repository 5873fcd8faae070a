// Undoing each format's escaping, with a map from every unescaped offset back to the raw offset so a
// finding still points at the physical column.
import type { Decoded } from './entries.js';

class Builder {
  text = '';
  readonly map: number[] = [];
  push(s: string, rawOffset: number): void {
    for (let k = 0; k < s.length; k++) this.map.push(rawOffset);
    this.text += s;
  }
  done(rawLength: number): Decoded {
    this.map.push(rawLength);
    return { text: this.text, map: this.map };
  }
}

/** zsh metafication: 0x83 (Meta) then the byte XOR 0x20. */
export function unmetafy(raw: string): Decoded {
  if (!raw.includes('\x83')) return { text: raw };
  const b = new Builder();
  for (let i = 0; i < raw.length; i++) {
    if (raw.charCodeAt(i) === 0x83 && i + 1 < raw.length) {
      b.push(String.fromCharCode(raw.charCodeAt(i + 1) ^ 0x20), i);
      i++;
    } else b.push(raw[i]!, i);
  }
  return b.done(raw.length);
}

/** fish: `\\` is a backslash and `\n` a newline; nothing else is escaped. */
export function fishUnescape(raw: string): Decoded {
  if (!raw.includes('\\')) return { text: raw };
  const b = new Builder();
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    const e = raw[i + 1];
    if (c === '\\' && (e === '\\' || e === 'n')) {
      b.push(e === 'n' ? '\n' : '\\', i);
      i++;
    } else b.push(c, i);
  }
  return b.done(raw.length);
}

/** nushell plain text: an embedded newline is written as `<\n>`. */
export function nushellUnescape(raw: string): Decoded {
  if (!raw.includes('<\\n>')) return { text: raw };
  const b = new Builder();
  for (let i = 0; i < raw.length; i++) {
    if (raw.startsWith('<\\n>', i)) {
      b.push('\n', i);
      i += 3;
    } else b.push(raw[i]!, i);
  }
  return b.done(raw.length);
}

/** psql (readline builds): newlines inside a query are stored as 0x01. */
export function psqlUnescape(raw: string): Decoded {
  return raw.includes('\x01') ? { text: raw.replace(/\x01/g, '\n') } : { text: raw };
}

const C_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', a: '\x07', v: '\v', f: '\f', s: ' ', E: '\x1b', e: '\x1b', '0': '\0' };

/**
 * libedit `_HiStOrY_V2_` lines (strvis VIS_WHITE): octal `\040`, `\\`, control `\^X`, meta `\M-x` and
 * `\M^X`, and C-style escapes. psql's 0x01 newlines come out as `\^A` and become newlines too.
 */
export function unvis(raw: string): Decoded {
  if (!raw.includes('\\')) return psqlUnescape(raw);
  const b = new Builder();
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c !== '\\' || i + 1 >= raw.length) {
      b.push(c === '\x01' ? '\n' : c, i);
      i++;
      continue;
    }
    const rest = raw.slice(i + 1, i + 5);
    const oct = /^[0-7]{3}/.exec(rest);
    let ch: string;
    let len: number;
    if (oct) {
      ch = String.fromCharCode(parseInt(oct[0], 8) & 0xff);
      len = 4;
    } else if (rest.startsWith('M-') && rest.length >= 3) {
      ch = String.fromCharCode(rest.charCodeAt(2) | 0x80);
      len = 4;
    } else if (rest.startsWith('M^') && rest.length >= 3) {
      ch = String.fromCharCode(((rest[2] === '?' ? 0x7f : rest.charCodeAt(2) & 0x1f) | 0x80) & 0xff);
      len = 4;
    } else if (rest[0] === '^' && rest.length >= 2) {
      ch = rest[1] === '?' ? '\x7f' : String.fromCharCode(rest.charCodeAt(1) & 0x1f);
      len = 3;
    } else if (rest[0] === '\\') {
      ch = '\\';
      len = 2;
    } else {
      ch = C_ESCAPES[rest[0]!] ?? rest[0]!;
      len = 2;
    }
    b.push(ch === '\x01' ? '\n' : ch, i);
    i += len;
  }
  return b.done(raw.length);
}
