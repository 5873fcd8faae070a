// One ignore glob (braces already expanded) → states of a Thompson NFA.
//
// Why not picomatch's regular expressions: V8 runs them by backtracking, so `*a*a*a*a*a*a*b` against a
// long name tries every way to split it among the stars (minutes for one path). An NFA holds every
// "where could we be" at once, so a path costs (its length × the pattern's size) however the stars fall.
//
// The syntax is micromatch's, with `dot: true`: `*` and `?` never cross `/`; `**` as a whole segment
// matches any number of segments (`a/**` also matches `a`, `**/b` also `b`), elsewhere it is `*`;
// `[…]` classes with `!`/`^`, ranges and `[:alpha:]`-style names; `(a|b)`, `@(…)`, `?(…)`, `+(…)`, `*(…)`;
// `\` escapes the next character. `!(…)` is refused: its complement cannot be held by an NFA.
import { UsageError } from '../errors.js';
import { BRACE_EDGE, classEnd } from './glob-braces.js';

export type CharTest = (code: number) => boolean;

type Node =
  | { t: 'char'; test: CharTest }
  | { t: 'many'; test: CharTest }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; branches: Node[] }
  | { t: 'repeat'; node: Node; min: 0 | 1; many: boolean };

/** A state reads one character (`test`, then `out[0]`) or moves without reading (every `out`). */
export interface NfaState {
  test?: CharTest;
  out: number[];
}

export const MAX_STATES = 200_000;
const SLASH = 0x2f;
const notSlash: CharTest = (c) => c !== SLASH;
const anyChar: CharTest = () => true;

/** States shared by every glob of one set; state 0 is the one accepting state. */
export class Nfa {
  readonly states: NfaState[] = [{ out: [] }];

  add(state: NfaState): number {
    if (this.states.length >= MAX_STATES) throw new UsageError(`ignore patterns are too large (over ${MAX_STATES} states)`);
    this.states.push(state);
    return this.states.length - 1;
  }
}

/** Parse `glob`; `orBelow` also matches every path under what it matches (`p` or `p/…`). Returns its start state. */
export function compileGlob(nfa: Nfa, glob: string, orBelow: boolean): number {
  const node = parseGlob(glob);
  const whole: Node = orBelow ? { t: 'seq', items: [node, { t: 'repeat', node: below(), min: 0, many: false }] } : node;
  return build(nfa, whole, 0);
}

function below(): Node {
  return { t: 'seq', items: [literal(SLASH), { t: 'many', test: anyChar }] };
}

export function parseGlob(glob: string): Node {
  return parseSeq(glob, 0, glob.length, true);
}

function literal(code: number): Node {
  return { t: 'char', test: (c) => c === code };
}

function parseSeq(s: string, from: number, to: number, globstars: boolean): Node {
  const items: Node[] = [];
  /** the node of an unescaped `/`, so that a final `/**` knows it may make it optional */
  const slashRead = literal(SLASH);
  let i = from;
  while (i < to) {
    const c = s[i] as string;
    if (c === BRACE_EDGE) {
      i++;
      continue;
    }
    if (c === '\\' && i + 1 < to) {
      const code = s.codePointAt(i + 1) as number;
      items.push(literal(code));
      i += 1 + (code > 0xffff ? 2 : 1);
      continue;
    }
    if ('?@+*!'.includes(c) && s[i + 1] === '(') {
      const close = groupEnd(s, i + 1, to);
      if (close > 0) {
        if (c === '!') throw new UsageError(`ignore pattern ${JSON.stringify(s)}: !(…) is not supported; use a ! line to re-include`);
        const node = alternatives(s, i + 2, close);
        if (c === '@') items.push(node);
        else items.push({ t: 'repeat', node, min: c === '+' ? 1 : 0, many: c !== '?' });
        i = close + 1;
        continue;
      }
    }
    if (c === '*') {
      let j = i;
      while (j < to && s[j] === '*') j++;
      const wholeSegment = globstars && j - i === 2 && (i === from || s[i - 1] === '/') && (j === to || s[j] === '/');
      if (!wholeSegment) {
        items.push({ t: 'many', test: notSlash });
      } else if (j < to) {
        // `**/`: any number of whole segments, none included
        items.push({ t: 'repeat', node: { t: 'seq', items: [{ t: 'many', test: anyChar }, literal(SLASH)] }, min: 0, many: false });
        j++;
      } else if (i > from && items.at(-1) === slashRead && items.at(-2)?.t !== 'many') {
        // `a/**`: the `/` already read becomes optional with what follows, so `a` itself matches;
        // as in micromatch, not after a star (`*/**` is what is inside folders, not every name)
        items.pop();
        items.push({ t: 'repeat', node: below(), min: 0, many: false });
      } else {
        items.push({ t: 'many', test: anyChar });
      }
      i = j;
      continue;
    }
    if (c === '(') {
      const close = groupEnd(s, i, to);
      if (close > 0) {
        items.push(alternatives(s, i + 1, close));
        i = close + 1;
        continue;
      }
    }
    if (c === '?') {
      items.push({ t: 'char', test: notSlash });
      i++;
      continue;
    }
    if (c === '[') {
      const close = classEnd(s, i);
      if (close > 0 && close < to) {
        items.push({ t: 'char', test: classTest(s.slice(i + 1, close)) });
        i = close + 1;
        continue;
      }
    }
    const code = s.codePointAt(i) as number;
    items.push(code === SLASH ? slashRead : literal(code));
    i += code > 0xffff ? 2 : 1;
  }
  return items.length === 1 ? (items[0] as Node) : { t: 'seq', items };
}

