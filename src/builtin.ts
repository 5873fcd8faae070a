// Built-in modules loaded on first use rather than at start-up. Each costs a few milliseconds of every
// run, the hooks' included, and a run that starts no process (a scan outside git, an agent hook's
// clean prompt) or no worker thread (nearly every run) need not pay for them.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The built-in module `id`, loaded when first asked for. */
export function lazyBuiltin<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
