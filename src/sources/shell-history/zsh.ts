// zsh: `: <start>:<elapsed>;<command>` with EXTENDED_HISTORY (files mix both forms), an embedded
// newline written as `\` + newline, and metafied bytes (0x83, then the byte XOR 0x20).
import type { EntryFormat, StepOut } from './entries.js';
import { continuationParser } from './continuation.js';
import { unmetafy } from './escapes.js';
import { entryReader } from './reader.js';
import { digitsAt } from './time.js';

/** `: 1700000000:0;` → the command starts after the `;` and the entry gets the start time. */
function extendedPrefix(buf: Buffer, start: number, out: StepOut): void {
  if (buf[start] !== 0x3a /* : */ || buf[start + 1] !== 0x20) return;
  const colon = buf.indexOf(0x3a, start + 2);
  if (colon < 0 || colon >= out.to) return;
  const semi = buf.indexOf(0x3b, colon + 1);
  if (semi < 0 || semi >= out.to) return;
  const t = digitsAt(buf, start + 2, colon);
  if (t === undefined || digitsAt(buf, colon + 1, semi) === undefined) return;
  out.time = t;
  out.from = semi + 1;
}

export const zshHistory: EntryFormat = {
  name: 'zsh history',
  kind: 'shell-history',
  parser: continuationParser({ marker: 0x5c, rawEnd: true, prefix: extendedPrefix }),
  decode: unmetafy,
};
export const reader = entryReader(zshHistory);
