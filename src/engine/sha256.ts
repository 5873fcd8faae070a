// SHA-256 of text, as hex. The first few come from @noble/hashes, in JavaScript: loading node:crypto
// costs some 5 ms, more than a hook hashes in all (an own key, a finding). Past those, node:crypto:
// before V8 optimises it the JavaScript hash costs some 0.2 ms a string, and a scan with fifty
// findings would pay more than the load (measured: 11 ms against 8 for fifty). The digests are the
// same bytes either way (test/engine.test.ts).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { nodeCrypto } from '../builtin.js';

/** Hashes made in JavaScript before node:crypto is loaded. */
export const JS_HASHES = 16;
let hashed = 0;

/** SHA-256 of `text` (UTF-8), in lower-case hex. */
export function sha256Hex(text: string): string {
  return ++hashed <= JS_HASHES ? sha256HexInJs(text) : nodeCrypto().createHash('sha256').update(text).digest('hex');
}

/** The same digest, always in JavaScript. */
export function sha256HexInJs(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}
