// Detection: text in, matches out. Pure and synchronous.
//
// Anchored on the marker, not on word boundaries: escapes glue letters to the key (`\nsk-`, `%20sk-`,
// `\u0022sk-`) and base64url keys may end in `-` or `_`, so `\b` fails on both sides. The right edge is
// the first character outside the key alphabet; the left edge is found by the family's shape.
import type { Confidence, FamilyId, Match, RuleId } from '../types.js';
import { FAMILY_RULES, FAMILY_SHAPES, MARKER, SESSION_PREFIX, SESSION_SHAPE, TYPED_NAMES, type Alphabet } from './rules.js';
import { looksRandom, looksRandomPair, shannonEntropy } from './gates.js';
import { findBase64Candidates } from './decode.js';
import { findEscapedRuns } from './unescape.js';
import { findJoined, type Piece } from './joined.js';
import type { OwnKeyIndex } from './own-keys.js';
import { ALNUM_CHAR, KEY_CHAR, isAlnum, isKeyChar } from './key-chars.js';
import { Utf16Counter } from './utf16-units.js';

export interface DetectOptions {
  /** text is raw bytes decoded as latin1: count columns in UTF-8 characters */
  bytes?: boolean;
  /** look inside base64 values and escaped keys (default true) */
  decode?: boolean;
  /** the user's own keys, recognised by hash */
  ownKeys?: OwnKeyIndex;
}

function allIn(text: string, from: number, to: number, alphabet: Alphabet): boolean {
  const table = alphabet === 'alnum' ? ALNUM_CHAR : KEY_CHAR;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || table[c] !== 1) return false;
  }
  return true;
}

/** Longest left part (prefix + half) we look back over from the marker. */
const MAX_LEFT = 270;
const MAX_SLUG = 64;
const MAX_UNKNOWN_HALF = 200;

interface Candidate {
  start: number;
  end: number;
  family: FamilyId;
  exact: boolean;
  typed: boolean;
  halves: [string, string];
}

function better(a: Candidate, b: Candidate | undefined): boolean {
  if (!b) return true;
  if (a.exact !== b.exact) return a.exact;
  if (a.typed !== b.typed) return a.typed;
  return a.start < b.start;
}

/** The key around the marker at `m`, or undefined when there is none (or it is a placeholder). */
function keyAtMarker(text: string, m: number): Candidate | undefined {
  const afterMarker = m + MARKER.length;
  let r = afterMarker;
  while (r < text.length && isKeyChar(text.charCodeAt(r))) r++;
  const rightRun = r - afterMarker;
  let l = m;
  while (l > 0 && m - l < MAX_LEFT && isKeyChar(text.charCodeAt(l - 1))) l--;

  // [l, r) is all key characters, so a base64url half that fits in it needs no look of its own; an
  // alphanumeric one needs the alphanumeric runs on each side, counted once (not per shape: this
  // runs on each key cold, where a loop over the halves per shape cost more than the rest)
  let leftAlnum = -1;
  let rightAlnum = -1;
  let best: Candidate | undefined;
  for (const shape of FAMILY_SHAPES) {
    const h = shape.half;
    const halfStart = m - h;
    if (rightRun < h || halfStart < l) continue;
    if (shape.alphabet === 'alnum') {
      if (leftAlnum < 0) {
        leftAlnum = 0;
        while (m - leftAlnum > l && isAlnum(text.charCodeAt(m - leftAlnum - 1))) leftAlnum++;
        rightAlnum = 0;
        while (afterMarker + rightAlnum < r && isAlnum(text.charCodeAt(afterMarker + rightAlnum))) rightAlnum++;
      }
      if (leftAlnum < h || rightAlnum < h) continue;
    }
    let start: number;
    if (shape.prefix !== null) {
      start = halfStart - shape.prefix.length;
      if (start < l || !text.startsWith(shape.prefix, start)) continue;
    } else {
      // `sk-<name>-`: the leftmost `sk-` that leaves a non-empty name that is not a typed prefix
      if (text.charCodeAt(halfStart - 1) !== 45 /* - */) continue;
      const nameEnd = halfStart - 1;
      let found = -1;
      for (let i = Math.max(l, nameEnd - 3 - MAX_SLUG); i <= nameEnd - 4; i++) {
        if (text.startsWith('sk-', i) && !TYPED_NAMES.has(text.slice(i + 3, nameEnd))) {
          found = i;
          break;
        }
      }
      if (found < 0) continue;
      start = found;
    }
    const cand: Candidate = {
      start,
      end: afterMarker + h,
      family: shape.id,
      exact: rightRun === h,
      typed: shape.prefix !== null && shape.prefix !== 'sk-',
      halves: [text.slice(halfStart, m), text.slice(afterMarker, afterMarker + h)],
    };
    if (better(cand, best)) best = cand;
  }
  if (best) return looksRandomPair(best.halves[0], best.halves[1]) ? best : undefined;

  // Not a known shape: still a key if it starts with `sk-`, has enough random text on both sides and passes the gates.
  if (rightRun < 16) return undefined;
  for (let i = Math.max(l, m - 3 - MAX_UNKNOWN_HALF); i <= m - 15; i++) {
    if (!text.startsWith('sk-', i)) continue;
    let body = text.slice(i + 3, m);
    const word = /^[A-Za-z]{2,12}-/.exec(body);
    if (word) body = body.slice(word[0].length);
    const right = text.slice(afterMarker, afterMarker + Math.min(rightRun, MAX_UNKNOWN_HALF));
    if (body.length < 12 || !looksRandomPair(body, right)) return undefined;
    return { start: i, end: afterMarker + right.length, family: 'unrecognised', exact: false, typed: false, halves: [body, right] };
  }
  return undefined;
}

