// The build's V8 code cache is the one the installed command uses: V8 accepts it for the bundle as
// built (were it rejected, every hook run would silently compile keyguard again), and rejects it, with
// the program still running, once the bundle changes. It holds what the build's warm-up runs compiled
// (test/tools/warm-code-cache.cjs), not only what V8 compiles up front.
import { copyFileSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, tempDir } from './helpers/tmp.js';

const require = createRequire(import.meta.url);
const codeCache = require(join(PROJECT_ROOT, 'dist', 'code-cache.cjs')) as typeof import('../src/code-cache.cjs');
const BUNDLE = join(PROJECT_ROOT, 'dist', 'bundle', 'run.js');

describe('the code cache', () => {
  it('is accepted for the bundle as built', () => {
    expect(codeCache.cacheFileOf(BUNDLE)).toBe(join(PROJECT_ROOT, 'dist', 'bundle', 'run.cache'));
    expect(codeCache.compileBundle(BUNDLE).cachedDataRejected).toBe(false);
  });

  it('holds the functions the warm-up runs compiled, for a bundle V8 keeps as one-byte text', () => {
    // what V8 compiles up front is the top level of each module: a scan's functions double the cache
    const upFront = codeCache.compileFresh(BUNDLE).createCachedData().length;
    expect(readFileSync(codeCache.cacheFileOf(BUNDLE)).length).toBeGreaterThan(upFront * 1.5);
    // one character past ASCII and V8 holds the whole source as two bytes a character, and reads it slower
    expect(readFileSync(BUNDLE).some((b) => b > 0x7f)).toBe(false);
  });

  it('is rejected for a changed bundle, which still runs', () => {
    const dir = tempDir('kg-cache-');
    mkdirSync(join(dir, 'bundle'));
    for (const f of ['run.cache', 'package.json', 'read-worker.js']) copyFileSync(join(PROJECT_ROOT, 'dist', 'bundle', f), join(dir, 'bundle', f));
    writeFileSync(join(dir, 'bundle', 'run.js'), `${readFileSync(BUNDLE, 'utf8')}\n// changed\n`);
    expect(codeCache.compileBundle(join(dir, 'bundle', 'run.js')).cachedDataRejected).toBe(true);
    const loader = join(PROJECT_ROOT, 'dist', 'code-cache.cjs');
    // (node -e puts its first argument at argv[1], where the program expects its own path)
    const r = spawnSync(
      process.execPath,
      ['-e', `require(${JSON.stringify(loader)}).runBundle(${JSON.stringify(join(dir, 'bundle', 'run.js'))})`, 'keyguard', '--version'],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
