// Brace expansion for ignore globs: `{a,b}`, nested braces, `{1..9}`, `{01..10}`, `{a..e}`, `{1..9..2}`.
// Expanded once, when the ignore file is loaded, so the matcher never sees a brace. The number of
// alternatives is bounded: `{a,b}{a,b}…` doubles with every pair, and a line must not cost unbounded memory.
import { UsageError } from '../errors.js';

export const MAX_ALTERNATIVES = 1000;
/**
 * Put around every expanded alternative, and skipped by the parser: an expansion never glues tokens
 * together (`?{a,}(b)` must not become the extglob `?(b)`, nor `*{a,}*` a globstar).
 */
export const BRACE_EDGE = '\u0000';

interface Brace {
  start: number;
  end: number;
  alternatives: string[];
}

export function expandBraces(pattern: string, limit = MAX_ALTERNATIVES): string[] {
  const out: string[] = [];
  const work = [pattern.replaceAll(BRACE_EDGE, '')];
  while (work.length > 0) {
    const s = work.shift() as string;
    const brace = firstBrace(s, limit);
    if (!brace) {
      out.push(s);
      continue;
    }
    // every string in `work` ends as at least one output, so this bounds the final count
    if (out.length + work.length + brace.alternatives.length > limit) {
      throw new UsageError(`ignore pattern ${JSON.stringify(pattern)} expands to more than ${limit} alternatives`);
    }
    for (const alt of brace.alternatives) work.push(s.slice(0, brace.start) + BRACE_EDGE + alt + BRACE_EDGE + s.slice(brace.end + 1));
  }
  return out;
}

/** The first `{…}` that is a real brace (a top-level comma or a range); others stay literal. */
function firstBrace(s: string, limit: number): Brace | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      const close = classEnd(s, i);
      if (close > 0) i = close;
      continue;
    }
    if (c !== '{') continue;
    const found = braceAt(s, i, limit);
    if (found) return found;
  }
  return undefined;
}

function braceAt(s: string, start: number, limit: number): Brace | undefined {
  let depth = 0;
  const commas: number[] = [];
  for (let j = start; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') {
      j++;
    } else if (c === '[') {
      const close = classEnd(s, j);
      if (close > 0) j = close;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth > 0) continue;
      const body = s.slice(start + 1, j);
      if (commas.length > 0) {
        const cuts = [start, ...commas, j];
        return { start, end: j, alternatives: cuts.slice(1).map((cut, k) => s.slice((cuts[k] as number) + 1, cut)) };
      }
      const range = expandRange(body, limit);
      return range ? { start, end: j, alternatives: range } : undefined;
    } else if (c === ',' && depth === 1) {
      commas.push(j);
    }
  }
  return undefined;
}

/** Index of the `]` closing a class opened at `open`, or -1 (then the `[` is literal). */
export function classEnd(s: string, open: number): number {
  let j = open + 1;
  if (s[j] === '!' || s[j] === '^') j++;
  if (s[j] === ']') j++;
  for (; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '[' && s[j + 1] === ':') {
      const close = s.indexOf(':]', j + 2);
      if (close > 0) j = close + 1;
    } else if (s[j] === ']') return j;
    else if (s[j] === '/') return -1;
  }
  return -1;
}

function expandRange(body: string, limit: number): string[] | undefined {
  const num = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(body);
  if (num) {
    const [, a = '', b = '', stepText] = num;
    const from = Number(a);
    const to = Number(b);
    const step = Math.max(1, Math.abs(Number(stepText ?? '1')));
    if (Math.abs(to - from) / step + 1 > limit) {
      throw new UsageError(`ignore pattern range {${body}} has more than ${limit} values`);
    }
    const padded = /^-?0\d/.test(a) || /^-?0\d/.test(b);
    const width = padded ? Math.max(a.replace('-', '').length, b.replace('-', '').length) : 0;
    const out: string[] = [];
    const dir = to >= from ? 1 : -1;
    for (let v = from; dir > 0 ? v <= to : v >= to; v += dir * step) {
      const digits = String(Math.abs(v)).padStart(width, '0');
      out.push(v < 0 ? `-${digits}` : digits);
    }
    return out;
  }
  const letters = /^([a-zA-Z])\.\.([a-zA-Z])$/.exec(body);
  if (letters) {
    const from = (letters[1] as string).charCodeAt(0);
    const to = (letters[2] as string).charCodeAt(0);
    const dir = to >= from ? 1 : -1;
    const out: string[] = [];
    for (let v = from; dir > 0 ? v <= to : v >= to; v += dir) out.push(String.fromCharCode(v));
    return out;
  }
  return undefined;
}
