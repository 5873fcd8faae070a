// Starting the bundled program fast. The pre-commit hook and the agent hooks start keyguard on every
// commit and every prompt; most of what they cost above Node's own start is V8 compiling the program.
// Node 22.1 and later keep compiled code between runs themselves (module.enableCompileCache). On
// older Node the build leaves V8's code cache beside the bundle, and the bundle is compiled here with
// it: the same wrapper Node's CommonJS loader uses, so the program cannot tell the difference. When V8
// rejects the cache (another Node version, other V8 flags) it compiles as usual: slower, never wrong.
import { readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Script } from 'node:vm';

/** The cache file that belongs to a bundle file: `run.js` → `run.cache`. */
export function cacheFileOf(bundle: string): string {
  return bundle.replace(/\.[cm]?js$/, '') + '.cache';
}

function compiled(bundle: string, cachedData: Buffer | undefined): Script {
  // Module.wrap: (function (exports, require, module, __filename, __dirname) { … })
  const source = Module.wrap(readFileSync(bundle, 'utf8'));
  return new Script(source, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
}

function readCache(bundle: string): Buffer | undefined {
  try {
    return readFileSync(cacheFileOf(bundle));
  } catch {
    return undefined;
  }
}

/** Run a CommonJS bundle as Node's loader would, compiled with its code cache when V8 accepts it. */
export function runBundle(bundle: string): void {
  const file = resolve(bundle);
  const script = compiled(file, readCache(file));
  const mod = new Module(file);
  mod.filename = file;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
}

/** The build's last step: compile the bundle once and keep V8's code for it beside it. */
export function writeCodeCache(bundle: string): void {
  const file = resolve(bundle);
  writeFileSync(cacheFileOf(file), compiled(file, undefined).createCachedData());
}
