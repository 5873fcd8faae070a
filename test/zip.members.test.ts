// One odd member does not cost the whole archive: a `../x` or absolute name is just a name (nothing is
// extracted), and a member whose declared size is wrong is reported as unreadable while the rest is read.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFor } from './helpers/keys.js';
import { runMain } from './helpers/main.js';
import { gitEnv, parseJson, runCli, tempDir } from './helpers/tmp.js';
import { makeZip } from './helpers/zip.js';

interface Report {
  findings: { path: string; line: number }[];
  summary: { errors: { path: string; message: string }[] };
}

describe('zip archives with odd members', () => {
  it('scans every member it can, reports the one it cannot', () => {
    const dir = tempDir();
    const [a, b, c, d] = [1, 2, 3, 4].map((i) => keyFor('project_164', 700 + i)) as [string, string, string, string];
    writeFileSync(
      join(dir, 'odd.zip'),
      makeZip([
        { name: 'first.txt', data: `k=${a}\n` },
        { name: '../escape.txt', data: `\nk=${b}\n` },
        { name: '/etc/absolute.env', data: `k=${c}\n` },
        // stored, with a declared size that is not its size: yauzl refused the whole archive for this
        { name: 'lies.txt', data: `k=${keyFor('project_164', 799)}\n`, deflate: false, declaredSize: 5 },
        { name: 'deflated-lies.txt', data: `k=${keyFor('project_164', 798)}\n`, declaredSize: 9 },
        { name: 'last.txt', data: `k=${d}\n` },
      ]),
    );
    const r = runCli(['scan', '--format', 'json'], { cwd: dir, env: gitEnv({ HOME: dir }) });
    const report = parseJson<Report>(r);
    expect(r.code).toBe(2);
    expect(report.findings.map((f) => [f.path, f.line])).toEqual([
      ['odd.zip!first.txt', 1],
      ['odd.zip!../escape.txt', 2],
      ['odd.zip!/etc/absolute.env', 1],
      ['odd.zip!last.txt', 1],
    ]);
    expect(report.summary.errors.map((e) => e.path)).toEqual(['odd.zip!lies.txt', 'odd.zip!deflated-lies.txt']);
    expect(report.summary.errors[0]!.message).toMatch(/cannot read zip member: member holds more than the 5 bytes its header declares/);
  });

  it('reads members of several megabytes whole, deflated and stored, and closes the archive after', async () => {
    const dir = tempDir();
    const [a, b, c] = [1, 2, 3].map((i) => keyFor('project_164', 710 + i)) as [string, string, string];
    // text that deflates well and then inflates to many of the megabyte pieces it is read in
    const filler = 'const x = 1; // some ordinary source text\n'.repeat(120_000);
    writeFileSync(
      join(dir, 'big.zip'),
      makeZip([
        { name: 'deflated.js', data: `${filler}k=${a}\n` },
        { name: 'stored.js', data: `${filler}k=${b}\n${filler}`, deflate: false },
        { name: 'small.txt', data: `k=${c}\n` },
      ]),
    );
    const fds = () => readdirSync('/proc/self/fd').length;
    const before = fds();
    const r = await runMain(['scan', '--format', 'json', 'big.zip'], { cwd: dir, env: gitEnv({ HOME: dir }) });
    const report = parseJson<Report>(r);
    expect(report.summary.errors).toEqual([]);
    expect(report.findings.map((f) => [f.path, f.line])).toEqual([
      ['big.zip!deflated.js', 120_001],
      ['big.zip!stored.js', 120_001],
      ['big.zip!small.txt', 1],
    ]);
    expect(r.code).toBe(1);
    expect(fds()).toBe(before);
  });
});
