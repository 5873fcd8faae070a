// JSON at the level of single bytes, for scanning raw buffers without decoding them: where a string
// ends, whether a view stops mid-escape, what may start or continue a literal.
import type { JsonValue } from './value-builder.js';

// Bytes are written as numbers, the character in a comment beside them, as in every byte loop of the
// scanner: these run over each byte of files of gigabytes, where a literal is the cheapest operand.

/** Index of the unescaped `"` at or after i, or -1. The byte at i is not escaped. */
export function closingQuote(view: Buffer, i: number): number {
  let j = view.indexOf(0x22 /* " */, i);
  while (j !== -1) {
    let k = j - 1;
    while (k >= i && view[k] === 0x5c /* backslash */) k--;
    if ((j - 1 - k) % 2 === 0) return j;
    j = view.indexOf(0x22, j + 1);
  }
  return -1;
}

/** The view ends in the middle of an escape (an odd run of backslashes back to `from`). */
export function endsEscaped(view: Buffer, from: number): boolean {
  let k = view.length - 1;
  while (k >= from && view[k] === 0x5c) k--;
  return (view.length - 1 - k) % 2 === 1;
}

export function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Bytes of `true`, `false`, `null` and numbers (a superset: the whole literal is checked at its end). */
export function isLiteralByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x45;
}

export function literalValue(text: string): JsonValue | undefined {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return Number(text);
  return undefined;
}

export function describeByte(c: number): string {
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** A UTF-8 byte-order mark at view[i]. */
export function isBom(view: Buffer, i: number): boolean {
  return view[i] === 0xef && view[i + 1] === 0xbb && view[i + 2] === 0xbf;
}
