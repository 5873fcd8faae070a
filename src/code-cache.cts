// Starting the bundled program fast. The pre-commit hook and the agent hooks start keyguard on every
// commit and every prompt; most of what they cost above Node's own start is V8 compiling the program.
// Node 22.1 and later keep compiled code between runs themselves (module.enableCompileCache). On
// older Node the build leaves V8's code cache beside the bundle, and the bundle is compiled here with
// it: the same wrapper Node's CommonJS loader uses, so the program cannot tell the difference. When V8
// rejects the cache (another Node version, other V8 flags) it compiles as usual: slower, never wrong.
import fs = require('node:fs');
import Module = require('node:module');
import path = require('node:path');
import vm = require('node:vm');

/** The cache file that belongs to a bundle file: `run.js` → `run.cache`. */
function cacheFileOf(bundle: string): string {
  return bundle.replace(/\.[cm]?js$/, '') + '.cache';
}

function compiled(bundle: string, cachedData: Buffer | undefined): vm.Script {
  // Module.wrap: (function (exports, require, module, __filename, __dirname) { … })
  const source = Module.wrap(fs.readFileSync(bundle, 'utf8'));
  return new vm.Script(source, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
}

function readCache(bundle: string): Buffer | undefined {
  try {
    return fs.readFileSync(cacheFileOf(bundle));
  } catch {
    return undefined;
  }
}

/** The bundle compiled with its code cache (`cachedDataRejected` says whether V8 took it). */
function compileBundle(bundle: string): vm.Script {
  const file = path.resolve(bundle);
  return compiled(file, readCache(file));
}

/** Run a compiled bundle as Node's loader runs a CommonJS module. */
function runScript(script: vm.Script, file: string): void {
  const mod = new Module(file);
  mod.filename = file;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
}

/** Run a CommonJS bundle as Node's loader would, compiled with its code cache when V8 accepts it. */
function runBundle(bundle: string): void {
  const file = path.resolve(bundle);
  runScript(compileBundle(file), file);
}

/** The bundle compiled without a cache, for writeCodeCache (run it first to have its functions in the cache). */
function compileFresh(bundle: string): vm.Script {
  return compiled(path.resolve(bundle), undefined);
}

/**
 * The build's last step: keep V8's code for the bundle beside it. Given a script that has run (the
 * build's warm-up, test/tools/warm-code-cache.cjs), the cache holds every function that run compiled,
 * so a scan does not compile them again; else only what V8 compiles up front.
 */
function writeCodeCache(bundle: string, script: vm.Script = compileFresh(bundle)): void {
  fs.writeFileSync(cacheFileOf(path.resolve(bundle)), script.createCachedData());
}

export = { cacheFileOf, compileBundle, compileFresh, runBundle, runScript, writeCodeCache };
