// node:crypto, loaded on first use: it costs about 5 ms to load, and the pre-commit hook on a clean
// commit (no finding to fingerprint, no own key to hash, no file to rewrite) never needs it.
import { createRequire } from 'node:module';

type Crypto = typeof import('node:crypto');
let loaded: Crypto | undefined;

export function nodeCrypto(): Crypto {
  return (loaded ??= createRequire(import.meta.url)('node:crypto') as Crypto);
}
