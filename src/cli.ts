#!/usr/bin/env node
// The installed command. It runs the bundled program the build makes (one CommonJS file: the
// pre-commit hook starts almost as fast as Node itself), or the modules tsc emitted when there is no
// bundle (a partial build, the test runner).
import { existsSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { runBundle } from './code-cache.js';

const bundle = fileURLToPath(new URL('./bundle/run.js', import.meta.url));
const enableCompileCache = (module as { enableCompileCache?: () => unknown }).enableCompileCache;

if (!existsSync(bundle)) {
  await import('./run.js');
} else if (enableCompileCache) {
  // Node 22.1 and later keep the compiled program between runs themselves (in the system's temp folder)
  enableCompileCache();
  createRequire(import.meta.url)(bundle);
} else {
  runBundle(bundle);
}
