// Keys written with escapes inside them: `sk%2Dproj%2D…%5F…` (URLs, form bodies, logs), `sk\u002dproj…`
// (JSON, JavaScript) and `sk&#45;proj&#x2d;…` (HTML). Encoders escape `-` and `_` but never letters or
// digits, so the marker stays literal and serves as the anchor; session keys have no marker and are
// anchored on `sess` right before an escape. Only the text around an anchor is decoded, and only when
// it holds an escape: text without one costs a character test per marker.
import { isKeyChar } from './key-chars.js';
import { MARKER } from './rules.js';

export type Escape = 'percent' | 'unicode' | 'html';

/** Where an escaped session key starts: `sess` then the escape of its `-` (prefilter.ts looks for `sess` + `%`/`\`/`&`). */
export const ESCAPED_SESSION_STARTS: readonly string[] = ['sess%2', 'sess\\u00', 'sess&#'];

export interface UnescapedRun {
  /** offsets of the run in the original text */
  start: number;
  end: number;
  decoded: string;
  /** original offset of each decoded character, and one past the last */
  offsets: number[];
  /** the escape each decoded character came from, or undefined for a literal character */
  escapes: (Escape | undefined)[];
}

/** Characters a run of escaped key text is made of: the key alphabet and the escapes' own (`%2D`, `\u002d`, `&#45;`). */
export function inEscapedRun(c: number): boolean {
  return isKeyChar(c) || c === 37 /* % */ || c === 92 /* \ */ || c === 38 /* & */ || c === 35 /* # */ || c === 59; /* ; */
}

function hex(text: string, from: number, n: number): number {
  if (from + n > text.length) return -1;
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const d = parseInt(text[i]!, 16);
    if (Number.isNaN(d)) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** The escape at `i` when it stands for a key character: that character and the escape's length. */
function escapeAt(text: string, i: number): { code: number; length: number; kind: Escape } | undefined {
  const c = text.charCodeAt(i);
  if (c === 37) {
    const v = hex(text, i + 1, 2);
    return v >= 0 && isKeyChar(v) ? { code: v, length: 3, kind: 'percent' } : undefined;
  }
  if (c === 92 && text.charCodeAt(i + 1) === 117 /* u */) {
    const v = hex(text, i + 2, 4);
    return v >= 0 && isKeyChar(v) ? { code: v, length: 6, kind: 'unicode' } : undefined;
  }
  if (c === 38 && text.charCodeAt(i + 1) === 35) {
    const x = text.charCodeAt(i + 2) | 0x20;
    const radix = x === 120 /* x */ ? 16 : 10;
    let j = radix === 16 ? i + 3 : i + 2;
    const digitsFrom = j;
    while (j < text.length && j - digitsFrom < 7 && !Number.isNaN(parseInt(text[j]!, radix))) j++;
    if (j === digitsFrom || text.charCodeAt(j) !== 59 /* ; */) return undefined;
    const v = parseInt(text.slice(digitsFrom, j), radix);
    return isKeyChar(v) ? { code: v, length: j + 1 - i, kind: 'html' } : undefined;
  }
  return undefined;
}

/** Longest stretch of escaped key text we look at on each side of an anchor (a 167-char key with every `-`/`_` as `&#x2d;`). */
const MAX_SIDE = 1200;

function decodeWindow(text: string, a: number, b: number): UnescapedRun | undefined {
  let decoded = '';
  const offsets: number[] = [];
  const escapes: (Escape | undefined)[] = [];
  let any = false;
  for (let i = a; i < b;) {
    const e = escapeAt(text, i);
    offsets.push(i);
    if (e && i + e.length <= b) {
      decoded += String.fromCharCode(e.code);
      escapes.push(e.kind);
      any = true;
      i += e.length;
    } else {
      decoded += text[i];
      escapes.push(undefined);
      i++;
    }
  }
  offsets.push(b);
  return any ? { start: a, end: b, decoded, offsets, escapes } : undefined;
}

/** The run of escaped key text around [from, to), decoded; undefined when it holds no escape. */
function runAround(text: string, from: number, to: number): UnescapedRun | undefined {
  let a = from;
  while (a > 0 && from - a < MAX_SIDE && inEscapedRun(text.charCodeAt(a - 1))) a--;
  let b = to;
  while (b < text.length && b - to < MAX_SIDE && inEscapedRun(text.charCodeAt(b))) b++;
  let trace = false;
  for (let i = a; i < b && !trace; i++) {
    const c = text.charCodeAt(i);
    trace = c === 37 || c === 92 || c === 38;
  }
  return trace ? decodeWindow(text, a, b) : undefined;
}

/** Runs of key text with escapes in them, around every marker and every escaped `sess-` start. */
export function findEscapedRuns(text: string): UnescapedRun[] {
  const runs: UnescapedRun[] = [];
  // markers come in order: one past the last run is enough to skip those inside it
  let covered = -1;
  for (let m = text.indexOf(MARKER); m >= 0; m = text.indexOf(MARKER, m + MARKER.length)) {
    if (m < covered) continue;
    const run = runAround(text, m, m + MARKER.length);
    if (run) {
      runs.push(run);
      covered = run.end;
    }
  }
  for (const start of ESCAPED_SESSION_STARTS) {
    for (let s = text.indexOf(start); s >= 0; s = text.indexOf(start, s + start.length)) {
      if (runs.some((r) => r.start <= s && s < r.end)) continue;
      const run = runAround(text, s, s + 4);
      if (run) runs.push(run);
    }
  }
  return runs;
}
