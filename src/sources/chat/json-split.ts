// Keys split across lines inside JSON strings: a pasted, terminal-wrapped key in a chat message, a
// code snippet that concatenates string pieces. JSON writes the line break (and the quotes of a
// snippet) as escapes, so the engine's split trace (joined.ts: an `sk-` run that stops at a line
// break or a concatenated quote) is hidden from the raw bytes: `sk-proj-…T3Bl\nbkFJ…` has a `\` and
// an `n` where the text has a line break. Two things here:
//
// - `jsonSplitTraces`: where such a trace is in raw JSON bytes. Only an `sk-` run stopped by `\`, `'`
//   or a backquote is looked at closer, by decoding a few bytes after it and asking the engine's own
//   test, so the definition of a trace stays the engine's.
// - `splitView`: the text `detect` reads for a string holding a trace: the escapes that hide the
//   trace decoded (`\n`, `\r`, `\t`, `\"`, `\\`, `\/`; `\uXXXX` left as it is, the engine decodes it
//   inside keys), with the offset in the raw bytes of every character, so a finding and every piece
//   of a joined key are placed on the bytes on disk. JSON inside a JSON string (tool-call arguments)
//   is decoded once per level.
import { hasSplitTrace, MAX_KEY_LENGTH } from '../../engine/joined.js';
import { isKeyChar } from '../../engine/key-chars.js';

const KEY_START = Buffer.from('sk-', 'latin1');
const BACKSLASH = 0x5c;
/** Escaped bytes decoded after a run to tell whether the text goes on elsewhere (blanks, then one mark). */
const LOOK_AHEAD = 96;
/** JSON inside JSON inside JSON at most (nested-json.ts reads as deep). */
const MAX_LEVELS = 3;

const SIMPLE: Record<number, number> = { 0x22: 0x22, 0x5c: 0x5c, 0x2f: 0x2f, 0x6e: 10, 0x72: 13, 0x74: 9 };

/** A raw JSON text with the escapes that hide a split trace decoded, and where each character came from. */
export interface SplitView {
  text: string;
  /** raw offset of each character of `text`, and one past the last (`map[text.length]`) */
  map: Int32Array;
}

/** One level of decoding: JSON's simple escapes, `\u` kept; lenient about a `\` at the end. */
function decodeLevel(raw: Buffer): { bytes: Buffer; map: Int32Array } {
  const out = Buffer.allocUnsafe(raw.length);
  const map = new Int32Array(raw.length + 1);
  let o = 0;
  for (let i = 0; i < raw.length;) {
    const c = raw[i]!;
    const v = c === BACKSLASH && i + 1 < raw.length ? SIMPLE[raw[i + 1]!] : undefined;
    map[o] = i;
    if (v === undefined) {
      out[o++] = c;
      // a `\u` escape or an unknown one: both bytes as they are, so `\\` never starts a second escape
      if (c === BACKSLASH && i + 1 < raw.length) {
        map[o] = i + 1;
        out[o++] = raw[i + 1]!;
        i += 2;
      } else i++;
    } else {
      out[o++] = v;
      i += 2;
    }
  }
  map[o] = raw.length;
  return { bytes: out.subarray(0, o), map: map.subarray(0, o + 1) };
}

/** `raw` decoded `levels` times (1: a JSON string's content; 2: a JSON string inside it …). */
export function splitView(raw: Buffer, levels = 1): SplitView {
  let bytes = raw;
  let map: Int32Array | undefined;
  for (let l = 0; l < levels; l++) {
    const d = decodeLevel(bytes);
    map = map ? d.map.map((k) => map![k]!) : d.map;
    bytes = d.bytes;
  }
  if (!map) map = Int32Array.from({ length: raw.length + 1 }, (_, k) => k);
  return { text: bytes.toString('latin1'), map };
}

/**
 * A key starts a word: after a character outside the key alphabet, or after an escape JSON writes for
 * one (`\n`, `\t`, `\uXXXX`). Prose is full of `sk-` inside words (`disk-`, `task-`, `risk-`) that end
 * a line; none of them is worth parsing a whole export for.
 */
function startsWord(buf: Buffer, i: number): boolean {
  if (i === 0 || !isKeyChar(buf[i - 1]!)) return true;
  const escapeLetter = buf[i - 1] === 0x6e /* n */ || buf[i - 1] === 0x72 /* r */ || buf[i - 1] === 0x74; /* t */
  if (escapeLetter && buf[i - 2] === BACKSLASH) return true;
  return i >= 6 && buf[i - 6] === BACKSLASH && buf[i - 5] === 0x75; /* u */
}

/**
 * The `sk-` at `i` is the start of a run that stops where the decoded text goes on elsewhere. `open`:
 * the bytes go on past `buf`'s end (a view of a stream), so a run or a look-ahead cut by the end is
 * taken for a trace: looking at one string too many costs a `detect`, missing one costs a key.
 */
function traceAt(buf: Buffer, i: number, open: boolean): boolean {
  if (!startsWord(buf, i)) return false;
  const end = buf.length;
  let r = i + KEY_START.length;
  const stop = Math.min(end, i + MAX_KEY_LENGTH);
  while (r < stop && isKeyChar(buf[r]!)) r++;
  if (r - i >= MAX_KEY_LENGTH) return false;
  if (r >= end) return open;
  const c = buf[r];
  if (c !== BACKSLASH && c !== 0x27 /* ' */ && c !== 0x60 /* ` */) return false;
  if (open && r + LOOK_AHEAD > end) return true;
  // the run's end as the engine would read it: `sk-` then the decoded bytes after the run; JSON in a
  // JSON string (tool-call arguments) escapes the escapes, so a `\` left after decoding is decoded again
  let after = buf.subarray(r, Math.min(end, r + LOOK_AHEAD));
  for (let level = 0; level < MAX_LEVELS && after[0] === BACKSLASH; level++) {
    after = decodeLevel(after).bytes;
    if (hasSplitTrace(`sk-${after.toString('latin1')}`)) return true;
  }
  return c !== BACKSLASH && hasSplitTrace(`sk-${after.toString('latin1')}`);
}

/** Offsets (from `from` on) of `sk-` runs in raw JSON bytes that are split traces; `open` as for traceAt. */
export function jsonSplitTraces(buf: Buffer, from = 0, open = false): number[] {
  const out: number[] = [];
  for (let i = buf.indexOf(KEY_START, from); i !== -1; i = buf.indexOf(KEY_START, i + KEY_START.length)) {
    if (traceAt(buf, i, open)) out.push(i);
  }
  return out;
}

/** The file-level look: raw JSON bytes that may hold a key split inside a string; `open` as for traceAt. */
export function hasJsonSplitTrace(buf: Buffer, open = false): boolean {
  for (let i = buf.indexOf(KEY_START); i !== -1; i = buf.indexOf(KEY_START, i + KEY_START.length)) {
    if (traceAt(buf, i, open)) return true;
  }
  return false;
}

/** Bytes a streamed look must carry from one buffer into the next so that no trace is cut. */
export const TRACE_SPAN = MAX_KEY_LENGTH + LOOK_AHEAD;

/** Raw string content worth a view: it holds `sk-` and an escape (without one the raw text is the text). */
export function mayHideSplitKey(raw: Buffer): boolean {
  return raw.includes(KEY_START) && raw.includes(BACKSLASH);
}
