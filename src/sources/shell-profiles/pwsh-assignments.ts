// PowerShell: `$env:A = …`, `${env:A} = …`, `[Environment]::SetEnvironmentVariable('A', …)` and
// `Set-Item env:A …`. Backtick-newline continues a line; `#` and `<# … #>` are comments.
import type { EnvAssignment } from './assignments.js';
import { runtimeFetchOf } from './runtime-fetch.js';
import { lineIndex } from './shell-words.js';

const PATTERNS: readonly RegExp[] = [
  /\$(?:\{env:([A-Za-z_][A-Za-z0-9_]*)\}|env:([A-Za-z_][A-Za-z0-9_]*))\s*=(?!=)\s*/gi,
  /\[(?:System\.)?Environment\]::SetEnvironmentVariable\(\s*(['"])([A-Za-z_][A-Za-z0-9_]*)\1\s*,\s*/gi,
  /\bSet-Item\s+(?:-Path\s+)?env:([A-Za-z_][A-Za-z0-9_]*)\s+(?:-Value\s+)?/gi,
];

/** Blank out comments, keeping offsets, so commented-out assignments are not read. */
function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '<' && text[i + 1] === '#') {
      const end = text.indexOf('#>', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      const stop = nl < 0 ? text.length : nl;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length && !(text[j] === c && text[j + 1] !== c)) j += text[j] === c || text[j] === '`' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The value expression at `i`: its literal (or null when computed) and raw text. */
function valueAt(text: string, i: number): { value: string | null; raw: string } {
  const q = text[i];
  if (q === "'") {
    let s = '';
    let j = i + 1;
    for (; j < text.length; j++) {
      if (text[j] === "'" && text[j + 1] === "'") {
        s += "'";
        j++;
      } else if (text[j] === "'") break;
      else s += text[j];
    }
    return { value: s, raw: text.slice(i, j + 1) };
  }
  if (q === '"') {
    let s = '';
    let computed = false;
    let j = i + 1;
    for (; j < text.length && text[j] !== '"'; j++) {
      const c = text[j]!;
      if (c === '`' && j + 1 < text.length) {
        const e = text[++j]!;
        s += ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[e] ?? e;
      } else if (c === '$' && /[A-Za-z_({]/.test(text[j + 1] ?? '')) {
        computed = true;
        s += c;
      } else s += c;
    }
    return { value: computed ? null : s, raw: text.slice(i, j + 1) };
  }
  const end = /[\r\n;]|$/.exec(text.slice(i))!.index;
  const raw = text.slice(i, i + end).replace(/[\s,)]+$/, '');
  return { value: /^[A-Za-z0-9_./:+=@-]+$/.test(raw) ? raw : null, raw };
}

export function pwshAssignments(text: string, path: string): EnvAssignment[] {
  const joined = text.replace(/`\r?\n/g, (m) => ' '.repeat(m.length));
  const clean = withoutComments(joined);
  const at = lineIndex(text);
  const out: EnvAssignment[] = [];
  for (const re of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(clean); m; m = re.exec(clean)) {
      const name = (re === PATTERNS[1] ? m[2] : (m[1] ?? m[2]))!;
      const { value, raw } = valueAt(joined, m.index + m[0].length);
      const a: EnvAssignment = { name, value, ...at(m.index), path, raw: joined.slice(m.index, m.index + m[0].length) + raw };
      if (value === null) {
        const fetch = runtimeFetchOf(raw);
        if (fetch) a.runtimeFetch = fetch;
      }
      out.push(a);
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