const SESSION_BODY = SESSION_SHAPE.body;

// No left boundary here either: `\nsess-` and `%20sess-` are as common as for `sk-` keys, and 40 mixed
// random characters with a hard right edge are precision enough. The body is alphanumeric, so `-` and
// `_` end it like any other character outside it. No digit is required: 0.08% of random bodies have
// none; one case only (all but impossible at random) and the placeholder gates reject hand-made ones,
// with each half of the body taken as a random half.
function sessionAt(text: string, s: number): boolean {
  const bodyStart = s + SESSION_PREFIX.length;
  const end = bodyStart + SESSION_BODY;
  if (end > text.length || (end < text.length && isAlnum(text.charCodeAt(end)))) return false;
  if (!allIn(text, bodyStart, end, 'alnum')) return false;
  const body = text.slice(bodyStart, end);
  const half = SESSION_BODY / 2;
  return shannonEntropy(body) >= 3.8 && /[a-z]/.test(body) && /[A-Z]/.test(body) && looksRandom(body) && looksRandomPair(body.slice(0, half), body.slice(half));
}

function confidenceOf(family: FamilyId): Confidence {
  if (family === 'session_45') return 'low';
  return family === 'unrecognised' ? 'medium' : 'high';
}

interface RawMatch {
  secret: string;
  family: FamilyId;
  start: number;
  end: number;
  decoded?: Match['decoded'];
  ownKey?: string;
  pieces?: Piece[];
  joinedLines?: number;
}

/** Matches in plain text, without decoding. */
function findPlain(text: string): RawMatch[] {
  const out: RawMatch[] = [];
  let from = 0;
  for (;;) {
    const m = text.indexOf(MARKER, from);
    if (m < 0) break;
    const cand = keyAtMarker(text, m);
    if (cand && (out.length === 0 || cand.start >= out[out.length - 1]!.end)) {
      out.push({ secret: text.slice(cand.start, cand.end), family: cand.family, start: cand.start, end: cand.end });
      from = Math.max(m + MARKER.length, cand.end);
    } else {
      from = m + MARKER.length;
    }
  }
  from = 0;
  for (;;) {
    const s = text.indexOf(SESSION_PREFIX, from);
    if (s < 0) break;
    from = s + SESSION_PREFIX.length;
    if (sessionAt(text, s)) {
      const end = s + SESSION_PREFIX.length + SESSION_BODY;
      out.push({ secret: text.slice(s, end), family: 'session_45', start: s, end });
    }
  }
  return out;
}

/**
 * The key as a string of its own. A slice of the text shares the text's characters in V8, and a
 * finding lives until the report: every window of a large file that held a key stayed in memory (a
 * 525 MB log file peaked at 715 MB). Keys are ASCII, so Latin-1 copies them exactly.
 */
function ownCopy(key: string): string {
  return Buffer.from(key, 'latin1').toString('latin1');
}

/**
 * Line starts are found lazily, in one forward pass over sorted offsets. For bytes, a column is the
 * UTF-16 units of the decoded line before the match, counted on from the previous match on the same
 * line: a minified file is one line, and counting from its start for every match was quadratic (a 50 MB
 * line with 48 keys took 2.5 s).
 */
