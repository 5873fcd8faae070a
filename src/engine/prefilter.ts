// The cheap first look: most buffers carry no marker and cost one native search per needle.
//
// Every needle is one more pass over every buffer, so escaped session keys add none: `sess-` is
// searched as `sess` followed by `-` or the start of an escape (`%`, `\`, `&`), in the same pass.
// Keys with escaped `-`/`_` keep the marker literal and need no needle of their own; base64'd session
// keys add three (one per alignment). Keys split across lines may have the marker cut: joined.ts's
// trace (an `sk-` run that stops at a line break or a concatenation) is one more search, for `sk-`.
import { MARKER, SESSION_PREFIX } from './rules.js';
import { ENCODED_MARKERS, ENCODED_SESSION_STARTS } from './decode.js';
import type { OwnKeyIndex } from './own-keys.js';
import { hasSplitTrace } from './joined.js';

const BASE_NEEDLES: readonly string[] = [MARKER, SESSION_PREFIX, ...ENCODED_MARKERS, ...ENCODED_SESSION_STARTS];

export function needlesFor(ownKeys?: OwnKeyIndex): string[] {
  return ownKeys && ownKeys.size > 0 ? [...BASE_NEEDLES, ...ownKeys.needles] : [...BASE_NEEDLES];
}

const SESS = SESSION_PREFIX.slice(0, -1);

/** `sess` then `-`, or `%`, `\` or `&` (the escapes unescape.ts decodes: `sess%2D`, `sess\u002d`, `sess&#45;`). */
function hasSessionStart(data: Buffer | string): boolean {
  for (let i = data.indexOf(SESS); i >= 0; i = data.indexOf(SESS, i + SESS.length)) {
    const c = typeof data === 'string' ? data.charCodeAt(i + SESS.length) : data[i + SESS.length];
    if (c === 45 /* - */ || c === 37 /* % */ || c === 92 /* \ */ || c === 38 /* & */) return true;
  }
  return false;
}

/** True when the buffer may hold a credential and must go through `detect`. */
export function mayContainKey(data: Uint8Array | string, needles: readonly string[] = BASE_NEEDLES): boolean {
  const d = typeof data === 'string' || Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return needles.some((n) => (n === SESSION_PREFIX ? hasSessionStart(d) : d.includes(n))) || hasSplitTrace(d);
}
