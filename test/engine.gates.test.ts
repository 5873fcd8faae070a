// The placeholder gates reject hand-made examples and no real key. Real keys are simulated: random
// halves drawn the way OpenAI draws them (long formats ending like published keys), 2,000 per family
// here; `KEYGUARD_GATE_KEYS=100000 npx vitest run --config test/vitest.config.ts test/engine.gates.test.ts`
// runs the full 100,000 per family (about a minute on one core).
import { describe, expect, it } from 'vitest';
import { detect } from '../src/engine/detect.js';
import { looksRandom, looksRandomInJs, looksRandomPair, looksRandomPairInJs, shannonEntropy } from '../src/engine/gates.js';
import { ALPHABET_CHARS, KEY_FAMILIES, MARKER, SESSION_PREFIX } from '../src/engine/rules.js';
import { randomString, rng } from './helpers/keys.js';

const PER_FAMILY = Number(process.env.KEYGUARD_GATE_KEYS ?? 2_000);
const ALNUM = ALPHABET_CHARS.alnum;
const B64URL = ALPHABET_CHARS.b64url;

/** A simulated real key of `family`: the family's own generator, or an unrestricted session body. */
function realKey(family: (typeof KEY_FAMILIES)[number], next: () => number): string {
  if ('body' in family) return SESSION_PREFIX + randomString(next, family.body, ALNUM);
  return family.examples.hit(next);
}

describe(`no real key is rejected (${PER_FAMILY} simulated keys per family)`, () => {
  for (const family of KEY_FAMILIES) {
    it(`${family.id}: rejection rate 0`, () => {
      const next = rng(0x5eed + family.id.length * 7919 + family.id.charCodeAt(0));
      const rejected: string[] = [];
      for (let i = 0; i < PER_FAMILY; i++) {
        const key = realKey(family, next);
        const found = detect(key, { decode: false });
        if (found.length !== 1 || found[0]!.secret !== key || found[0]!.family !== family.id) rejected.push(key);
      }
      // the keys themselves are never printed: only how many
      expect(rejected.length, `${rejected.length} of ${PER_FAMILY} rejected`).toBe(0);
    });
  }

  it('session keys without a digit are found (0.08% of random keys)', () => {
    const next = rng(45);
    for (let i = 0; i < 200; i++) {
      const key = SESSION_PREFIX + randomString(next, 40, ALNUM.replace(/[0-9]/g, ''));
      expect(detect(`cookie=${key};`).map((m) => m.secret)).toEqual([key]);
    }
  });
});

describe('hand-made halves are rejected', () => {
  const next = rng(2026);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  /** `AbCdEf…` from a random letter, wrapping after z */
  const alternatingAlphabet = (n: number) => {
    const from = Math.floor(next() * 26);
    let s = '';
    for (let i = 0; i < n; i++) {
      const c = letters[(from + i) % 26]!;
      s += i % 2 === 0 ? c.toUpperCase() : c;
    }
    return s;
  };
  /** `n` characters, even positions from `even(k)`, odd ones from `odd(k)`, k counting pairs */
  const weave = (n: number, even: (k: number) => string, odd: (k: number) => string) =>
    Array.from({ length: n }, (_, i) => (i % 2 ? odd(i >> 1) : even(i >> 1))).join('');
  const alternatingRandom = (n: number) => randomString(next, n, letters).replace(/(.)(.)/g, (_, a: string, b: string) => a.toUpperCase() + b);
  const classes: Array<[string, (n: number) => [string, string]]> = [
    [
      'identical halves',
      (n) => {
        const h = randomString(next, n, B64URL);
        return [h, h];
      },
    ],
    [
      'identical halves but the last character',
      (n) => {
        const h = randomString(next, n, ALNUM);
        return [h, `${h.slice(0, -1)}A`];
      },
    ],
    [
      'the right half is the left half shifted',
      (n) => {
        const h = randomString(next, n + 3, ALNUM);
        return [h.slice(0, n), h.slice(3)];
      },
    ],
    [
      'a 10-character unit repeated',
      (n) => {
        const u = randomString(next, 10, ALNUM);
        return [u.repeat(8).slice(0, n), randomString(next, n, ALNUM)];
      },
    ],
    [
      'a 12-character unit repeated',
      (n) => {
        const u = randomString(next, 12, B64URL);
        return [randomString(next, n, ALNUM), u.repeat(8).slice(0, n)];
      },
    ],
    ['alternating case, counting (AbCdEf…)', (n) => [alternatingAlphabet(n), randomString(next, n, ALNUM)]],
    ['alternating case, random letters', (n) => [randomString(next, n, ALNUM), alternatingRandom(n)]],
    [
      'interleaved digits and letters (1a2b3c…)',
      (n) => [
        weave(
          n,
          (k) => String((1 + k) % 10),
          (k) => letters[k % 26]!,
        ),
        randomString(next, n, ALNUM),
      ],
    ],
    [
      'interleaved letters and digits from random starts (q7r8s9t0…)',
      (n) => {
        const a = Math.floor(next() * 26);
        const d = Math.floor(next() * 10);
        return [
          randomString(next, n, ALNUM),
          weave(
            n,
            (k) => letters[(a + k) % 26]!,
            (k) => String((d + k) % 10),
          ),
        ];
      },
    ],
    [
      'a constant between counted digits (a1a2a3…)',
      (n) => [
        weave(
          n,
          () => 'a',
          (k) => String(k % 10),
        ),
        randomString(next, n, ALNUM),
      ],
    ],
    [
      'three interleaved sequences (aA1bB2…)',
      (n) => [
        randomString(next, n, ALNUM),
        Array.from({ length: n }, (_, i) => {
          const k = Math.floor(i / 3);
          return [letters[k % 26]!, letters[k % 26]!.toUpperCase(), String(k % 10)][i % 3]!;
        }).join(''),
      ],
    ],
  ];
  for (const [name, make] of classes) {
    for (const half of [20, 42, 58, 74]) {
      it(`${name}, ${half}-character halves`, () => {
        const [left, right] = make(half);
        expect(looksRandomPair(left, right)).toBe(false);
        const found = detect(`OPENAI_API_KEY=sk-proj-${left}${MARKER}${right}\n`);
        expect(found).toEqual([]);
      });
    }
  }

  it('session bodies made by hand', () => {
    for (const [, make] of classes) {
      const [a, b] = make(20);
      expect(looksRandom(a + b) && looksRandomPair(a, b)).toBe(false);
      expect(detect(`cookie=${SESSION_PREFIX}${a}${b};`)).toEqual([]);
    }
  });
});

