// Line numbers for TOML keys. smol-toml gives values, not positions, and a fix has to say which
// line to change, so we find the line with a small scan of table headers and `key =` lines.

/** `a."b.c".d` → ['a', 'b.c', 'd'] (bare and quoted keys; good enough for headers and dotted keys). */
export function splitDotted(s: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '.') {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  parts.push(cur.trim());
  return parts;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/;
const KEY = /^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=/;

/** 1-based line of `key` inside `table` (e.g. ['model_providers', 'azure'], 'env_key'); key '' finds the header. */
export function lineOfKey(text: string, table: readonly string[], key: string): number | undefined {
  const want = key === '' ? [...table] : [...table, key];
  let current: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const h = HEADER.exec(line);
    if (h?.[1]) {
      current = splitDotted(h[1]);
      if (key === '' && samePath(current, table)) return i + 1;
      continue;
    }
    const k = KEY.exec(line);
    if (k?.[1] && samePath([...current, ...splitDotted(k[1])].slice(0, want.length), want)) return i + 1;
  }
  return undefined;
}
