// JSON inside JSON strings: agents store tool-call arguments and tool output as JSON text in a
// string (Codex `function_call.arguments`, `function_call_output.output`), sometimes two levels
// deep. A key there is named by the path inside, and placed by mapping the inner string's offsets
// back to the file's own bytes, so the text handed to detection is still what is on disk.
import { JsonScanner, type PathSeg } from './json-scan.js';

/** Unescaped content and, for each byte of it, the offset in `raw` it came from (map[length] = raw.length). */
export function unescapeWithMap(raw: Buffer): { bytes: Buffer; map: Int32Array } {
  const n = raw.length;
  const out = Buffer.allocUnsafe(n);
  const map = new Int32Array(n + 1);
  let o = 0;
  const put = (b: number, from: number) => {
    out[o] = b;
    map[o++] = from;
  };
  const hex4 = (at: number): number => {
    if (at + 4 > n) return -1;
    const s = raw.toString('latin1', at, at + 4);
    return /^[0-9a-fA-F]{4}$/.test(s) ? parseInt(s, 16) : -1;
  };
  let i = 0;
  while (i < n) {
    const c = raw[i]!;
    if (c !== 0x5c || i + 1 >= n) {
      put(c, i++);
      continue;
    }
    const e = raw[i + 1]!;
    if (e === 0x75 /* u */) {
      let cp = hex4(i + 2);
      if (cp < 0) {
        put(c, i++);
        continue;
      }
      let len = 6;
      if (cp >= 0xd800 && cp <= 0xdbff && raw[i + 6] === 0x5c && raw[i + 7] === 0x75) {
        const lo = hex4(i + 8);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          len = 12;
        }
      }
      for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) put(b, i);
      i += len;
      continue;
    }
    const simple: Record<number, number> = { 0x22: 0x22, 0x5c: 0x5c, 0x2f: 0x2f, 0x62: 8, 0x66: 12, 0x6e: 10, 0x72: 13, 0x74: 9 };
    const v = simple[e];
    if (v === undefined) {
      put(c, i++);
      continue;
    }
    put(v, i);
    i += 2;
  }
  map[o] = n;
  return { bytes: out.subarray(0, o), map };
}

export interface InnerHit {
  /** the path inside each level of nesting */
  levels: PathSeg[][];
  /** the inner string's content in the outer raw bytes: [start, end) */
  start: number;
  end: number;
}

const MAX_DEPTH = 3;

function looksLikeJson(bytes: Buffer): boolean {
  let k = 0;
  while (k < bytes.length && (bytes[k] === 0x20 || bytes[k] === 0x0a || bytes[k] === 0x0d || bytes[k] === 0x09)) k++;
  return bytes[k] === 0x7b || bytes[k] === 0x5b;
}

/**
 * Strings with a hit inside the JSON text that `raw` (a string's raw content) holds, or undefined
 * when it holds no JSON (or JSON that does not parse: then the string is reported as a whole).
 */
export function innerHits(raw: Buffer, needles: readonly string[], depth = 1): InnerHit[] | undefined {
  if (depth > MAX_DEPTH || !raw.includes(0x5c)) return undefined;
  const { bytes, map } = unescapeWithMap(raw);
  if (!looksLikeJson(bytes)) return undefined;
  // a key split inside an inner string (a wrapped key in a tool call's command) has no needle either
  const scanner = new JsonScanner({ needles, splitTraces: true });
  scanner.write(bytes);
  scanner.end();
  const found = scanner.drain();
  if (found.problems.length > 0 || found.raw.length > 0 || found.strings.length === 0) return undefined;
  const out: InnerHit[] = [];
  for (const s of found.strings) {
    for (const slice of s.slices) {
      const a = slice.start;
      const deeper = s.whole ? innerHits(slice.bytes, needles, depth + 1) : undefined;
      if (deeper) {
        for (const d of deeper) out.push({ levels: [s.path, ...d.levels], start: map[a + d.start]!, end: map[a + d.end]! });
      } else {
        out.push({ levels: [s.path], start: map[a]!, end: map[a + slice.bytes.length]! });
      }
    }
  }
  return out;
}