/** `|`-separated branches between `from` and `to` (exclusive), as one node. */
function alternatives(s: string, from: number, to: number): Node {
  const branches: Node[] = [];
  let depth = 0;
  let start = from;
  for (let j = from; j < to; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      branches.push(parseSeq(s, start, j, false));
      start = j + 1;
    }
  }
  branches.push(parseSeq(s, start, to, false));
  return branches.length === 1 ? (branches[0] as Node) : { t: 'alt', branches };
}

/** Index of the `)` matching the `(` at `open`, or -1 (then the `(` is literal). */
function groupEnd(s: string, open: number, to: number): number {
  let depth = 0;
  for (let j = open; j < to; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === '[') {
      const close = classEnd(s, j);
      if (close > 0) j = close;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j;
  }
  return -1;
}

const POSIX: Record<string, CharTest> = {
  alnum: (c) => isIn(c, 0x30, 0x39) || isIn(c, 0x41, 0x5a) || isIn(c, 0x61, 0x7a),
  alpha: (c) => isIn(c, 0x41, 0x5a) || isIn(c, 0x61, 0x7a),
  ascii: (c) => c <= 0x7f,
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => isIn(c, 0x30, 0x39),
  graph: (c) => isIn(c, 0x21, 0x7e),
  lower: (c) => isIn(c, 0x61, 0x7a),
  print: (c) => isIn(c, 0x20, 0x7e),
  punct: (c) => isIn(c, 0x21, 0x2f) || isIn(c, 0x3a, 0x40) || isIn(c, 0x5b, 0x60) || isIn(c, 0x7b, 0x7e),
  space: (c) => c === 0x20 || isIn(c, 0x09, 0x0d),
  upper: (c) => isIn(c, 0x41, 0x5a),
  word: (c) => c === 0x5f || isIn(c, 0x30, 0x39) || isIn(c, 0x41, 0x5a) || isIn(c, 0x61, 0x7a),
  xdigit: (c) => isIn(c, 0x30, 0x39) || isIn(c, 0x41, 0x46) || isIn(c, 0x61, 0x66),
};

function isIn(c: number, lo: number, hi: number): boolean {
  return c >= lo && c <= hi;
}

/** The body of `[…]` (without the brackets) → a test; a class never matches `/`. */
function classTest(body: string): CharTest {
  let i = 0;
  const negate = body[0] === '!' || body[0] === '^';
  if (negate) i++;
  const parts: CharTest[] = [];
  const codes: number[] = [];
  while (i < body.length) {
    if (body.startsWith('[:', i)) {
      const close = body.indexOf(':]', i + 2);
      const named = close > 0 ? POSIX[body.slice(i + 2, close)] : undefined;
      if (named) {
        parts.push(named);
        i = close + 2;
        continue;
      }
    }
    let lo = body.codePointAt(i) as number;
    if (lo === 0x5c && i + 1 < body.length) {
      i++;
      lo = body.codePointAt(i) as number;
    }
    i += lo > 0xffff ? 2 : 1;
    if (body[i] === '-' && i + 1 < body.length) {
      let hi = body.codePointAt(i + 1) as number;
      let width = hi > 0xffff ? 2 : 1;
      if (hi === 0x5c && i + 2 < body.length) {
        hi = body.codePointAt(i + 2) as number;
        width += hi > 0xffff ? 2 : 1;
      }
      parts.push((c) => isIn(c, lo, hi));
      i += 1 + width;
      continue;
    }
    codes.push(lo);
  }
  const set = new Set(codes);
  const inClass: CharTest = (c) => set.has(c) || parts.some((p) => p(c));
  return negate ? (c) => c !== SLASH && !inClass(c) : (c) => c !== SLASH && inClass(c);
}

function build(nfa: Nfa, node: Node, next: number): number {
  switch (node.t) {
    case 'char':
      return nfa.add({ test: node.test, out: [next] });
    case 'many': {
      const loop: NfaState = { out: [] };
      const at = nfa.add(loop);
      loop.out = [nfa.add({ test: node.test, out: [at] }), next];
      return at;
    }
    case 'seq': {
      let at = next;
      for (let k = node.items.length - 1; k >= 0; k--) at = build(nfa, node.items[k] as Node, at);
      return at;
    }
    case 'alt':
      return nfa.add({ out: node.branches.map((b) => build(nfa, b, next)) });
    case 'repeat': {
      if (!node.many) return nfa.add({ out: [build(nfa, node.node, next), next] });
      const loop: NfaState = { out: [] };
      const at = nfa.add(loop);
      const body = build(nfa, node.node, at);
      loop.out = [body, next];
      return node.min === 1 ? body : at;
    }
  }
}
