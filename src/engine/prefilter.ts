// The cheap first look: most buffers carry no marker and cost one native search per needle.
import { MARKER, SESSION_PREFIX } from './rules.js';
import { ENCODED_MARKERS } from './decode.js';
import type { OwnKeyIndex } from './own-keys.js';

const BASE_NEEDLES: readonly string[] = [MARKER, SESSION_PREFIX, ...ENCODED_MARKERS];

export function needlesFor(ownKeys?: OwnKeyIndex): string[] {
  return ownKeys && ownKeys.size > 0 ? [...BASE_NEEDLES, ...ownKeys.needles] : [...BASE_NEEDLES];
}

/** True when the buffer may hold a credential and must go through `detect`. */
export function mayContainKey(data: Uint8Array | string, needles: readonly string[] = BASE_NEEDLES): boolean {
  if (typeof data === 'string') return needles.some((n) => data.includes(n));
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return needles.some((n) => buf.includes(n));
}
