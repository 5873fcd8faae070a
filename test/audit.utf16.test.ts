// `keyguard audit` reads UTF-16 profiles and histories (PowerShell writes UTF-16 LE with a BOM on
// Windows) as `keyguard scan` does: the key is found, at the right line, in the right section.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { FileRef } from '../src/sources/files/file-ref.js';
import { utf16AsUtf8 } from '../src/sources/files/utf16-ref.js';
import { keyFor } from './helpers/keys.js';
import { parseJson, runCli, tempDir, writeFiles, machineEnv } from './helpers/tmp.js';

function utf16le(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

function utf16be(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
}

interface Report {
  findings: { path: string; line: number; kind: string; fingerprint: string }[];
  checks?: { id: string; message: string }[];
  summary: { errors: unknown[] };
}

const envFor = (home: string) => machineEnv(home);

describe('audit of UTF-16 profiles and histories', () => {
  it('finds keys in a UTF-16 LE PowerShell profile and UTF-16 histories, at the right line', () => {
    const home = tempDir();
    const [k1, k2, k3, k4] = [1, 2, 3, 4].map((i) => keyFor('project_164', 300 + i)) as [string, string, string, string];
    const profile = '.config/powershell/Microsoft.PowerShell_profile.ps1';
    writeFiles(home, {
      [profile]: utf16le(`# my profile — é\r\nSet-PSReadLineOption -AddToHistoryHandler { $true }\r\n$env:OPENAI_API_KEY = "${k1}"\r\n`),
      '.bash_history': utf16le(`ls\ncd /tmp\nexport OPENAI_API_KEY=${k2}\n`),
      '.zsh_history': utf16be(`: 1700000000:0;ls\n: 1700000001:0;export X=${k3}\n`),
      '.local/share/powershell/PSReadLine/ConsoleHost_history.txt': utf16le(`Get-Date\r\n$env:OPENAI_API_KEY = "${k4}"\r\n`),
    });
    const r = runCli(['audit', '--format', 'json'], { cwd: home, env: envFor(home) });
    const report = parseJson<Report>(r);
    expect(r.code, r.stderr).toBe(1);
    const got = report.findings.map((f) => [f.path.replace(`${home}/`, ''), f.line, f.kind]).sort();
    expect(got).toEqual(
      [
        ['.bash_history', 3, 'shell-history'],
        ['.local/share/powershell/PSReadLine/ConsoleHost_history.txt', 2, 'shell-history'],
        ['.zsh_history', 2, 'shell-history'],
        [profile, 3, 'profile'],
      ].sort(),
    );
    // the profile was read as text: its AddToHistoryHandler counts as PowerShell's history hardening
    const pwsh = report.checks?.find((c) => c.id === 'history-hardening-pwsh');
    expect(pwsh?.message).toContain('already set in');
    // `keyguard scan` of the same profile agrees
    const scan = parseJson<Report>(runCli(['scan', '--format', 'json', profile], { cwd: home, env: envFor(home) }));
    expect(scan.findings.map((f) => [f.line, f.fingerprint])).toEqual([[3, report.findings.find((f) => f.kind === 'profile')!.fingerprint]]);
  });
});

describe('utf16AsUtf8', () => {
  it('decodes across chunk edges: odd bytes, surrogate pairs, both byte orders', async () => {
    const text = 'a😀b\r\nκλειδί = "x"\n'.repeat(3);
    for (const [bytes, kind] of [
      [utf16le(text), 'utf16le'],
      [utf16be(text), 'utf16be'],
    ] as const) {
      const ref: FileRef = {
        displayPath: 'x',
        size: bytes.length,
        load: async () => bytes,
        // one byte at a time: every edge falls inside a code unit or a pair somewhere
        stream: () =>
          Readable.from(
            (function* () {
              for (const b of bytes) yield Buffer.from([b]);
            })(),
          ),
      };
      const view = utf16AsUtf8(ref, kind);
      expect((await view.load()).toString('utf8'), kind).toBe(text);
      const parts: Buffer[] = [];
      for await (const p of view.stream()) parts.push(p as Buffer);
      expect(Buffer.concat(parts).toString('utf8'), kind).toBe(text);
    }
  });
});
