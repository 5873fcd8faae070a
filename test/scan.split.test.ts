// Keys split across lines, in real files through the built CLI: a log line wrapped at 80 columns is
// reported once, at its first line, with the note that it was joined; `--fix` on a zsh history whose
// entry continues the key after a `\` overwrites every piece.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../src/engine/index.js';
import { redactionMarker } from '../src/fix/redact-bytes.js';
import { MARKER, keyFor } from './helpers/keys.js';
import { machineEnv, parseJson, runCli, tempDir, writeFiles } from './helpers/tmp.js';

interface Report {
  findings: { path: string; line: number; column: number; family: string; decoded?: string; fingerprint: string }[];
}

describe('scan: keys split across lines', () => {
  it('a log line wrapped at 80 columns: one finding at the first line, marked joined, never printed', () => {
    const key = keyFor('project_164', 1201);
    // a lead of 74 puts the marker across the second wrap, at column 160
    const head = '2026-11-29 10:00:01 INFO trace=';
    const lead = `${head}${'7'.repeat(74 - head.length - 5)} key=`;
    const rows = `${lead}${key} status=200`.match(/.{1,80}/g)!;
    const keyRows = Math.ceil((lead.length + key.length) / 80);
    // the wrap cuts the marker itself: no row holds it whole
    expect(rows.some((r) => r.includes(MARKER))).toBe(false);
    const dir = tempDir();
    writeFiles(dir, { 'logs/app.log': `boot\n${rows.join('\n')}\nshutdown\n` });

    const json = runCli(['scan', '--format', 'json', 'logs'], { cwd: dir });
    expect(json.code).toBe(1);
    const report = parseJson<Report>(json);
    expect(report.findings.map((f) => [f.path, f.line, f.column, f.family, f.decoded, f.fingerprint])).toEqual([
      ['logs/app.log', 2, lead.length + 1, 'project_164', 'joined', fingerprint(key)],
    ]);

    const text = runCli(['scan', '--no-color', 'logs'], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`✗ 2:${lead.length + 1}  OpenAI project key`);
    expect(text.stdout).toContain(`joined from ${keyRows} lines`);
    for (let i = 12; i + 16 < key.length - 4; i += 16) expect(text.stdout + text.stderr).not.toContain(key.slice(i, i + 16));
  });

  it('--fix on a zsh history: every piece of the key overwritten, the entry and its `\\` kept; a new scan finds nothing', () => {
    const key = keyFor('svcacct_167', 1202);
    const cut = key.indexOf(MARKER) - 10;
    const before = `: 1700000000:0;ls\n: 1700000001:0;export OPENAI_API_KEY=${key.slice(0, cut)}\\\n${key.slice(cut)}\n: 1700000002:0;echo done\n`;
    const home = tempDir();
    writeFiles(home, { '.zsh_history': before });
    const env = machineEnv(home, { XDG_DATA_HOME: join(home, 'data') });

    const r = runCli(['scan', '--fix', '--no-backup', '--no-color', '.zsh_history'], { cwd: home, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('joined from 2 lines');
    const after = readFileSync(join(home, '.zsh_history'), 'latin1');
    const redacted = `${redactionMarker(key, cut)}\\\n${redactionMarker(key, key.length - cut)}`;
    expect(after).toBe(`: 1700000000:0;ls\n: 1700000001:0;export OPENAI_API_KEY=${redacted}\n: 1700000002:0;echo done\n`);
    expect(after).not.toContain(key.slice(0, 20));
    expect(after).not.toContain(key.slice(-20));

    const again = runCli(['scan', '--format', 'json', '.zsh_history'], { cwd: home, env });
    expect(again.code).toBe(0);
    expect(parseJson<Report>(again).findings).toEqual([]);
  });
});
