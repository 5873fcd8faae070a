// "Did you mean": the nearest known word by edit distance, for a mistyped command or option.

/** Levenshtein distance, with a transposition counted as one edit (`scna` → `scan` is 1). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known word closest to `given`, when it is close enough to be a typo (at most a third of its letters wrong). */
export function nearest(given: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const dist = editDistance(given.toLowerCase(), k.toLowerCase());
    if (dist < bestDistance) {
      best = k;
      bestDistance = dist;
    }
  }
  const allowed = Math.max(1, Math.floor(Math.max(given.length, 3) / 3));
  return best !== undefined && bestDistance <= allowed ? best : undefined;
}

/** " (did you mean 'scan'?)" or nothing. */
export function didYouMean(given: string, known: readonly string[]): string {
  const n = nearest(given, known);
  return n === undefined ? '' : ` (did you mean '${n}'?)`;
}
