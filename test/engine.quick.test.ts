import { expect, it } from 'vitest';
import { detect } from '../src/engine/index.js';
import { FAMILIES, fakeKey, rng } from './helpers/keys.js';
it('quick', () => {
const r = rng(7);
const fails: unknown[] = [];
for (const f of FAMILIES) {
  const k = fakeKey(f, r);
  for (const ctx of [`x=${k}\n`, `"\\n${k}\\"`, `%20${k}%26`, `\\u0022${k}\\u0022`, `a,${k},b`, `?api_key=${k}&x`]) {
    const m = detect(ctx);
    if (m.length !== 1 || m[0]!.secret !== k || m[0]!.family !== f) fails.push([f, ctx.slice(0,20), m.map(x=>[x.family,x.secret.length])]);
  }
}
const k8s = Buffer.from(fakeKey('project_164', r)).toString('base64');
console.log(detect(`data:\n  OPENAI_API_KEY: ${k8s}\n`).map(m=>[m.family,m.line,m.column,m.decoded]));
expect(fails).toEqual([]);
});
