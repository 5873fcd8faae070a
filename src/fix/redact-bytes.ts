// The --fix transform for text histories and profiles: a pure function of the file's bytes, so
// rewriteFile can run it again when a shell appended to the file meanwhile. Keys are ASCII and no
// history format escapes key characters, so every raw occurrence of a key is the key itself, and
// the marker (key characters only) needs no escaping either: the file stays valid in its format
// and each entry stays one entry.
import { detect } from '../engine/detect.js';
import { fingerprint } from '../engine/fingerprint.js';

/**
 * What a key becomes: names the finding (the first 8 characters of its fingerprint) without holding
 * any of the key. Short on purpose: under 20 characters nothing takes it for a key value.
 */
export function redactionMarker(secret: string): string {
  return `REDACTED-${fingerprint(secret).slice(0, 8)}`;
}

export interface Redaction {
  content: Buffer;
  /** occurrences replaced */
  count: number;
}

/**
 * Replace every occurrence of the given keys; `encoded` also replaces base64 values that decode to
 * one of them. Undefined when nothing changes.
 */
export function redactKeys(content: Buffer, secrets: ReadonlySet<string>, encoded = false): Redaction | undefined {
  let text = content.toString('latin1');
  let count = 0;
  for (const secret of secrets) {
    if (!text.includes(secret)) continue;
    const parts = text.split(secret);
    count += parts.length - 1;
    text = parts.join(redactionMarker(secret));
  }
  if (encoded) {
    const hits = detect(text, { bytes: true }).filter((m) => m.decoded && secrets.has(m.secret));
    for (const m of hits.reverse()) {
      text = text.slice(0, m.start) + redactionMarker(m.secret) + text.slice(m.end);
      count++;
    }
  }
  return count > 0 ? { content: Buffer.from(text, 'latin1'), count } : undefined;
}
