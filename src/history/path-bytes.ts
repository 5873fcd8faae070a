// Paths in patch headers are raw bytes (read as latin1). git C-quotes a path holding control
// characters, `"` or `\`; bytes above 0x7f stay raw because we run with core.quotePath=false.
const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

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
      out += String.fromCharCode(ESCAPES[n] ?? n.charCodeAt(0));
      i += 1;
    }
  }
  return out;
}

/** How a person should see a path whose bytes may not be UTF-8: invalid sequences become U+FFFD. */
export function displayBytes(latin1: string): string {
  // fast path: plain ASCII needs no decoding
  if (!/[\x80-\xff]/.test(latin1)) return latin1;
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** The path of a `--- a/x` / `+++ b/x` line's value: unquoted, prefix and git's trailing tab removed. */
export function headerPath(value: string, prefix: string): string | undefined {
  let v = value.endsWith('\t') ? value.slice(0, -1) : value;
  if (v === '/dev/null') return undefined;
  v = unquotePath(v);
  return v.startsWith(prefix) ? v.slice(prefix.length) : v;
}
