// `.keyguard-baseline.json`: known findings by content fingerprint. Sorted, no timestamps, no line
// numbers, so it does not churn and merges cleanly.
import type { Finding } from '../types.js';

export const BASELINE_FILE = '.keyguard-baseline.json';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
}

export interface BaselineFile {
  version: 1;
  description: string;
  findings: BaselineEntry[];
}

export class Baseline {
  private readonly used = new Set<string>();
  private readonly known: Map<string, BaselineEntry>;

  constructor(entries: readonly BaselineEntry[]) {
    this.known = new Map(entries.map((e) => [e.fingerprint, e]));
  }

  has(fp: string): boolean {
    if (!this.known.has(fp)) return false;
    this.used.add(fp);
    return true;
  }

  /** Entries that matched nothing in this run (stale: the key was removed, or the file changed). */
  unused(): string[] {
    return [...this.known.keys()].filter((fp) => !this.used.has(fp)).sort();
  }
}

/** Throws a plain Error with a message on a malformed file; the caller turns it into a usage error. */
export function parseBaseline(text: string): BaselineEntry[] {
  const data = JSON.parse(text) as Partial<BaselineFile>;
  if (!data || !Array.isArray(data.findings)) throw new Error('expected {"version": 1, "findings": [...]}');
  return data.findings.map((e, i) => {
    if (typeof e?.fingerprint !== 'string' || !/^[0-9a-f]{16}$/.test(e.fingerprint)) {
      throw new Error(`findings[${i}].fingerprint must be 16 hex characters`);
    }
    return { fingerprint: e.fingerprint, ruleId: String(e.ruleId ?? '') };
  });
}

export function renderBaseline(findings: readonly Finding[]): string {
  const byFp = new Map<string, BaselineEntry>();
  for (const f of findings) byFp.set(f.fingerprint, { fingerprint: f.fingerprint, ruleId: f.ruleId });
  const file: BaselineFile = {
    version: 1,
    description: 'Known keyguard findings, by content fingerprint (never the key). Keys listed here must still be revoked.',
    findings: [...byFp.values()].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint)),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}
