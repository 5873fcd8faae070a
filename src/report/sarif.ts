// SARIF 2.1.0 for GitHub code scanning: one rule per rule id with help text, partialFingerprints from content.
import { RULES } from '../engine/rules.js';
import { VERSION } from '../version.js';
import type { Check, Finding, RuleId, ScanSummary } from '../types.js';
import { checkToJson, commitToJson, detailsToJson, summaryToJson } from './json.js';
import { nameView } from './names.js';
import { asciiSafeJson } from './printable.js';
import { remediationSteps } from './remediation.js';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** SARIF wants relative URIs with forward slashes; archive members keep the `!` joined path. */
function uriOf(path: string): string {
  const p = path.replace(/\\/g, '/').replace(/^\.\//, '');
  return p
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/%21/g, '!'))
    .join('/');
}

export function renderSarif(findings: readonly Finding[], summary: ScanSummary, opts: { showSecrets: boolean }, allChecks: readonly Check[] = []): string {
  const view = nameView(opts.showSecrets);
  const checks = allChecks.map(checkToJson);
  const ruleIds = Object.keys(RULES) as RuleId[];
  const rules = ruleIds.map((id) => {
    const r = RULES[id];
    const steps = remediationSteps('file');
    return {
      id,
      name: r.name,
      shortDescription: { text: r.short },
      fullDescription: { text: r.help },
      help: {
        text: `${r.help}\n\n${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}`,
        markdown: `${r.help}\n\n${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}`,
      },
      defaultConfiguration: { level: r.level },
      properties: {
        tags: ['security', 'secret', 'openai'],
        precision: r.confidence === 'high' ? 'very-high' : r.confidence,
        'security-severity': r.level === 'error' ? '9.0' : '5.0',
      },
    };
  });
  const results = findings.map((f) => {
    const key = opts.showSecrets ? f.secret : f.redacted;
    const where = f.location.commit ? ` (introduced in commit ${f.location.commit.sha})` : '';
    const properties: Record<string, unknown> = { family: f.family, confidence: f.confidence, kind: f.kind, redacted: f.redacted };
    if (f.location.commit) {
      const commit = commitToJson(f.location.commit, view);
      properties.commitSha = commit.sha;
      properties.author = commit.author;
      properties.date = commit.date;
      if (commit.exposure) properties.exposure = commit.exposure;
    }
    if (f.location.details) properties.details = detailsToJson(f.location.details, view);
    if (f.ownKey) properties.ownKey = f.ownKey;
    if (f.decoded) properties.decoded = f.decoded;
    if (f.joinedLines !== undefined) properties.joinedLines = f.joinedLines;
    const result: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIds.indexOf(f.ruleId),
      level: RULES[f.ruleId].level,
      message: { text: `${f.familyLabel} ${key}${where}. Revoke it at https://platform.openai.com/api-keys, then remove it.` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: uriOf(view.data(f.location.path)) },
            region: { startLine: Math.max(1, f.location.line), startColumn: Math.max(1, f.location.column) },
          },
        },
      ],
      partialFingerprints: { 'keyguardFingerprint/v1': f.fingerprint },
      properties,
    };
    return result;
  });
  const checkRules = [...new Map(checks.map((ch) => [ch.id, ch])).values()].map((ch) => ({
    id: ch.id,
    shortDescription: { text: ch.message },
    help: { text: ch.fix.join('\n') || ch.message },
    defaultConfiguration: { level: ch.severity === 'info' ? 'note' : ch.severity },
  }));
  for (const ch of checks) {
    const result: Record<string, unknown> = {
      ruleId: ch.id,
      ruleIndex: ruleIds.length + checkRules.findIndex((r) => r.id === ch.id),
      level: ch.severity === 'info' ? 'note' : ch.severity,
      message: { text: [ch.message, ch.detail, ...ch.fix.map((f) => `Fix: ${f}`)].filter(Boolean).join(' ') },
    };
    if (ch.path) {
      result.locations = [{ physicalLocation: { artifactLocation: { uri: uriOf(ch.path) }, ...(ch.line ? { region: { startLine: ch.line } } : {}) } }];
    }
    results.push(result);
  }
  const doc = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'keyguard', version: VERSION, semanticVersion: VERSION, rules: [...rules, ...checkRules] } },
        results,
        invocations: [
          {
            executionSuccessful: summary.errors.length === 0,
            toolExecutionNotifications: summaryToJson(summary).errors.map((e) => ({ level: 'error', message: { text: `${e.path}: ${e.message}` } })),
          },
        ],
      },
    ],
  };
  return `${asciiSafeJson(JSON.stringify(doc, null, 2))}\n`;
}
