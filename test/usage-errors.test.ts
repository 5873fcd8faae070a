// A bad argument is a usage error: exit 2 and a message on stderr, never a run that "found nothing".
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/tmp.js';

const CASES: Array<[args: string[], message: RegExp]> = [
  [['scan', '--bogus'], /Unknown option '--bogus'/],
  [['scan', '--format', 'xml'], /--format must be/],
  [['scan', '--format'], /argument missing/],
  [['scan', '--output'], /argument missing/],
  [['scan', '--history', '--since', 'notadate'], /not a date/],
  [['audit', '--nope'], /Unknown option '--nope'/],
  [['audit', '--format', 'yaml'], /--format must be/],
  [['baseline', '--x'], /Unknown option '--x'/],
  [['install', '--nope'], /Unknown option '--nope'/],
  [['uninstall', '--nope'], /Unknown option '--nope'/],
  [['codex', '--y'], /Unknown option '--y'/],
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
