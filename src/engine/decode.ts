// Keys hidden inside base64 values (a Kubernetes Secret's `data:`, a base64'd .env).
import { MARKER, SESSION_PREFIX } from './rules.js';

/** The marker as it appears inside base64 text, at each of the three byte alignments. */
function encodedMarkers(): string[] {
  const needles = new Set<string>();
  for (let align = 0; align < 3; align++) {
    const encoded = Buffer.concat([Buffer.alloc(align, 0x41), Buffer.from(MARKER)]).toString('base64');
    const firstGroup = Math.ceil(align / 3);
    const lastGroup = Math.floor((align + MARKER.length) / 3);
    const stable = encoded.slice(firstGroup * 4, lastGroup * 4);
    needles.add(stable);
    needles.add(stable.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...needles];
}

export const ENCODED_MARKERS: readonly string[] = encodedMarkers();

/**
 * `sess-` inside base64 text, at each byte alignment: the characters its 40 bits fully decide (six at
 * every alignment). Session keys carry no marker, so this is how a base64'd one is found.
 */
function encodedSessionStarts(): string[] {
  const needles: string[] = [];
  for (let align = 0; align < 3; align++) {
    const encoded = Buffer.concat([Buffer.alloc(align), Buffer.from(SESSION_PREFIX)]).toString('base64');
    // character j carries bits [6j, 6j + 6): keep those inside the prefix's bits
    needles.push(encoded.slice(Math.ceil((8 * align) / 6), Math.floor((8 * (align + SESSION_PREFIX.length)) / 6)));
  }
  return needles;
}

export const ENCODED_SESSION_STARTS: readonly string[] = encodedSessionStarts();

const NEEDLES: readonly string[] = [...ENCODED_MARKERS, ...ENCODED_SESSION_STARTS];

const B64_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) if (/[A-Za-z0-9+/_-]/.test(String.fromCharCode(c))) B64_CHAR[c] = 1;

function isB64(code: number): boolean {
  return code < 128 && B64_CHAR[code] === 1;
}

const MIN_RUN = 60;
const MAX_RUN = 1 << 20;

export interface DecodedRun {
  start: number;
  end: number;
  decoded: string;
}

/** base64 runs that contain an encoded marker or `sess-`, with their decoded text (latin1). */
export function findBase64Candidates(text: string): DecodedRun[] {
  const runs: DecodedRun[] = [];
  let lastEnd = -1;
  for (const needle of NEEDLES) {
    let from = 0;
    for (;;) {
      const p = text.indexOf(needle, from);
      if (p < 0) break;
      from = p + needle.length;
      if (p < lastEnd && runs.some((r) => r.start <= p && p < r.end)) continue;
      let a = p;
      while (a > 0 && p - a < MAX_RUN && isB64(text.charCodeAt(a - 1))) a--;
      let b = p + needle.length;
      while (b < text.length && b - a < MAX_RUN && isB64(text.charCodeAt(b))) b++;
      let e = b;
      while (e < text.length && e - b < 2 && text.charCodeAt(e) === 61 /* = */) e++;
      if (b - a < MIN_RUN) continue;
      const decoded = Buffer.from(text.slice(a, b), 'base64').toString('latin1');
      runs.push({ start: a, end: e, decoded });
      lastEnd = Math.max(lastEnd, e);
    }
  }
  return runs;
}
