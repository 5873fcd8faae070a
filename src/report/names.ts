// Names that hold a key (a file or archive member named after one, a commit author, a branch or tag)
// are shown with the key redacted, in every format: only --show-secrets prints a key in full. The key
// itself is reported as a finding by the scan (src/scan/names.ts).
import { detect } from '../engine/detect.js';
import { mayContainKey } from '../engine/prefilter.js';
import { redact } from '../engine/redact.js';
import { printable } from './printable.js';

/** `text` with every key in it replaced by its redacted form. */
export function redactKeysIn(text: string): string {
  if (!mayContainKey(text)) return text;
  let out = text;
  const matches = detect(text).sort((a, b) => b.start - a.start);
  let until = Infinity;
  for (const m of matches) {
    if (m.end > until) continue; // overlapping (a key inside a base64 run): the outer one was replaced
    out = `${out.slice(0, m.start)}${redact(m.secret)}${out.slice(m.end)}`;
    until = m.start;
  }
  return out;
}

/** How names are shown in one report. */
export interface NameView {
  /** for JSON and SARIF: keys redacted */
  data(text: string): string;
  /** for text on a terminal: keys redacted and control characters escaped */
  text(text: string): string;
}

export function nameView(showSecrets: boolean): NameView {
  const data = showSecrets ? (t: string) => t : redactKeysIn;
  return { data, text: (t) => printable(data(t)) };
}
