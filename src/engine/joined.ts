// Keys split across lines: wrapped by a terminal or a logger at a fixed width, or cut into pieces by
// source concatenation (`"sk-proj-…" +` / `"…"`, Python's implicit concatenation, shell `\`
// continuation). The marker itself may be cut, so it cannot be the trace; the trace is the start
// `sk-` (or `sess-`) whose run of key characters stops at a place where text goes on elsewhere:
//
//   - a line break (a wrap, or a reader that already dropped a `\` continuation),
//   - `\` then a line break (shell continuation inside a word),
//   - a quote followed, after spaces, by `+`, a line break, another quote or `\` (concatenation).
//
// `hasSplitTrace` is that test on raw bytes: one native search for `sk-` and a short forward look at
// each hit, so text without such a place costs one pass (`sess-` needs none: the prefilter's session
// needle already lets every `sess-` through). `findJoined` follows the pieces from each trace and keeps
// a join only when the joined text is exactly one known family shape that passes the same gates as any
// key (the caller's `exactKey`): with the marker at its exact index, a chance join of unrelated text is
// practically impossible. Rows cut by a wrap must also share one width (a fixed column); the first
// exact join wins, so a key that ends where a row ends is not extended by the next row.
// Not covered: a cut inside `sk-` or `sess-` themselves (the trace needs the whole start).
import type { FamilyId } from '../types.js';
import { isKeyChar } from './key-chars.js';
import { FAMILY_SHAPES, MARKER, SESSION_PREFIX, SESSION_SHAPE } from './rules.js';

export interface Piece {
  start: number;
  end: number;
}

export interface JoinedKey {
  secret: string;
  family: FamilyId;
  pieces: Piece[];
  /** lines the pieces are on (1 for a concatenation on one line) */
  lines: number;
}

/** The family `joined` is exactly one key of (the whole text, a known shape, gates passed), else undefined. */
export type ExactKey = (joined: string) => FamilyId | undefined;

const KEY_START = 'sk-';
/** Longest name of a named service account (`sk-<name>-`) detection looks at. */
const MAX_SLUG = 64;

/** The longest key of any known shape: a longer run cannot be the start of a split key. */
export const MAX_KEY_LENGTH = Math.max(
  SESSION_SHAPE.prefix.length + SESSION_SHAPE.body,
  ...FAMILY_SHAPES.map((f) => (f.prefix ?? `sk-${'n'.repeat(MAX_SLUG)}-`).length + 2 * f.half + MARKER.length),
);

/** Pieces per key, and candidate pieces tried per trace: bounds the work on adversarial text. */
const MAX_PIECES = 24;
const MAX_STEPS = 256;
/** Whitespace (and one `+`) between two concatenated strings. */
const MAX_GAP = 256;

const LF = 10;
const CR = 13;
const BACKSLASH = 92;
const PLUS = 43;

function isQuote(c: number): boolean {
  return c === 34 /* " */ || c === 39 /* ' */ || c === 96; /* ` */
}

