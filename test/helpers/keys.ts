// Fake keys, generated at test time from a seed, so no key-shaped literal is ever committed.
import type { FamilyId } from '../../src/types.js';
import { randomString, rng } from './seeded.mjs';

export { randomString, rng };

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64URL = `${ALNUM}-_`;
/** The marker, assembled so that this file itself holds no key-shaped literal. */
export const MARKER = ['T3Bl', 'bkFJ'].join('');

interface Shape {
  prefix: string;
  half: number;
  alphabet: string;
}

export const SHAPES: Record<Exclude<FamilyId, 'unrecognised' | 'own_key'>, Shape> = {
  legacy_user_51: { prefix: 'sk-', half: 20, alphabet: ALNUM },
  user_v2_95: { prefix: 'sk-', half: 42, alphabet: B64URL },
  project_short_56: { prefix: 'sk-proj-', half: 20, alphabet: ALNUM },
  project_132: { prefix: 'sk-proj-', half: 58, alphabet: B64URL },
  project_164: { prefix: 'sk-proj-', half: 74, alphabet: B64URL },
  none_short_56: { prefix: 'sk-None-', half: 20, alphabet: ALNUM },
  none_164: { prefix: 'sk-None-', half: 74, alphabet: B64URL },
  named_svcacct_2024: { prefix: 'sk-build-bot-', half: 20, alphabet: ALNUM },
  svcacct_111: { prefix: 'sk-svcacct-', half: 46, alphabet: B64URL },
  svcacct_167: { prefix: 'sk-svcacct-', half: 74, alphabet: B64URL },
  admin_133: { prefix: 'sk-admin-', half: 58, alphabet: B64URL },
  session_45: { prefix: 'sess-', half: 40, alphabet: ALNUM },
};

export type KeyFamily = keyof typeof SHAPES;
export const FAMILIES = Object.keys(SHAPES) as KeyFamily[];

/** A fake key of `family`. Long formats end like real ones (last char `A`). */
export function fakeKey(family: KeyFamily, next: () => number, opts: { endWith?: string } = {}): string {
  const shape = SHAPES[family];
  if (family === 'session_45') {
    // session keys must mix cases and digits
    for (;;) {
      const body = randomString(next, 40, ALNUM);
      if (/[a-z]/.test(body) && /[A-Z]/.test(body) && /[0-9]/.test(body)) return shape.prefix + body;
    }
  }
  const left = randomString(next, shape.half, shape.alphabet);
  let right = randomString(next, shape.half, shape.alphabet);
  if (opts.endWith) right = right.slice(0, right.length - opts.endWith.length) + opts.endWith;
  else if (shape.alphabet === B64URL) right = `${right.slice(0, -1)}A`;
  return `${shape.prefix}${left}${MARKER}${right}`;
}

/** One fake key for a seed, handy in tests that need just one. */
export function keyFor(family: KeyFamily, seed = 1): string {
  return fakeKey(family, rng(seed));
}
