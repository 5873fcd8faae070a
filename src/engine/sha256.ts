// SHA-256 of text, as hex. From @noble/hashes, not node:crypto: loading node:crypto costs some 5 ms
// of every run that hashes (a scan with a finding, a hook with an own key), and this hashes a few
// short strings. The digests are the same bytes either way (test/engine.test.ts).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** SHA-256 of `text` (UTF-8), in lower-case hex. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}
