// `npm run bench -- gates`: the precision gates against 100,000 simulated real keys per family (the unit
// suite, test/engine.gates.test.ts, runs 2,000). Real keys are drawn the way OpenAI draws them: the
// families' own generators (long formats ending like published keys), unrestricted session bodies.
import { detect } from '../../dist/engine/detect.js';
import { ALPHABET_CHARS, KEY_FAMILIES, SESSION_PREFIX } from '../../dist/engine/rules.js';
import { randomString, rng } from '../helpers/seeded.mjs';

const PER_FAMILY = Number(process.env.KEYGUARD_GATE_KEYS ?? 100_000);

export async function bench() {
  let ok = true;
  const t0 = Date.now();
  for (const family of KEY_FAMILIES) {
    // the same seeds as the unit test, which checks the first 2,000 of these keys
    const next = rng(0x5eed + family.id.length * 7919 + family.id.charCodeAt(0));
    let rejected = 0;
    for (let i = 0; i < PER_FAMILY; i++) {
      const key = 'body' in family ? SESSION_PREFIX + randomString(next, family.body, ALPHABET_CHARS.alnum) : family.examples.hit(next);
      const found = detect(key, { decode: false });
      if (found.length !== 1 || found[0].secret !== key || found[0].family !== family.id) rejected++;
    }
    console.log(`${family.id.padEnd(20)} ${rejected} of ${PER_FAMILY} simulated keys rejected`);
    if (rejected > 0) ok = false;
  }
  console.log(`${KEY_FAMILIES.length * PER_FAMILY} keys in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${ok ? 'met    ' : 'NOT met'}  no simulated real key rejected by the gates`);
  return { ok };
}
