// `.env` files: `A=…` or `export A=…` per line; single, double or backtick quotes (double-quoted
// values may span lines and take \n escapes); ` #` starts a comment in unquoted values; `${B}` makes
// the value computed.
import type { EnvAssignment } from './assignments.js';
import { runtimeFetchOf } from './runtime-fetch.js';
import { lineIndex } from './shell-words.js';

const LINE = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/gm;

export function dotenvAssignments(text: string, path: string): EnvAssignment[] {
  const at = lineIndex(text);
  const out: EnvAssignment[] = [];
  LINE.lastIndex = 0;
  for (let m = LINE.exec(text); m; m = LINE.exec(text)) {
    const start = m.index + m[0].length;
    const q = text[start];
    let value: string | null;
    let rawEnd: number;
    if (q === '"' || q === "'" || q === '`') {
      let j = start + 1;
      let s = '';
      for (; j < text.length && text[j] !== q; j++) {
        if (q === '"' && text[j] === '\\' && j + 1 < text.length) {
          const e = text[++j]!;
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
        } else s += text[j];
      }
      rawEnd = j + 1;
      value = q !== "'" && /\$\{?[A-Za-z_]|\$\(/.test(s) ? null : s;
    } else {
      const nl = text.indexOf('\n', start);
      const lineEnd = nl < 0 ? text.length : nl;
      const comment = /[ \t]#/.exec(text.slice(start, lineEnd));
      rawEnd = comment ? start + comment.index : lineEnd;
      const s = text.slice(start, rawEnd).replace(/[ \t\r]+$/, '');
      value = /\$\{?[A-Za-z_]|\$\(/.test(s) ? null : s;
    }
    const raw = text.slice(m.index, rawEnd).trim();
    const a: EnvAssignment = { name: m[1]!, value, ...at(m.index + m[0].indexOf(m[1]!)), path, raw };
    if (value === null) {
      const fetch = runtimeFetchOf(raw);
      if (fetch) a.runtimeFetch = fetch;
    }
    out.push(a);
    LINE.lastIndex = Math.max(LINE.lastIndex, rawEnd);
  }
  return out;
}
