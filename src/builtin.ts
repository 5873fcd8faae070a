// Built-in modules loaded on first use rather than at start-up. Each costs a few milliseconds of every
// run, the hooks' included, and a run that starts no process (a scan outside git, an agent hook's
// clean prompt), no worker thread (nearly every run) or hashes nothing (a clean commit) need not pay
// for them.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The built-in module `id`, loaded when first asked for. */
function lazyBuiltin<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}

export const childProcess = lazyBuiltin<typeof import('node:child_process')>('node:child_process');
export const workerThreads = lazyBuiltin<typeof import('node:worker_threads')>('node:worker_threads');
/** about 5 ms to load: random names, and hashes where WebAssembly cannot make them (engine/sha256.ts) */
export const nodeCrypto = lazyBuiltin<typeof import('node:crypto')>('node:crypto');
