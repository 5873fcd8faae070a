// `npm run bench [-- CASE...]`: every benchmark case, side by side with its peers, in one run.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH, WORK } from './lib.mjs';

const CASES = ['scan', 'hook', 'agent-hook', 'history', 'audit', 'chat', 'bigfile'];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const cases = wanted.length > 0 ? wanted : CASES;
mkdirSync(WORK, { recursive: true });
const results = [];
for (const name of cases) {
  const file = join(BENCH, `${name}.mjs`);
  if (!existsSync(file)) {
    console.log(`\n## ${name}: no benchmark yet`);
    continue;
  }
  console.log(`\n## ${name}`);
  const mod = await import(file);
  const t0 = Date.now();
  const { ok } = await mod.bench();
  results.push([name, ok, Date.now() - t0]);
}
console.log('\n## goals');
for (const [name, ok, ms] of results) console.log(`${ok ? 'met    ' : 'NOT met'}  ${name} (${(ms / 1000).toFixed(0)} s)`);
process.exitCode = results.every(([, ok]) => ok) ? 0 : 1;
