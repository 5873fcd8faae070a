// The pieces of a key split inside a JSON string (a wrapped paste in a transcript: `…T3Bl\nbkFJ…`), as
// places to overwrite. The escapes between the pieces hide the split from `detect` on the raw bytes,
// so each string holding a split trace is read as the chat reader reads it (its split view,
// sources/chat/json-split.ts), and every piece of a wanted key is mapped back to its bytes. The pieces
// are runs of key characters, which JSON never escapes, so each is in the file as it is and a marker
// of the same length keeps the line valid JSON.
import { detect } from '../engine/detect.js';
import { jsonSplitTraces, mayHideSplitKey, splitView } from '../sources/chat/json-split.js';
import { redactionMarker, type Hit } from './redact-bytes.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** JSON inside a JSON string, as deep as the chat reader looks (nested-json.ts). */
const MAX_LEVELS = 3;

function escaped(buf: Buffer, i: number): boolean {
  let n = 0;
  while (i - n - 1 >= 0 && buf[i - n - 1] === BACKSLASH) n++;
  return n % 2 === 1;
}

/** The content of the JSON string around `at`: [after its opening quote, its closing quote), within the line. */
function stringAround(buf: Buffer, at: number, lineStart: number, lineEnd: number): [number, number] {
  let a = at;
  while (a > lineStart && !(buf[a - 1] === QUOTE && !escaped(buf, a - 1))) a--;
  let b = at;
  while (b < lineEnd && !(buf[b] === QUOTE && !escaped(buf, b))) b++;
  return [a, b];
}

/** Hits for every piece of the `secrets` split inside JSON strings of `buf` (JSON Lines). */
export function jsonPieceHits(buf: Buffer, secrets: ReadonlySet<string>): Hit[] {
  const hits: Hit[] = [];
  let doneTo = 0;
  for (const t of jsonSplitTraces(buf)) {
    if (t < doneTo) continue;
    const lineStart = buf.lastIndexOf(10, t) + 1;
    let lineEnd = buf.indexOf(10, t);
    if (lineEnd === -1) lineEnd = buf.length;
    const [a, b] = stringAround(buf, t, lineStart, lineEnd);
    doneTo = b;
    const raw = buf.subarray(a, b);
    if (!mayHideSplitKey(raw)) continue;
    const taken: [number, number][] = [];
    for (let levels = 1; levels <= MAX_LEVELS; levels++) {
      const view = splitView(raw, levels);
      for (const m of detect(view.text, { bytes: true })) {
        if (!m.pieces || !secrets.has(m.secret)) continue;
        const places = m.pieces.map((p) => [a + view.map[p.start]!, a + view.map[p.end - 1]! + 1] as [number, number]);
        if (places.some(([s, e]) => taken.some(([ts, te]) => s < te && ts < e))) continue;
        taken.push(...places);
        for (const [i, [s, e]] of places.entries()) {
          const from = Buffer.from(buf.subarray(s, e));
          const to = Buffer.from(redactionMarker(m.secret, from.length), 'latin1');
          hits.push({ at: s, from, to, secret: m.secret, joined: places[0]![0], ...(i > 0 ? { laterPiece: true as const } : {}) });
        }
      }
    }
  }
  return hits;
}
