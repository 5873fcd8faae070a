// git's C-style path quoting (quote.c, with core.quotePath=true), so a `diff --git` header in patch
// output can be matched byte for byte against the path from the NUL-separated raw output.

const LETTER: Record<number, string> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 0x22: '"', 0x5c: '\\' };

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
