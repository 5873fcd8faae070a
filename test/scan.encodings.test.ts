// Keys written in an encoding, in real files through the built CLI: a percent-encoded key in a log URL,
// a \u-escaped key in a JSON file, an HTML-entity key in a page, a base64'd session key in a Kubernetes
// Secret. Each is reported at the encoded text, marked with its encoding, and never printed.
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../src/engine/index.js';
import { redactKeys } from '../src/fix/redact-bytes.js';
import { keyFor } from './helpers/keys.js';
import { parseJson, runCli, tempDir, writeFiles } from './helpers/tmp.js';

interface Report {
  findings: { path: string; line: number; column: number; family: string; decoded?: string; fingerprint: string }[];
}

const escape = (key: string, dash: string, underscore: string) => key.replace(/-/g, dash).replace(/_/g, underscore);

describe('scan: keys written in an encoding', () => {
  const project = keyFor('project_164', 1101);
  const admin = keyFor('admin_133', 1102);
  const user = keyFor('user_v2_95', 1103);
  const session = keyFor('session_45', 1104);

  const files: Record<string, string> = {
    'logs/access.log':
      '10.0.0.1 - - [28/Nov/2026:10:00:00 +0000] "GET /health HTTP/1.1" 200 2\n' +
      `10.0.0.2 - - [28/Nov/2026:10:00:01 +0000] "GET /proxy?target=openai&api_key=${escape(project, '%2D', '%5F')}&model=gpt-4o HTTP/1.1" 200 512\n`,
    'config/settings.json': `{\n  "name": "app",\n  "openai": {\n    "apiKey": "${escape(admin, '\\u002d', '\\u005f')}"\n  }\n}\n`,
    'site/index.html': `<!doctype html>\n<html><body>\n<p>Your key: <code>${escape(user, '&#45;', '&#x5f;')}</code></p>\n</body></html>\n`,
    'k8s/secret.yaml':
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: dashboard\ntype: Opaque\ndata:\n' + `  OPENAI_SESSION: ${Buffer.from(session).toString('base64')}\n`,
  };

  it('finds each at its encoded place, marked with the encoding', () => {
    const dir = tempDir();
    writeFiles(dir, files);
    const r = runCli(['scan', '--format', 'json', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    const report = parseJson<Report>(r);
    const got = report.findings.map((f) => [f.path, f.line, f.column, f.family, f.decoded, f.fingerprint]).sort();
    expect(got).toEqual(
      [
        ['config/settings.json', 4, 16, 'admin_133', 'unicode', fingerprint(admin)],
        ['k8s/secret.yaml', 7, 19, 'session_45', 'base64', fingerprint(session)],
        ['logs/access.log', 2, files['logs/access.log']!.split('\n')[1]!.indexOf('api_key=') + 9, 'project_164', 'percent', fingerprint(project)],
        ['site/index.html', 3, 20, 'user_v2_95', 'html', fingerprint(user)],
      ].sort(),
    );
    for (const key of [project, admin, user, session]) expect(r.stdout).not.toContain(key);
  });

  it('the text report says which encoding held the key', () => {
    const dir = tempDir();
    writeFiles(dir, { 'access.log': files['logs/access.log']! });
    const r = runCli(['scan', 'access.log'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('percent-encoded');
    expect(r.stdout).not.toContain(project);
  });

  it('redaction replaces the whole escaped key, length kept', () => {
    const text = files['logs/access.log']!;
    const out = redactKeys(Buffer.from(text), new Set([project]), true);
    expect(out?.count).toBe(1);
    const redacted = out!.content.toString('latin1');
    expect(redacted.length).toBe(text.length);
    expect(redacted).toContain('api_key=REDACTED-');
    expect(redacted).not.toContain('T3BlbkFJ');
    expect(redacted).toContain('&model=gpt-4o HTTP/1.1');
  });

  it('an HTML page says so in the text report', () => {
    const dir = tempDir();
    writeFiles(dir, { 'index.html': files['site/index.html']! });
    const r = runCli(['scan', 'index.html'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('found inside an html-encoded value');
    expect(r.stdout).toContain('3:20');
  });
});
