// The keys in an event's strings, as the hook may show them: redacted, with a fingerprint and where
// each was found. The engine runs on each string as it is: pure, no file system.
import { detect } from '../../engine/detect.js';
import { fingerprint } from '../../engine/fingerprint.js';
import type { OwnKeyIndex } from '../../engine/own-keys.js';
import { redact } from '../../engine/redact.js';
import type { Leaf } from './leaves.js';

export interface KeyHit {
  redacted: string;
  fingerprint: string;
  /** the leaf it was found in */
  where: string;
  /** "the key in your OPENAI_API_KEY, set in ~/.zshrc line 2" when it is one of the user's own */
  ownKey?: string;
}

/** Distinct keys (by fingerprint) in `leaves`, in order of first appearance. */
export function keysIn(leaves: readonly Leaf[], ownKeys: OwnKeyIndex | undefined): KeyHit[] {
  const seen = new Map<string, KeyHit>();
  const opts = ownKeys ? { ownKeys } : {};
  for (const leaf of leaves) {
    for (const m of detect(leaf.text, opts)) {
      const fp = fingerprint(m.secret);
      if (seen.has(fp)) continue;
      const hit: KeyHit = { redacted: redact(m.secret), fingerprint: fp, where: leaf.path };
      if (m.ownKey) hit.ownKey = m.ownKey;
      seen.set(fp, hit);
    }
  }
  return [...seen.values()];
}

/** `text` with every key in it replaced by a note naming its redacted form and fingerprint. */
export function withheld(text: string, ownKeys: OwnKeyIndex | undefined): string {
  const matches = detect(text, ownKeys ? { ownKeys } : {});
  if (matches.length === 0) return text;
  let out = '';
  let at = 0;
  for (const m of matches) {
    if (m.start < at) continue;
    out += `${text.slice(at, m.start)}[OpenAI key withheld by keyguard: ${redact(m.secret)} (fingerprint ${fingerprint(m.secret)})]`;
    at = m.end;
  }
  return out + text.slice(at);
}
