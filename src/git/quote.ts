// git's C-style path quoting (quote.c) in both directions: quoting, so a `diff --git` header in patch
// output can be matched byte for byte against the path from the NUL-separated raw output (staged
// scans, core.quotePath=true); unquoting, to read header paths of `git log -p` (history scans).
// Paths are raw bytes carried as latin1 strings, so any byte survives.

/** byte → the letter git writes after a backslash for it */
const LETTER: Record<number, string> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 0x22: '"', 0x5c: '\\' };
const BYTE_OF_LETTER: Record<string, number> = Object.fromEntries(Object.entries(LETTER).map(([b, l]) => [l, Number(b)]));

function mustQuote(b: number): boolean {
  return b < 0x20 || b === 0x22 || b === 0x5c || b >= 0x7f;
}

/** `prefix` + `path` as git prints it in patch headers; bytes are returned as a latin1 string. */
export function quotePath(prefix: string, path: Buffer): string {
  if (!path.some(mustQuote)) return prefix + path.toString('latin1');
  let out = `"${prefix}`;
  for (const b of path) {
    if (!mustQuote(b)) out += String.fromCharCode(b);
    else out += `\\${LETTER[b] ?? b.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** Undo git's C-quoting of a header path (latin1 in, latin1 out); unquoted input comes back as is. */
export function unquotePath(s: string): string {
  if (!s.startsWith('"') || !s.endsWith('"') || s.length < 2) return s;
  let out = '';
  for (let i = 1; i < s.length - 1; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[i + 1] ?? '';
    if (/[0-7]/.test(n)) {
      const oct = s.slice(i + 1, i + 4);
      out += String.fromCharCode(parseInt(oct, 8) & 0xff);
      i += 3;
    } else {
      out += String.fromCharCode(BYTE_OF_LETTER[n] ?? n.charCodeAt(0));
      i += 1;
    }
  }
  return out;
}

/** The path of a `--- a/x` / `+++ b/x` line's value: unquoted, prefix and git's trailing tab removed. */
export function headerPath(value: string, prefix: string): string | undefined {
  let v = value.endsWith('\t') ? value.slice(0, -1) : value;
  if (v === '/dev/null') return undefined;
  v = unquotePath(v);
  return v.startsWith(prefix) ? v.slice(prefix.length) : v;
}

/** How a person should see a path whose bytes may not be UTF-8: invalid sequences become U+FFFD. */
export function displayBytes(latin1: string): string {
  // fast path: plain ASCII needs no decoding
  if (!/[\x80-\xff]/.test(latin1)) return latin1;
  return Buffer.from(latin1, 'latin1').toString('utf8');
}
