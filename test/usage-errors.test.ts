// A bad argument is a usage error: exit 2 and a message on stderr, never a run that "found nothing".
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/tmp.js';

const CASES: Array<[args: string[], message: RegExp]> = [
  [['scan', '--bogus'], /unknown option '--bogus'/],
  [['scan', '--format', 'xml'], /--format must be/],
  [['scan', '--format'], /--format needs a value/],
  [['scan', '--output'], /--output needs a value/],
  [['scan', '--history', '--since', 'notadate'], /not a date/],
  [['audit', '--nope'], /unknown option '--nope'/],
  [['audit', '--format', 'yaml'], /--format must be/],
  [['baseline', '--x'], /unknown option '--x'/],
  [['install', '--nope'], /unknown option '--nope'/],
  [['uninstall', '--nope'], /unknown option '--nope'/],
  [['codex', '--y'], /unknown option '--y'/],
  [['no-such-command'], /unknown command/],
];

describe('bad arguments', () => {
  it.each(CASES)('keyguard %j exits 2 with a message', (args, message) => {
    const r = runCli(args, { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

describe('settings files that are not files', () => {
  it('a FIFO named .keyguardignore or .keyguard-baseline.json stops nothing: exit 2, the path named', () => {
    for (const name of ['.keyguardignore', '.keyguard-baseline.json']) {
      const dir = tempDir();
      execFileSync('mkfifo', [join(dir, name)]);
      // (were the FIFO opened, the run would wait for a writer until the test's timeout)
      const r = runCli(['scan', '.'], { cwd: dir });
      expect(r.code, name).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${name.replace(/\./g, '\\.')}: not a regular file`));
    }
  });
});