function isBreak(c: number): boolean {
  return c === LF || c === CR;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

type Text = Buffer | string;

function codeAt(d: Text, i: number): number {
  if (i >= d.length) return -1;
  return typeof d === 'string' ? d.charCodeAt(i) : d[i]!;
}

/** End of the run of key characters from `from`, looking at most `limit` characters. */
function runEnd(d: Text, from: number, limit: number): number {
  let r = from;
  const stop = Math.min(d.length, from + limit);
  while (r < stop && isKeyChar(codeAt(d, r))) r++;
  return r;
}

/** The text goes on elsewhere after `r`: a line break, `\` + line break, or a closing quote that is concatenated. */
function continuesAt(d: Text, r: number): boolean {
  const c = codeAt(d, r);
  if (isBreak(c)) return true;
  if (c === BACKSLASH) return isBreak(codeAt(d, r + 1));
  if (!isQuote(c)) return false;
  let j = r + 1;
  while (isBlank(codeAt(d, j))) j++;
  const n = codeAt(d, j);
  return n === PLUS || isBreak(n) || isQuote(n) || n === BACKSLASH;
}

/** The trace of a split key in raw bytes or text: an `sk-` run that stops where text continues elsewhere. */
export function hasSplitTrace(d: Text): boolean {
  for (let i = d.indexOf(KEY_START); i >= 0; i = d.indexOf(KEY_START, i + KEY_START.length)) if (splitTraceAt(d, i)) return true;
  return false;
}

/** The `sk-` at `i` starts a split key's trace: its run of key characters stops where the text continues elsewhere. */
export function splitTraceAt(d: Text, i: number): boolean {
  const r = runEnd(d, i, MAX_KEY_LENGTH);
  return r - i < MAX_KEY_LENGTH && continuesAt(d, r);
}

// ---- following the pieces (text only: `detect` runs on strings) ----

type Kind = 'wrap' | 'shell' | 'quote';

interface Next {
  start: number;
  kind: Kind;
}

function lineStartOf(text: string, i: number): number {
  return text.lastIndexOf('\n', i - 1) + 1;
}

/** After the line break at `r` (`\n` or `\r\n`), the next line's start; -1 when there is none. */
function afterBreak(text: string, r: number): number {
  if (text.charCodeAt(r) === CR) r++;
  return text.charCodeAt(r) === LF ? r + 1 : -1;
}

/** Width of a line in characters: raw UTF-8 bytes (latin1 text) count once per character. */
function widthOf(text: string, from: number, to: number, bytes: boolean): number {
  if (text.charCodeAt(to - 1) === CR) to--;
  if (!bytes) return to - from;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80 || c > 0xbf) n++;
  }
  return n;
}

/** Digits, letters and everything else: log prefixes keep their shape while timestamps and levels change. */
function classOf(c: number): number {
  if (c >= 48 && c <= 57) return 0;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return 1;
  return c + 2;
}

/**
 * Where a wrapped line's continuation may start: column 1, after the indentation, or after a prefix
 * like the one the line before starts with (same text, or same shape: a logger's `ts level | `). The
 * prefix is never longer than where the piece began on the line before.
 */
function wrapStarts(text: string, prevLine: number, prevPiece: number, next: number): number[] {
  const maxPrefix = prevPiece - prevLine;
  const out: number[] = [next];
  let ws = next;
  while (ws - next < maxPrefix && isBlank(text.charCodeAt(ws))) ws++;
  out.push(ws);
  let same = 0;
  let shape = 0;
  while (shape < maxPrefix && next + shape < text.length) {
    const a = text.charCodeAt(prevLine + shape);
    const b = text.charCodeAt(next + shape);
    if (isBreak(b) || classOf(a) !== classOf(b)) break;
    if (same === shape && a === b) same++;
    shape++;
  }
  for (const limit of [same, shape]) {
    for (let p = limit; p > 0; p--) {
      if (!isKeyChar(text.charCodeAt(next + p - 1))) {
        out.push(next + p);
        break;
      }
    }
  }
  // the longest prefix first: a logger's prefix may itself be key characters (`web-1  | `) and must not join
  return [...new Set(out)].filter((p) => isKeyChar(text.charCodeAt(p))).sort((a, b) => b - a);
}

/** The opening of the next string after a closing quote at `r`: `"a" + "b"`, `"a"\n  "b"`, `"a"\n  + "b"`, `"a" \`. */
function concatStart(text: string, r: number): number {
  let j = r + 1;
  let plus = false;
  for (;;) {
    if (j - r > MAX_GAP) return -1;
    const c = text.charCodeAt(j);
    if (isBlank(c) || isBreak(c)) j++;
    else if (c === BACKSLASH && isBreak(text.charCodeAt(j + 1))) j += 2;
    else if (c === PLUS && !plus) {
      plus = true;
      j++;
    } else break;
  }
  // string prefixes: Python r/b/f/u, C# @ and $
  for (let k = 0; k < 2 && /[rRbBfFuU@$]/.test(text[j] ?? ''); k++) j++;
  return isQuote(text.charCodeAt(j)) ? j + 1 : -1;
}

