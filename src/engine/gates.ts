// Precision gates, applied to the random halves only (never to the prefix or the marker).

export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const RUN = 6;

/** A run of RUN identical characters, or RUN consecutive ascending/descending code points (abcdef, 987654). */
function hasPatternRun(s: string): boolean {
  let same = 1;
  let up = 1;
  let down = 1;
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    same = d === 0 ? same + 1 : 1;
    up = d === 1 ? up + 1 : 1;
    down = d === -1 ? down + 1 : 1;
    if (same >= RUN || up >= RUN || down >= RUN) return true;
  }
  return false;
}

// Words long enough that random base64 never spells them (a 4-letter word would drop ~1 real key in 10^5).
const PLACEHOLDER = /your[_-]?(?:api[_-]?)?key|YOUR[_-]?(?:API[_-]?)?KEY|replace[_-]?me|REPLACE[_-]?ME|example|EXAMPLE|placeholder|PLACEHOLDER/;

/** Minimum entropy a random half of this length reaches (simulated minima: 3.14 for 20 alnum, 4.17 for 42 b64url). */
function minEntropy(length: number): number {
  if (length < 16) return 2.5;
  return length < 30 ? 3.0 : 4.0;
}

/** True when a random-looking part passes every gate. */
export function looksRandom(part: string): boolean {
  if (part.length === 0) return false;
  if (shannonEntropy(part) < minEntropy(part.length)) return false;
  if (hasPatternRun(part)) return false;
  if (PLACEHOLDER.test(part)) return false;
  return true;
}
