// Seeded fake keys for benchmarks (never committed as literals): one per index, families in turn.
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64URL = `${ALNUM}-_`;
const MARKER = ['T3Bl', 'bkFJ'].join('');
const SHAPES = [
  ['sk-proj-', 74, B64URL],
  ['sk-svcacct-', 74, B64URL],
  ['sk-admin-', 58, B64URL],
  ['sk-', 20, ALNUM],
  ['sk-proj-', 20, ALNUM],
  ['sk-None-', 74, B64URL],
  ['sk-', 42, B64URL],
  ['sk-proj-', 58, B64URL],
  ['sk-svcacct-', 46, B64URL],
  ['sk-None-', 20, ALNUM],
];

export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function random(next, n, alphabet) {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
  return s;
}

/** The i-th benchmark key: deterministic, a different family each time. */
export function corpusKey(i) {
  const [prefix, half, alphabet] = SHAPES[i % SHAPES.length];
  const next = rng(1000 + i);
  const right = random(next, half, alphabet);
  return `${prefix}${random(next, half, alphabet)}${MARKER}${alphabet === B64URL ? `${right.slice(0, -1)}A` : right}`;
}
