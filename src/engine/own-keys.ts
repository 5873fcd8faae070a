// The user's own configured keys, recognised by hash. The index never keeps a key: only a short
// prefix to search for (in memory, never written), the length, and a SHA-256.
import { sha256Hex } from './sha256.js';

export interface OwnKey {
  secret: string;
  /** where it is configured, e.g. "your OPENAI_API_KEY, set in ~/.zshrc line 12" */
  label: string;
}

interface Entry {
  prefix: string;
  length: number;
  hash: string;
  label: string;
}

const PREFIX_LENGTH = 12;

/** What `--fix` leaves where a key was (src/fix/redact-bytes.ts), padded to the key's length: never a key. */
const REDACTION_MARKER = /^REDACTED-[0-9a-f]{8}x*$/;

export class OwnKeyIndex {
  private readonly entries: Entry[];
  private readonly byHash: Map<string, string>;

  constructor(keys: readonly OwnKey[]) {
    const seen = new Map<string, Entry>();
    for (const k of keys) {
      if (k.secret.length < 20 || REDACTION_MARKER.test(k.secret)) continue;
      const hash = sha256Hex(k.secret);
      const prev = seen.get(hash);
      if (prev) continue;
      seen.set(hash, { prefix: k.secret.slice(0, PREFIX_LENGTH), length: k.secret.length, hash, label: k.label });
    }
    this.entries = [...seen.values()];
    this.byHash = new Map(this.entries.map((e) => [e.hash, e.label]));
  }

  get size(): number {
    return this.entries.length;
  }

  /** Search needles for the prefilter. */
  get needles(): string[] {
    return this.entries.map((e) => e.prefix);
  }

  labelOf(secret: string): string | undefined {
    return this.byHash.size === 0 ? undefined : this.byHash.get(sha256Hex(secret));
  }

  /** Every place in `text` where one of the keys stands, whatever its shape. */
  findIn(text: string): { start: number; end: number; label: string }[] {
    const hits: { start: number; end: number; label: string }[] = [];
    for (const e of this.entries) {
      let from = 0;
      for (;;) {
        const p = text.indexOf(e.prefix, from);
        if (p < 0) break;
        from = p + 1;
        if (p + e.length <= text.length && sha256Hex(text.slice(p, p + e.length)) === e.hash) {
          hits.push({ start: p, end: p + e.length, label: e.label });
          from = p + e.length;
        }
      }
    }
    return hits;
  }
}
