#!/usr/bin/env node
// The installed command. It runs the bundled program the build makes (one CommonJS file: the
// pre-commit hook starts almost as fast as Node itself), or the modules tsc emitted when there is no
// bundle (a partial build). This file is CommonJS too: an ES module entry costs Node's ESM loader,
// some 6 ms of every commit.
import fs = require('node:fs');
import nodeModule = require('node:module');
import path = require('node:path');
import codeCache = require('./code-cache.cjs');

const bundle = path.join(__dirname, 'bundle', 'run.js');
const enableCompileCache = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;

if (!fs.existsSync(bundle)) {
  void import('./run.js');
} else if (enableCompileCache) {
  // Node 22.1 and later keep the compiled program between runs themselves (in the system's temp folder)
  enableCompileCache();
  require(bundle);
} else {
  codeCache.runBundle(bundle);
}
