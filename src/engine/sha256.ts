// SHA-256 of text, as hex, for fingerprints and own-key hashes. The few hashes a run makes are made
// cold: in WebAssembly (sha256.wat) they run as machine code from the first call, where a JavaScript
// hash is interpreted at some 0.2 ms a string and node:crypto takes some 5 ms to load (fifty
// fingerprints cost 8 to 11 ms either way). node:crypto where the module cannot run (no WebAssembly)
// and for text longer than its one page holds. The digests are the same bytes (test/engine.test.ts).
import { nodeCrypto } from '../builtin.js';
import { wasmInstance, WASM_PAGE, type WasmMemory } from './wasm.js';
import { SHA256_WASM } from './sha256-wasm.js';

interface Exports extends WasmMemory {
  hash(length: number): void;
}

/** Where the module reads the message (after its digest, constants and schedule); 72 bytes of padding follow it. */
const MESSAGE = 1024;
const ROOM = WASM_PAGE - MESSAGE - 72;

const wasmHasher = wasmInstance(SHA256_WASM, (exports: Exports) => ({ exports, memory: Buffer.from(exports.memory.buffer) }));

/** SHA-256 of `text` (UTF-8), in lower-case hex. */
export function sha256Hex(text: string): string {
  // (three bytes of UTF-8 at most for each UTF-16 unit)
  const h = text.length * 3 <= ROOM ? wasmHasher() : null;
  if (!h) return nodeCrypto().createHash('sha256').update(text).digest('hex');
  const length = h.memory.write(text, MESSAGE, 'utf8');
  h.exports.hash(length);
  return h.memory.toString('hex', 0, 32);
}
