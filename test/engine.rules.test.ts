// Every key family's own examples (src/engine/rules.ts), in one table: its hits are found as that family
// with their exact span, in the places keys sit; its near-misses are never reported as that family.
import { describe, expect, it } from 'vitest';
import { detect } from '../src/engine/detect.js';
import { KEY_FAMILIES } from '../src/engine/rules.js';
import { rng } from './helpers/keys.js';

const SEEDS = 40;

/** Where keys sit: alone, assigned, quoted, glued to escapes, in a URL. */
const CONTEXTS: [string, string][] = [
  ['', ''],
  ['OPENAI_API_KEY=', '\n'],
  ['{"key": "', '"}'],
  ['echo \\n', ' done'],
  ['https://x.test/?a=1%20', '&b=2'],
];

describe('key families: generated examples', () => {
  it('covers every family detection recognises by shape', () => {
    expect(KEY_FAMILIES.map((f) => f.id).sort()).toEqual([
      'admin_133',
      'legacy_user_51',
      'named_svcacct_2024',
      'none_164',
      'none_short_56',
      'project_132',
      'project_164',
      'project_short_56',
      'session_45',
      'svcacct_111',
      'svcacct_167',
      'user_v2_95',
    ]);
  });

  for (const family of KEY_FAMILIES) {
    describe(family.id, () => {
      it('hits are found as this family, with their exact span', () => {
        for (let seed = 1; seed <= SEEDS; seed++) {
          const key = family.examples.hit(rng(seed));
          expect(key.startsWith(family.prefix ?? 'sk-')).toBe(true);
          for (const [before, after] of CONTEXTS) {
            const text = `${before}${key}${after}`;
            const found = detect(text).map((m) => [m.family, m.start, m.end, m.secret === key]);
            expect(found, `seed ${seed}: ${JSON.stringify(before)}`).toEqual([[family.id, before.length, before.length + key.length, true]]);
          }
        }
      });

      it('misses are not reported as this family', () => {
        let misses = 0;
        for (let seed = 1; seed <= SEEDS; seed++) {
          for (const miss of family.examples.misses(rng(seed))) {
            for (const [before, after] of CONTEXTS) {
              const families = detect(`${before}${miss.text}${after}`).map((m) => m.family);
              expect(families, `seed ${seed}: ${miss.why}`).not.toContain(family.id);
              misses++;
            }
          }
        }
        // at least four kinds of near-miss per family
        expect(misses).toBeGreaterThanOrEqual(SEEDS * CONTEXTS.length * 4);
      });
    });
  }
});