describe('repeated units', () => {
  const next = rng(808);
  it('an 8-character unit seen twice, within a half or across the two, in the key alphabet or not', () => {
    for (const alphabet of [B64URL, `${ALNUM}.+/`]) {
      for (let i = 0; i < 50; i++) {
        const left = randomString(next, 42, alphabet);
        const right = randomString(next, 42, alphabet);
        const unit = left.slice(5, 13);
        // random halves pass (odds of a chance repeat: 2e-11)
        expect(looksRandomPair(left, right)).toBe(looksRandom(left) && looksRandom(right));
        expect(looksRandomPair(left, right.slice(0, 20) + unit + right.slice(28))).toBe(false);
        expect(looksRandom(left.slice(0, 30) + unit + left.slice(38))).toBe(false);
        // seven characters in common are not a repeat (the characters around them differ from left's)
        const other = (c: string) => alphabet[(alphabet.indexOf(c) + 1) % alphabet.length]!;
        const seven = right.slice(0, 19) + other(left[4]!) + unit.slice(0, 7) + other(left[12]!) + right.slice(28);
        expect(looksRandomPair(left, seven)).toBe(looksRandom(left) && looksRandom(seven));
      }
    }
  });
});

/** `stride` interleaved sequences (digits, lower or upper case, each from a random start, up or down) of `steps` + 1 characters each. */
function counted(next: () => number, stride: number, steps: number): string {
  const classes = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
  const seqs = Array.from({ length: stride }, () => {
    const chars = classes[Math.floor(next() * 3)]!;
    return { chars, at: Math.floor(next() * chars.length), step: next() < 0.5 ? 1 : chars.length - 1 };
  });
  let out = '';
  for (let k = 0; k <= steps; k++) for (const q of seqs) out += q.chars[(q.at + k * q.step) % q.chars.length]!;
  return out;
}

describe('the gates in WebAssembly (gates.wat)', () => {
  it('answer as the JavaScript does, for random, made-up and hand-made halves of every length, in and out of the key alphabet', () => {
    const next = rng(4242);
    const alphabets = [B64URL, ALNUM, 'abcAB12', 'aAbBcC', '0123456789', `${B64URL}.+/ `, 'xyz\u00e9\u4e2d'];
    let random = 0;
    for (let i = 0; i < 20_000; i++) {
      const alphabet = alphabets[i % alphabets.length]!;
      const n = 1 + (i % 300);
      let left = randomString(next, n, alphabet);
      const right = randomString(next, 1 + ((i * 7) % 120), alphabet);
      if (i % 5 === 0) left = left.slice(0, n >> 1) + 'abcdefghij' + left.slice(n >> 1);
      // counted at a stride of 1 to 3, up or down, a step short of, at or past each gate's count
      if (i % 3 === 0) left = left.slice(0, n >> 2) + counted(next, 1 + (i % 4 === 0 ? 2 : i % 2), 5 + (i % 4)) + left.slice(n >> 2);
      if (i % 9 === 0) left += left.slice(0, 9);
      expect(looksRandom(left), left).toBe(looksRandomInJs(left));
      expect(looksRandomPair(left, right), `${left} ${right}`).toBe(looksRandomPairInJs(left, right));
      if (looksRandom(left)) random++;
    }
    // (both kinds were met)
    expect(random).toBeGreaterThan(1000);
    expect(random).toBeLessThan(19_000);
    // the entropy to the last bit, as the thresholds compare it
    for (const t of ['', 'a', 'ab', randomString(next, 74, B64URL), randomString(next, 300, B64URL), 'é'.repeat(20)]) {
      const counts = new Map<string, number>();
      for (const c of t) counts.set(c, (counts.get(c) ?? 0) + 1);
      let h = 0;
      for (const k of counts.values()) h -= (k / t.length) * Math.log2(k / t.length);
      expect(shannonEntropy(t)).toBe(h);
    }
  });
});
