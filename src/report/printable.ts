// Text from the scanned data (file paths, archive member names, commit authors, branch and tag names,
// titles, messages that quote them) as it may safely reach a terminal. A name is data: an escape
// sequence in it must not clear the screen, write the clipboard (OSC 52) or forge report lines, so
// every control character is shown as an escape, and the name stays recognisable (`\x1b[2J`).
//
// Escaped: C0 controls and DEL, C1 controls (U+0080–U+009F, which some terminals obey as 8-bit
// escapes), the line and paragraph separators, and the bidirectional overrides that reorder text.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`);
  });
}

/**
 * A JSON document whose strings may hold what JSON.stringify leaves raw (C1 controls, separators,
 * bidi overrides), with those written as \u escapes: the same JSON value, safe to `cat`.
 */
export function asciiSafeJson(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}
