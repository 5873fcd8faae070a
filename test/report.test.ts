// Reporters: the SARIF is valid against the official 2.1.0 schema; JSON keeps its documented shape.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../src/report/json.js';
import { renderSarif } from '../src/report/sarif.js';
import { renderText } from '../src/report/text.js';
import { ScanContext } from '../src/scan/context.js';
import { scanned } from './helpers/scan.js';
import type { Chunk, ScanSummary } from '../src/types.js';
import { keyFor } from './helpers/keys.js';

async function scanChunks(chunks: Chunk[]) {
  const ctx = new ScanContext();
  ctx.error('unreadable.txt', 'permission denied');
  return scanned(async function* () {
    for (const c of chunks) {
      ctx.countFile(c.text.length);
      yield c;
    }
  }, ctx);
}

const key = keyFor('project_164', 1);
const chunks: Chunk[] = [
  { text: `a\nk=${key}\n`, origin: { kind: 'file', path: 'src/dir with space/app.py' } },
  {
    text: `+${keyFor('admin_133', 2)}`,
    origin: {
      kind: 'commit',
      path: 'conf/x.env',
      line: 7,
      commit: {
        sha: 'a'.repeat(40),
        author: 'A <a@x>',
        date: '2026-01-01T00:00:00Z',
        exposure: { branches: ['main'], tags: [], pushed: true, remoteRefs: ['origin/main'], atHead: false },
      },
    },
  },
  {
    text: keyFor('session_45', 3),
    origin: { kind: 'chat-export', path: 'export.zip!conversations.json', details: { conversation: 'Debugging 401 (abc)', message: '#3 user' } },
  },
];

describe('SARIF', () => {
  it('validates against the SARIF 2.1.0 schema and carries what code scanning needs', async () => {
    const { findings, summary } = await scanChunks(chunks);
    const checks = [
      { id: 'history-world-readable', severity: 'warning' as const, message: 'readable by others', path: '.bash_history', fix: ['chmod 600 ~/.bash_history'] },
    ];
    const sarif = JSON.parse(renderSarif(findings, summary, { showSecrets: false }, checks));
    const schema = JSON.parse(readFileSync(join(__dirname, 'data', 'sarif-2.1.0.schema.json'), 'utf8'));
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const run = sarif.runs[0];
    expect(run.results).toHaveLength(4);
    const first = run.results[0];
    expect(first.partialFingerprints['keyguardFingerprint/v1']).toMatch(/^[0-9a-f]{16}$/);
    expect(first.locations[0].physicalLocation.artifactLocation.uri).toBe('src/dir%20with%20space/app.py');
    expect(first.locations[0].physicalLocation.region).toEqual({ startLine: 2, startColumn: 3 });
    expect(run.results[1].properties.commitSha).toBe('a'.repeat(40));
    for (const rule of run.tool.driver.rules) expect(rule.help.text.length).toBeGreaterThan(20);
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(JSON.stringify(sarif)).not.toContain(key);
  });
});

describe('JSON', () => {
  it('has the documented shape; secret only with showSecrets', async () => {
    const { findings, summary } = await scanChunks(chunks);
    const doc = JSON.parse(renderJson(findings, summary, { showSecrets: false }));
    expect(doc.version).toBe(1);
    expect(Object.keys(doc.findings[0])).toEqual([
      'ruleId',
      'family',
      'description',
      'confidence',
      'kind',
      'path',
      'line',
      'column',
      'redacted',
      'fingerprint',
    ]);
    expect(doc.findings[1].commit.exposure.pushed).toBe(true);
    expect(doc.findings[2].details).toEqual({ conversation: 'Debugging 401 (abc)', message: '#3 user' });
    expect(Object.keys(doc.summary).sort()).toEqual(['bytes', 'durationMs', 'errors', 'files', 'findings', 'notes', 'skipped', 'suppressed', 'unusedBaseline']);
    const shown = JSON.parse(renderJson(findings, summary, { showSecrets: true }));
    expect(shown.findings[0].secret).toBe(key);
  });
});

describe('text', () => {
  it('says pushed loudly, names the place, and ends with the summary', async () => {
    const { findings, summary } = await scanChunks(chunks);
    const text = renderText(findings, summary as ScanSummary, { color: false, showSecrets: false });
    expect(text).toContain('PUSHED: reachable from origin/main');
    expect(text).toContain('conversation: Debugging 401 (abc)');
    expect(text).toContain('error: unreadable.txt: permission denied');
    expect(text.trimEnd().split('\n').pop()).toMatch(/^keyguard: scanned 3 files, .*1 could not be read; 3 findings$/);
    expect(text).not.toContain(key);
    const colored = renderText(findings, summary, { color: true, showSecrets: false });
    expect(colored).toMatch(/\x1b\[/);
  });
});
