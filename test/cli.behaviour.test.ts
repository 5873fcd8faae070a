// A CLI like its peers (issue 15): --version in every usual spelling, `help COMMAND`, a suggestion for a
// mistyped command or option in keyguard's own words (exit 2), and `scan -` reading stdin through the
// same readers as a file.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFor } from './helpers/keys.js';
import { CLI, PROJECT_ROOT, gitEnv, parseJson, runCli, tempDir } from './helpers/tmp.js';

const VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('version and help', () => {
  it.each([['--version'], ['-v'], ['-V'], ['version']])('keyguard %s prints the version alone', (arg) => {
    const r = runCli([arg], { cwd: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${VERSION}\n`);
  });

  it.each([
    ['scan', 'Usage: keyguard scan'],
    ['audit', 'Usage: keyguard audit'],
    ['codex', '--format'],
  ])("keyguard help %s prints that command's help, as --help does", (command, marker) => {
    const dir = tempDir();
    const help = runCli(['help', command], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(marker);
    expect(help.stdout).toBe(runCli([command, '--help'], { cwd: dir }).stdout);
  });
});

describe('mistakes', () => {
  it.each([
    [['scna'], "unknown command 'scna' (did you mean 'scan'?)"],
    [['adit'], "unknown command 'adit' (did you mean 'audit'?)"],
    [['help', 'scna'], "unknown command 'scna' (did you mean 'scan'?)"],
    [['--verison'], "unknown option '--verison' (did you mean '--version'?)"],
    [['scan', '--fromat', 'json'], "keyguard scan: unknown option '--fromat' (did you mean '--format'?). Run 'keyguard help scan' for its options."],
    [['scan', '--stagged'], "unknown option '--stagged' (did you mean '--staged'?)"],
    [['scan', '--format'], 'keyguard scan: --format needs a value'],
    [['scan', '--quiet=yes'], 'keyguard scan: --quiet takes no value'],
    [['scan', '--format', 'gihub'], "(did you mean 'github'?)"],
    [['codex', 'extra'], "keyguard codex: unexpected argument 'extra'"],
  ])('keyguard %j: exit 2, one line in keyguard words', (args, message) => {
    const r = runCli(args, { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    // Node's own parseArgs text ("… as in '-- \"--fromat\"") never leaks through
    expect(r.stderr).not.toMatch(/Unknown option|positional argument|argument missing/);
  });

  it('a word far from every command gets no guess', () => {
    const r = runCli(['frobnicate'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("keyguard: unknown command 'frobnicate'. Run 'keyguard --help'.\n");
  });
});

describe('scan - (stdin)', () => {
  const key = keyFor('project_164', 1501);

  it('reads what is piped in, shown as stdin', () => {
    const r = runCli(['scan', '-', '--format', 'json'], { cwd: tempDir(), input: `line one\nOPENAI_API_KEY=${key}\n` });
    expect(r.code).toBe(1);
    const report = parseJson(r);
    expect(report.findings.map((f) => [f.path, f.line, f.column, f.kind])).toEqual([['stdin', 2, 16, 'file']]);
    expect(r.stdout).not.toContain(key);
  });

  it('--stdin-name names the location, and a Kubernetes secret piped in is decoded (base64) like a file', () => {
    const yaml = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  OPENAI_API_KEY: ${Buffer.from(key).toString('base64')}\n`;
    const r = runCli(['scan', '-', '--stdin-name', 'secret.yaml', '--format', 'json'], { cwd: tempDir(), input: yaml });
    expect(r.code).toBe(1);
    const report = parseJson(r);
    expect(report.findings.map((f) => [f.path, f.line, f.decoded])).toEqual([['secret.yaml', 6, 'base64']]);
  });

  it("--stdin-name's extension picks the reader: a chat export piped in names its conversation", () => {
    const conversations = JSON.stringify([
      {
        title: 'Debugging the client',
        id: 'c-1',
        create_time: 1700000000,
        mapping: {
          n1: {
            id: 'n1',
            message: { id: 'm1', author: { role: 'user' }, create_time: 1700000000, content: { content_type: 'text', parts: [`my key is ${key}`] } },
            parent: null,
            children: [],
          },
        },
      },
    ]);
    const r = runCli(['scan', '-', '--stdin-name', 'conversations.json', '--format', 'json'], { cwd: tempDir(), input: conversations });
    expect(r.code).toBe(1);
    const report = parseJson(r);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]!.path).toBe('conversations.json');
    expect(report.findings[0]!.kind).toBe('chat-export');
    // the message time in the same ISO 8601 form as history and commit times
    const text = runCli(['scan', '-', '--stdin-name', 'conversations.json', '--no-color'], { cwd: tempDir(), input: conversations });
    expect(text.stdout).toContain('message: #1 user, 2023-11-14T22:13:20Z');
  });

  it('nothing piped in: scanned, clean, exit 0', () => {
    const r = runCli(['scan', '-'], { cwd: tempDir(), input: 'nothing here\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/keyguard: scanned 1 file, 13 B in [\d.]+s; 0 findings\n$/);
  });

  it.each([
    [['scan', '--stdin-name', 'x.txt'], "--stdin-name goes with '-'"],
    [['scan', '-', '--fix'], '--fix cannot rewrite stdin'],
    [['scan', '--staged', '-'], "'-' (stdin) cannot be combined"],
  ])('keyguard %j is a usage error', (args, message) => {
    const r = runCli(args, { cwd: tempDir(), input: `k=${key}\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('a reader that stops early', () => {
  it("`keyguard scan | head`: the report is cut off, the exit code is still the scan's, and no EPIPE trace is printed", () => {
    const dir = tempDir('kg-epipe-');
    // a report far larger than a pipe holds, so keyguard is still writing when head has gone
    writeFileSync(join(dir, 'keys.txt'), Array.from({ length: 400 }, (_, i) => `key${i}=${keyFor('project_164', 700 + i)}`).join('\n'));
    const home = tempDir('kg-home-');
    for (const format of ['text', 'json']) {
      const r = spawnSync('bash', ['-c', `set -o pipefail; "$0" "$1" scan --format ${format} keys.txt | head -c 100 > /dev/null`, process.execPath, CLI], {
        cwd: dir,
        env: gitEnv({ HOME: home, OPENAI_API_KEY: '' }),
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    }
  });
});
