// Seeded fake keys for benchmarks (never committed as literals): one per index, families in turn.
import { randomString as random, rng } from '../helpers/seeded.mjs';

export { rng };

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

/** The i-th benchmark key: deterministic, a different family each time. */
export function corpusKey(i) {
  const [prefix, half, alphabet] = SHAPES[i % SHAPES.length];
  const next = rng(1000 + i);
  const right = random(next, half, alphabet);
  return `${prefix}${random(next, half, alphabet)}${MARKER}${alphabet === B64URL ? `${right.slice(0, -1)}A` : right}`;
}
