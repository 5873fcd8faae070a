// Where a key sits in a buffer and what it becomes: the --fix transform as a pure function of the
// bytes. Every replacement has exactly the length of what it replaces (see in-place.ts for why), is
// made of key characters only (letters, digits, `-`), and is encoded like the text around it
// (ASCII/UTF-8/Latin-1, UTF-16LE or UTF-16BE). Keys are ASCII and no history or JSON writer escapes
// key characters, so every raw occurrence of a key is the key itself, and the marker needs no
// escaping either: the file stays valid in its format, each entry stays one entry, and every line
// of a JSON Lines file stays valid JSON at any depth of JSON inside JSON strings.
import { detect } from '../engine/detect.js';
import { fingerprint } from '../engine/fingerprint.js';
import { mayContainKey } from '../engine/prefilter.js';

/**
 * Pads the marker to the length of what it replaces: a key character, never hex. src/engine/own-keys.ts
 * knows the padded shape, so a redacted `OPENAI_API_KEY=` value is never taken for the user's own key.
 */
const FILLER = 'x';

/**
 * What a key becomes: `REDACTED-<first 8 characters of its fingerprint>`, padded with `x` to `length`
 * (default: the key's own length). It names the finding without holding any of the key, and carries
 * neither the `T3BlbkFJ` marker nor the `sess-` prefix, so the engine never takes it for a key.
 */
export function redactionMarker(secret: string, length = secret.length): string {
  const marker = `REDACTED-${fingerprint(secret).slice(0, 8)}`;
  return length >= marker.length ? marker + FILLER.repeat(length - marker.length) : marker.slice(0, length);
}

type Encoding = 'latin1' | 'utf16le' | 'utf16be';
const ENCODINGS: readonly Encoding[] = ['latin1', 'utf16le', 'utf16be'];

function encode(text: string, encoding: Encoding): Buffer {
  if (encoding === 'latin1') return Buffer.from(text, 'latin1');
  const le = Buffer.from(text, 'utf16le');
  return encoding === 'utf16le' ? le : le.swap16();
}

/** One replacement: at `at`, the bytes `from` (checked again before writing) become `to` (same length). */
export interface Hit {
  at: number;
  from: Buffer;
  to: Buffer;
  secret: string;
  /** a piece of a key joined across lines: the offset of its first piece, shared by all its pieces */
  joined?: number;
  /** a piece after the first: the same place as the first piece, not another occurrence */
  laterPiece?: true;
}

/** The keys to redact, as the byte strings to look for. */
export class KeyTargets {
  readonly needles: readonly { secret: string; from: Buffer; to: Buffer }[];
  /** the longest needle in bytes */
  readonly longest: number;

  /**
   * `encoded`: also base64 values that decode to one of the keys (found by the engine). `more`: other
   * places a format's redactor finds (the pieces of a key split inside JSON strings: fix/json-pieces.ts).
   */
  constructor(
    readonly secrets: ReadonlySet<string>,
    readonly encoded = false,
    readonly more?: (buf: Buffer) => Hit[],
  ) {
    this.needles = [...secrets].flatMap((secret) => ENCODINGS.map((e) => ({ secret, from: encode(secret, e), to: encode(redactionMarker(secret), e) })));
    this.longest = Math.max(0, ...this.needles.map((n) => n.from.length));
  }
}

const BACKSLASH = 0x5c;

/**
 * Encoded values in `buf` that decode to one of the keys: the whole value is replaced. A key joined
 * from pieces (split across lines or string literals) has each piece replaced, so no part is left.
 */
function encodedHits(buf: Buffer, targets: KeyTargets): Hit[] {
  if (!mayContainKey(buf)) return [];
  const hits: Hit[] = [];
  for (const m of detect(buf.toString('latin1'), { bytes: true })) {
    if (!m.decoded || !targets.secrets.has(m.secret)) continue;
    if (m.pieces) {
      for (const [i, p] of m.pieces.entries()) {
        const from = Buffer.from(buf.subarray(p.start, p.end));
        const to = Buffer.from(redactionMarker(m.secret, from.length), 'latin1');
        hits.push({ at: p.start, from, to, secret: m.secret, joined: m.pieces[0]!.start, ...(i > 0 ? { laterPiece: true as const } : {}) });
      }
      continue;
    }
    // `\/` and `\n` are JSON escapes a base64 run can start right after: keep the escaped character
    const start = buf[m.start - 1] === BACKSLASH ? m.start + 1 : m.start;
    const from = Buffer.from(buf.subarray(start, m.end));
    hits.push({ at: start, from, to: Buffer.from(redactionMarker(m.secret, from.length), 'latin1'), secret: m.secret });
  }
  return hits;
}

/** Every place in `buf` to redact, in order, none overlapping another. */
export function hitsIn(buf: Buffer, targets: KeyTargets): Hit[] {
  const all: Hit[] = [];
  for (const n of targets.needles) {
    if (n.from.length === 0) continue;
    for (let at = buf.indexOf(n.from); at !== -1; at = buf.indexOf(n.from, at + n.from.length)) all.push({ at, from: n.from, to: n.to, secret: n.secret });
  }
  if (targets.encoded) all.push(...encodedHits(buf, targets));
  if (targets.more) all.push(...targets.more(buf));
  all.sort((a, b) => a.at - b.at || b.from.length - a.from.length);
  const out: Hit[] = [];
  let end = 0;
  for (const h of all) {
    if (h.at < end) continue;
    out.push(h);
    end = h.at + h.from.length;
  }
  return out;
}

/** Occurrences the hits make up: a key split into pieces is one occurrence, however many pieces it has. */
export function placesOf(hits: readonly Hit[]): number {
  let n = 0;
  for (const h of hits) if (!h.laterPiece) n++;
  return n;
}

/** A copy of `buf` with `hits` (offsets into `buf`) applied. */
export function applyHits(buf: Buffer, hits: readonly Hit[], offset = 0): Buffer {
  const out = Buffer.from(buf);
  for (const h of hits) h.to.copy(out, h.at - offset);
  return out;
}

export interface Redaction {
  content: Buffer;
  /** places replaced: each piece of a key split into pieces counts (placesOf counts occurrences) */
  count: number;
}

/**
 * Replace every occurrence of the given keys; `encoded` also replaces base64 values that decode to
 * one of them. The result has the input's length. Undefined when nothing changes.
 */
export function redactKeys(content: Buffer, secrets: ReadonlySet<string>, encoded = false): Redaction | undefined {
  const hits = hitsIn(content, new KeyTargets(secrets, encoded));
  return hits.length > 0 ? { content: applyHits(content, hits), count: hits.length } : undefined;
}
