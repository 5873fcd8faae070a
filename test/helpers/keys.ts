// Fake keys, generated at test time from a seed, so no key-shaped literal is ever committed. The shapes
// and the generators are the engine's own (src/engine/rules.ts): the family table is written once.
import { ALPHABET_CHARS, KEY_FAMILIES, MARKER, type FamilyShape, type SessionShape } from '../../src/engine/rules.js';
import type { FamilyId } from '../../src/types.js';
import { randomString, rng } from './seeded.mjs';

export { MARKER, randomString, rng };

export type KeyFamily = Exclude<FamilyId, 'unrecognised' | 'own_key'>;

// Seeded tests pick a family by its index here: this order must not change (new families go last).
const SEEDED_ORDER: readonly KeyFamily[] = [
  'legacy_user_51',
  'user_v2_95',
  'project_short_56',
  'project_132',
  'project_164',
  'none_short_56',
  'none_164',
  'named_svcacct_2024',
  'svcacct_111',
  'svcacct_167',
  'admin_133',
  'session_45',
];

const BY_ID = new Map<KeyFamily, FamilyShape | SessionShape>(KEY_FAMILIES.map((f) => [f.id as KeyFamily, f]));

export const FAMILIES: KeyFamily[] = [...SEEDED_ORDER, ...[...BY_ID.keys()].filter((id) => !SEEDED_ORDER.includes(id))];

interface Shape {
  /** what every generated key starts with (the named service account's example name included) */
  prefix: string;
  /** characters on each side of the marker; for session keys, of the body */
  half: number;
  alphabet: string;
}

function shapeOf(f: FamilyShape | SessionShape): Shape {
  const alphabet = ALPHABET_CHARS[f.alphabet];
  if ('body' in f) return { prefix: f.prefix, half: f.body, alphabet };
  const key = f.examples.hit(rng(1));
  return { prefix: key.slice(0, key.indexOf(MARKER) - f.half), half: f.half, alphabet };
}

export const SHAPES = Object.fromEntries(FAMILIES.map((id) => [id, shapeOf(BY_ID.get(id)!)])) as Record<KeyFamily, Shape>;

/** A fake key of `family`. Long formats end like real ones (last char `A`); `endWith` replaces the right half's end. */
export function fakeKey(family: KeyFamily, next: () => number, opts: { endWith?: string } = {}): string {
  const key = BY_ID.get(family)!.examples.hit(next);
  // session keys have no right half
  if (!opts.endWith || family === 'session_45') return key;
  return key.slice(0, key.length - opts.endWith.length) + opts.endWith;
}

/** One fake key for a seed, handy in tests that need just one. */
export function keyFor(family: KeyFamily, seed = 1): string {
  return fakeKey(family, rng(seed));
}