function placeAll(text: string, raws: RawMatch[], bytes: boolean): Match[] {
  raws.sort((a, b) => a.start - b.start);
  const out: Match[] = [];
  let line = 1;
  let lineStart = 0;
  let pos = 0;
  const units = bytes ? new Utf16Counter() : undefined;
  let counted = 0;
  let column = 1;
  let allowFrom = -1;
  let allowTo = -1;
  let allowed = false;
  for (const r of raws) {
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0 || nl >= r.start) break;
      line++;
      lineStart = nl + 1;
      pos = nl + 1;
    }
    if (!units) column = r.start - lineStart + 1;
    else {
      // Columns in UTF-16 code units of the decoded line (SARIF's default), each invalid sequence one
      if (counted < lineStart) {
        units.reset();
        counted = lineStart;
        column = 1;
      }
      if (r.start > counted) {
        column += units.count(Buffer.from(text.slice(counted, r.start), 'latin1'), 0, r.start - counted);
        counted = r.start;
      }
    }
    const matchColumn = units ? column + units.pending : column;
    // a joined key's allow comment may sit on any of its lines (after the last piece of a concatenation)
    let lineEnd = text.indexOf('\n', r.pieces ? r.pieces[r.pieces.length - 1]!.end : r.end);
    if (lineEnd < 0) lineEnd = text.length;
    // (asked once per line: a long line holds many keys)
    if (lineStart !== allowFrom || lineEnd !== allowTo) {
      allowFrom = lineStart;
      allowTo = lineEnd;
      allowed = text.slice(lineStart, lineEnd).includes('keyguard:allow');
    }
    const family = r.family;
    const ruleId: RuleId = FAMILY_RULES[family];
    const match: Match = {
      secret: ownCopy(r.secret),
      family,
      ruleId,
      confidence: confidenceOf(family),
      start: r.start,
      end: r.end,
      line,
      column: matchColumn,
      allowed,
    };
    if (r.decoded) match.decoded = r.decoded;
    if (r.pieces) {
      match.pieces = r.pieces;
      match.joinedLines = r.joinedLines ?? 1;
    }
    if (r.ownKey) match.ownKey = r.ownKey;
    out.push(match);
  }
  return out;
}

/**
 * Keys with escapes inside, reported over their escaped text. A key an escape only borders (`%20sk-…`)
 * is plain and already found; a plain match inside an escaped key's span is a fragment of it.
 */
function findEscaped(text: string, raws: RawMatch[]): RawMatch[] {
  const found: RawMatch[] = [];
  for (const run of findEscapedRuns(text)) {
    for (const inner of findPlain(run.decoded)) {
      const kind = run.escapes.slice(inner.start, inner.end).find((e) => e !== undefined);
      if (!kind) continue;
      found.push({ secret: inner.secret, family: inner.family, start: run.offsets[inner.start]!, end: run.offsets[inner.end]!, decoded: kind });
    }
  }
  if (found.length === 0) return raws;
  const kept = raws.filter((r) => !found.some((f) => r.start < f.end && f.start < r.end));
  return [...kept, ...found];
}

/** A joined text is a key when it is exactly one key of a known shape, gates passed: its family. */
function exactKey(joined: string): FamilyId | undefined {
  const found = findPlain(joined);
  const m = found[0];
  return found.length === 1 && m!.start === 0 && m!.end === joined.length && m!.family !== 'unrecognised' ? m!.family : undefined;
}

/** `[from, to)` overlaps one of `spans`, which are sorted by start and do not overlap each other. */
function overlapsAny(spans: readonly { start: number; end: number }[], from: number, to: number): boolean {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.start < to) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && spans[lo - 1]!.end > from;
}

/**
 * Keys split across lines or string pieces (joined.ts), reported at the first piece. A fragment the
 * first piece alone left behind (an "unrecognised shape") is part of the joined key, not another one.
 */
function withJoined(text: string, raws: RawMatch[], bytes: boolean): RawMatch[] {
  // keys found whole do not overlap: sorted by start, their ends are sorted too, so the last one that
  // starts before `to` is the only one to check (a file of 10,000 keys must not cost 10,000 each)
  const whole = raws.filter((r) => r.family !== 'unrecognised').sort((a, b) => a.start - b.start);
  const taken = (from: number, to: number): boolean => overlapsAny(whole, from, to);
  const joined = findJoined(text, exactKey, taken, bytes);
  if (joined.length === 0) return raws;
  // pieces never overlap each other: sorted, the same single check finds a match that overlaps one
  const pieces = joined.flatMap((j) => j.pieces).sort((a, b) => a.start - b.start);
  const kept = raws.filter((r) => !overlapsAny(pieces, r.start, r.end));
  for (const j of joined) {
    const first = j.pieces[0]!;
    kept.push({ secret: j.secret, family: j.family, start: first.start, end: first.end, decoded: 'joined', pieces: j.pieces, joinedLines: j.lines });
  }
  return kept;
}

/** Every OpenAI credential in `text`, in order of position. */
export function detect(text: string, opts: DetectOptions = {}): Match[] {
  let raws = findPlain(text);
  if (opts.decode !== false) {
    raws = findEscaped(text, raws);
    raws = withJoined(text, raws, opts.bytes === true);
    for (const run of findBase64Candidates(text)) {
      for (const inner of findPlain(run.decoded)) {
        raws.push({ secret: inner.secret, family: inner.family, start: run.start, end: run.end, decoded: 'base64' });
      }
    }
  }
  if (opts.ownKeys) {
    for (const raw of raws) {
      const label = opts.ownKeys.labelOf(raw.secret);
      if (label) raw.ownKey = label;
    }
    for (const hit of opts.ownKeys.findIn(text)) {
      if (raws.some((r) => r.start <= hit.start && hit.start < r.end)) continue;
      raws.push({ secret: text.slice(hit.start, hit.end), family: 'own_key', start: hit.start, end: hit.end, ownKey: hit.label });
    }
  }
  return placeAll(text, raws, opts.bytes === true);
}
