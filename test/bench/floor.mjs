// The Node floor for a tree scan: list every file, read it whole with readFileSync and search one
// needle. Nothing a scanner can do on one thread costs less; keyguard's goal is a small multiple of it.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const needle = Buffer.from(['T3Bl', 'bkFJ'].join(''));
let files = 0;
let hits = 0;
function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.isFile()) {
      files++;
      if (readFileSync(p).indexOf(needle) >= 0) hits++;
    }
  }
}
walk(process.argv[2] ?? '.');
console.log(`${files} files, ${hits} with the needle`);
