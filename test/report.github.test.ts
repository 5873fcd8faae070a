// --format github: workflow commands GitHub turns into annotations. The escaping is GitHub's (`%`, CR
// and LF in the message; also `:` and `,` in properties), names go through the same redaction and
// control-character escaping as the text report, and the key is redacted even with --show-secrets.
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, renderGithub } from '../src/report/github.js';
import { ScanContext } from '../src/scan/context.js';
import type { Check } from '../src/types.js';
import { keyFor } from './helpers/keys.js';
import { scanned } from './helpers/scan.js';
import { gitRepo, runCli } from './helpers/tmp.js';

describe('escaping', () => {
  it('message data: %, CR and LF', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
  });
  it('properties: also : and , (which would end the property or the command)', () => {
    expect(escapeProperty('a,b:c%\n')).toBe('a%2Cb%3Ac%25%0A');
  });
});

describe('renderGithub', () => {
  it('one ::error per finding with file, line, col and title; the summary as a ::notice; a name cannot forge a command', async () => {
    const key = keyFor('project_164', 1601);
    const nameKey = keyFor('svcacct_111', 1602);
    const ctx = new ScanContext();
    const path = `odd,name:100%\n::error::forged \x1b[2J ${nameKey}.env`;
    const { findings, summary } = await scanned(async function* () {
      ctx.countFile(10);
      yield { text: `x\nK=${key}\n`, origin: { kind: 'file' as const, path } };
    }, ctx);
    const checks: Check[] = [
      {
        id: 'history-readable-by-others',
        severity: 'warning',
        message: 'readable by others',
        path: '.bash_history',
        line: 3,
        fix: ['chmod 600 ~/.bash_history'],
      },
    ];
    const out = renderGithub(findings, summary, checks);
    const lines = out.trimEnd().split('\n');
    // every line is one workflow command: a newline in a name never starts a new one
    expect(lines.every((l) => /^::(error|warning|notice) /.test(l))).toBe(true);
    const keyLine = lines.find((l) => l.includes('line=2'))!;
    expect(keyLine).toMatch(/^::error file=odd%2Cname%3A100%25\\n%3A%3Aerror%3A%3Aforged \\x1b\[2J sk-svcacct-.{4}…/);
    expect(keyLine).toContain(',line=2,col=3,title=keyguard%3A OpenAI project key::OpenAI project key ');
    expect(keyLine).toContain(findings.find((f) => f.location.line === 2)!.redacted);
    expect(out).not.toContain(key);
    expect(out).not.toContain(nameKey);
    expect(out).not.toContain('\x1b');
    const warning = '::warning file=.bash_history,line=3,title=keyguard%3A history-readable-by-others::readable by others%0Afix: chmod 600 ~/.bash_history';
    expect(lines).toContain(warning);
    expect(lines.at(-1)).toMatch(/^::notice title=keyguard::keyguard: scanned 1 file, 10 B in [\d.]+s; 2 findings; 1 warning reported above$/);
  });
});

describe('keyguard scan --format github', () => {
  it('annotates the line, keeps the key redacted even with --show-secrets, and exits 1', () => {
    const key = keyFor('project_164', 1603);
    const repo = gitRepo({ 'src/app.py': `import os\nclient = OpenAI(api_key="${key}")\n` });
    const r = runCli(['scan', '--format', 'github', '--show-secrets'], { cwd: repo });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    // in the message (data) a colon stays as it is; only properties escape it
    expect(lines[0]).toMatch(/^::error file=src\/app\.py,line=2,col=26,title=keyguard%3A OpenAI project key::OpenAI project key /);
    expect(lines[0]).toMatch(/::OpenAI project key sk-proj-.{4}….{4} \(fingerprint [0-9a-f]{16}\)\. Revoke it at https:\/\/platform\.openai\.com/);
    expect(r.stdout).not.toContain(key);
    expect(lines.at(-1)).toMatch(/^::notice title=keyguard::keyguard: scanned 1 file, /);
  });
});