/** Where the key may go on after its piece ended at `r`. */
function nextStarts(text: string, r: number, prevLine: number, prevPiece: number): Next[] {
  const c = text.charCodeAt(r);
  if (isBreak(c)) {
    const next = afterBreak(text, r);
    return next < 0 ? [] : wrapStarts(text, prevLine, prevPiece, next).map((start) => ({ start, kind: 'wrap' as const }));
  }
  if (c === BACKSLASH) {
    const next = afterBreak(text, r + 1);
    if (next < 0) return [];
    let ws = next;
    while (isBlank(text.charCodeAt(ws))) ws++;
    return [...new Set([ws, next])].filter((p) => isKeyChar(text.charCodeAt(p))).map((start) => ({ start, kind: 'shell' as const }));
  }
  if (isQuote(c)) {
    const start = concatStart(text, r);
    return start >= 0 && isKeyChar(text.charCodeAt(start)) ? [{ start, kind: 'quote' }] : [];
  }
  return [];
}

interface Search {
  text: string;
  bytes: boolean;
  exact: ExactKey;
  steps: number;
}

/**
 * Depth first over the possible next pieces; the first exact key wins (the shortest: a key that ends
 * where a wrapped line ends is not extended by the next line's text). Lines cut by a wrap must all
 * have one width: a wrap at a fixed column.
 */
function follow(s: Search, pieces: Piece[], joined: string, wrapWidth: number): { pieces: Piece[]; family: FamilyId } | undefined {
  if (++s.steps > MAX_STEPS || pieces.length >= MAX_PIECES) return undefined;
  const last = pieces[pieces.length - 1]!;
  const line = lineStartOf(s.text, last.start);
  for (const next of nextStarts(s.text, last.end, line, last.start)) {
    let width = wrapWidth;
    if (next.kind === 'wrap') {
      const w = widthOf(s.text, line, last.end, s.bytes);
      if (width >= 0 && w !== width) continue;
      width = w;
    }
    const end = runEnd(s.text, next.start, MAX_KEY_LENGTH - joined.length);
    if (joined.length + end - next.start >= MAX_KEY_LENGTH && isKeyChar(s.text.charCodeAt(end))) continue;
    const piece = { start: next.start, end };
    const more = joined + s.text.slice(next.start, end);
    const family = s.exact(more);
    if (family) return { pieces: [...pieces, piece], family };
    const found = follow(s, [...pieces, piece], more, width);
    if (found) return found;
  }
  return undefined;
}

function linesBetween(text: string, from: number, to: number): number {
  let n = 1;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Every trace site: `sk-` and `sess-` starts, in order. */
function sites(text: string): number[] {
  const out: number[] = [];
  for (const start of [KEY_START, SESSION_PREFIX]) {
    for (let i = text.indexOf(start); i >= 0; i = text.indexOf(start, i + start.length)) out.push(i);
  }
  return out.sort((a, b) => a - b);
}

/**
 * Keys split into pieces, each followed from a trace; `taken` says a place already belongs to a key
 * found whole (its start is no trace, and no piece may overlap it).
 */
export function findJoined(text: string, exact: ExactKey, taken: (from: number, to: number) => boolean, bytes = false): JoinedKey[] {
  const out: JoinedKey[] = [];
  // pieces of joined keys that end after the current site: a site inside one is no new key
  let open: Piece[] = [];
  for (const site of sites(text)) {
    open = open.filter((p) => p.end > site);
    if (open.some((p) => p.start <= site) || taken(site, site + 1)) continue;
    const end = runEnd(text, site, MAX_KEY_LENGTH);
    if (end - site >= MAX_KEY_LENGTH || !continuesAt(text, end)) continue;
    const first = { start: site, end };
    const found = follow({ text, bytes, exact, steps: 0 }, [first], text.slice(site, end), -1);
    if (!found || found.pieces.some((p) => taken(p.start, p.end))) continue;
    const { pieces, family } = found;
    const lastEnd = pieces[pieces.length - 1]!.end;
    out.push({ secret: pieces.map((p) => text.slice(p.start, p.end)).join(''), family, pieces, lines: linesBetween(text, site, lastEnd) });
    open.push(...pieces);
  }
  return out;
}
