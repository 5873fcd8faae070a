// The stable JSON schema (documented in the README). Field order is fixed; `secret` only with --show-secrets.
import type { Check, Finding, ScanSummary } from '../types.js';

export const JSON_SCHEMA_VERSION = 1;

export function findingToJson(f: Finding, showSecrets: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = {
    ruleId: f.ruleId,
    family: f.family,
    description: f.familyLabel,
    confidence: f.confidence,
    kind: f.kind,
    path: f.location.path,
    line: f.location.line,
    column: f.location.column,
    redacted: f.redacted,
    fingerprint: f.fingerprint,
  };
  if (f.location.commit) o.commit = f.location.commit;
  if (f.location.details) o.details = f.location.details;
  if (f.alsoIn && f.alsoIn.length > 0) o.fields = f.alsoIn;
  if (f.decoded) o.decoded = f.decoded;
  if (f.ownKey) o.ownKey = f.ownKey;
  // --verify (issue 7)
  if (f.verification) o.verification = { result: f.verification, ...(f.verificationDetail ? { detail: f.verificationDetail } : {}) };
  if (showSecrets) o.secret = f.secret;
  return o;
}

export function renderJson(findings: readonly Finding[], summary: ScanSummary, opts: { showSecrets: boolean }, checks: readonly Check[] = [], extra: Record<string, unknown> = {}): string {
  const doc: Record<string, unknown> = {
    version: JSON_SCHEMA_VERSION,
    tool: 'keyguard',
    findings: findings.map((f) => findingToJson(f, opts.showSecrets)),
  };
  if (checks.length > 0) doc.checks = checks;
  Object.assign(doc, extra);
  doc.summary = summary;
  return `${JSON.stringify(doc, null, 2)}\n`;
}
