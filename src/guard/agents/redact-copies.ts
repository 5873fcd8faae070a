// The copies an agent wrote of what keyguard blocked (Claude Code's transcript, Codex's rollout and
// history.jsonl), redacted as `keyguard audit --fix` redacts a transcript: each key overwritten in
// place by a marker of its own length (src/fix/in-place.ts), so lines the agent appends meanwhile are
// kept and every line stays valid JSON (src/fix/transcript.ts jsonLineCheck).
//
// The record names the key only by its fingerprint: the file is searched for keys (the engine, with
// the user's own keys) and those whose fingerprint matches are the ones redacted; no other key in the
// file is touched. No backup is made: it would be one more copy of the very key being removed, and the
// change is only that key, overwritten by a same-length marker.
import { open } from 'node:fs/promises';
import { detect } from '../../engine/detect.js';
import { fingerprint } from '../../engine/fingerprint.js';
import type { OwnKeyIndex } from '../../engine/own-keys.js';
import { mayContainKey } from '../../engine/prefilter.js';
import { NotRedactable, redactInPlace } from '../../fix/in-place.js';
import { KeyTargets } from '../../fix/redact-bytes.js';
import { jsonLineCheck } from '../../fix/transcript.js';

const WINDOW = 4 * 1024 * 1024;
/** kept from a window without a newline: more than any key, escaped or base64-encoded, can span */
const TAIL = 4096;

export interface FoundKeys {
  secrets: Set<string>;
  /** one was found only after decoding (base64): the redaction replaces the encoded value too */
  encoded: boolean;
}

/** The keys in `path` whose fingerprint is one of `fingerprints`, read in windows cut at line ends. */
export async function keysByFingerprint(path: string, fingerprints: ReadonlySet<string>, ownKeys: OwnKeyIndex | undefined): Promise<FoundKeys> {
  const found: FoundKeys = { secrets: new Set(), encoded: false };
  const fh = await open(path, 'r');
  try {
    const fresh = Buffer.allocUnsafe(WINDOW);
    let carry = Buffer.alloc(0);
    for (let pos = 0; ;) {
      const { bytesRead } = await fh.read(fresh, 0, WINDOW, pos);
      pos += bytesRead;
      const final = bytesRead === 0;
      const buf = Buffer.concat([carry, fresh.subarray(0, bytesRead)]);
      let cut = buf.length;
      if (!final) {
        const nl = buf.lastIndexOf(10);
        cut = nl >= 0 ? nl + 1 : Math.max(0, buf.length - TAIL);
      }
      const part = buf.subarray(0, cut);
      if (part.length > 0 && mayContainKey(part)) {
        for (const m of detect(part.toString('utf8'), ownKeys ? { ownKeys } : {})) {
          if (!fingerprints.has(fingerprint(m.secret))) continue;
          found.secrets.add(m.secret);
          if (m.decoded) found.encoded = true;
        }
      }
      carry = Buffer.from(buf.subarray(cut));
      if (final) break;
    }
  } finally {
    await fh.close();
  }
  return found;
}

export interface FileCleanup {
  path: string;
  /** occurrences overwritten */
  count: number;
  /** the file does not exist (yet): nothing to do now */
  missing?: boolean;
  /** why it was left alone (read-only, not a regular file) */
  refused?: string;
}

/** Redact, in place, every occurrence in `path` of the keys with these fingerprints. */
export async function redactCopies(path: string, fingerprints: ReadonlySet<string>, ownKeys: OwnKeyIndex | undefined): Promise<FileCleanup> {
  let found: FoundKeys;
  try {
    found = await keysByFingerprint(path, fingerprints, ownKeys);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { path, count: 0, missing: true };
    if (code === 'EISDIR') return { path, count: 0, refused: `${path} is not a regular file` };
    throw err;
  }
  if (found.secrets.size === 0) return { path, count: 0 };
  try {
    const r = await redactInPlace(path, new KeyTargets(found.secrets, found.encoded), { backup: false, check: jsonLineCheck });
    return { path, count: r.count };
  } catch (err) {
    if (err instanceof NotRedactable) return { path, count: 0, refused: err.message };
    throw err;
  }
}
