// The stable JSON schema (documented in the README). Field order is fixed; `secret` only with --show-secrets.
import type { Check, CommitInfo, Finding, ScanSummary } from '../types.js';
import { nameView, redactKeysIn, type NameView } from './names.js';
import { asciiSafeJson } from './printable.js';

export const JSON_SCHEMA_VERSION = 1;

/** A commit as reported: author and ref names may hold a key (`git branch sk-…`), shown redacted. */
export function commitToJson(commit: CommitInfo, view: NameView): CommitInfo {
  const out: CommitInfo = { ...commit, author: view.data(commit.author) };
  const ex = commit.exposure;
  if (ex) out.exposure = { ...ex, branches: ex.branches.map(view.data), tags: ex.tags.map(view.data), remoteRefs: ex.remoteRefs.map(view.data) };
  return out;
}

/** Details values (titles, names) with keys redacted. */
export function detailsToJson(details: Record<string, string | number | boolean>, view: NameView): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(details).map(([k, v]) => [view.data(k), typeof v === 'string' ? view.data(v) : v]));
}

/** Checks, errors and notes never carry a key on purpose: any key in them (a path) is redacted. */
export function checkToJson(ch: Check): Check {
  const out: Check = { ...ch, message: redactKeysIn(ch.message), fix: ch.fix.map(redactKeysIn) };
  if (ch.detail !== undefined) out.detail = redactKeysIn(ch.detail);
  if (ch.path !== undefined) out.path = redactKeysIn(ch.path);
  return out;
}

export function summaryToJson(summary: ScanSummary): ScanSummary {
  return {
    ...summary,
    errors: summary.errors.map((e) => ({ path: redactKeysIn(e.path), message: redactKeysIn(e.message) })),
    notes: summary.notes.map(redactKeysIn),
  };
}

export function findingToJson(f: Finding, showSecrets: boolean): Record<string, unknown> {
  const view = nameView(showSecrets);
  const o: Record<string, unknown> = {
    ruleId: f.ruleId,
    family: f.family,
    description: f.familyLabel,
    confidence: f.confidence,
    kind: f.kind,
    path: view.data(f.location.path),
    line: f.location.line,
    column: f.location.column,
    redacted: f.redacted,
    fingerprint: f.fingerprint,
  };
  if (f.location.commit) o.commit = commitToJson(f.location.commit, view);
  if (f.location.details) o.details = detailsToJson(f.location.details, view);
  if (f.alsoIn && f.alsoIn.length > 0) o.fields = f.alsoIn.map(view.data);
  if (f.decoded) o.decoded = f.decoded;
  if (f.joinedLines !== undefined) o.joinedLines = f.joinedLines;
  if (f.ownKey) o.ownKey = f.ownKey;
  // present only when --verify ran
  if (f.verification) o.verification = { result: f.verification, ...(f.verificationDetail ? { detail: view.data(f.verificationDetail) } : {}) };
  if (showSecrets) o.secret = f.secret;
  return o;
}

export function renderJson(
  findings: readonly Finding[],
  summary: ScanSummary,
  opts: { showSecrets: boolean },
  checks: readonly Check[] = [],
  extra: Record<string, unknown> = {},
): string {
  const doc: Record<string, unknown> = {
    version: JSON_SCHEMA_VERSION,
    tool: 'keyguard',
    findings: findings.map((f) => findingToJson(f, opts.showSecrets)),
  };
  if (checks.length > 0) doc.checks = checks.map(checkToJson);
  Object.assign(doc, extra);
  doc.summary = summaryToJson(summary);
  return `${asciiSafeJson(JSON.stringify(doc, null, 2))}\n`;
}
