// Results that say what they did not look at, and advice that fits the place (issue 15): gitignored
// files counted and credential-like ones named, distinct keys counted and listed once, a blocked
// commit not treated as a leak, no force-push for a repository without a remote, the reason for an
// exit 1 with 0 findings, `audit --fix --dry-run` showing the plan, and singular/plural everywhere.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dateText, labelOf } from '../src/report/format-location.js';
import { plural, singularOf } from '../src/report/plural.js';
import { redact } from '../src/engine/redact.js';
import { summaryLine } from '../src/report/text.js';
import type { Check, Finding, ScanSummary } from '../src/types.js';
import { verifyFindings } from '../src/verify/verify.js';
import { keyFor } from './helpers/keys.js';
import { git, gitEnv, gitRepo, parseJson, tempDir, writeFiles, machineEnv } from './helpers/tmp.js';
import { runMain } from './helpers/main.js';

const K1 = keyFor('project_164', 1701);
const K2 = keyFor('project_164', 1702);

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1)!;
}

describe('gitignored files', () => {
  function repoWithIgnoredEnv(): string {
    const repo = gitRepo({ '.gitignore': '.env\nnode_modules/\n*.log\n', 'app.py': 'import os\n' });
    writeFiles(repo, { '.env': `OPENAI_API_KEY=${K1}\n`, 'node_modules/lib/index.js': `k="${K2}"\n`, 'debug.log': 'nothing\n' });
    return repo;
  }

  it('are counted in the summary, and an ignored .env is named in a note with the way to include it', async () => {
    const repo = repoWithIgnoredEnv();
    const r = await runMain(['scan', '--no-color'], { cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('note: 3 gitignored files and folders were not scanned, including .env; run with --no-gitignore to include them');
    expect(lastLine(r.stdout)).toMatch(/^keyguard: scanned 2 files, .*; skipped 2 gitignored files, 1 gitignored folder; 0 findings$/);
    const json = parseJson(await runMain(['scan', '--format', 'json'], { cwd: repo }));
    expect(json.summary.skipped).toEqual({ 'gitignored files': 2, 'gitignored folders': 1 });
  });

  it("a folder that ignores itself (its own .gitignore says *, as husky's .husky/_/ does) counts once", async () => {
    const repo = gitRepo({ 'app.py': 'import os\n' });
    writeFiles(repo, { '.hooks/_/.gitignore': '*\n', '.hooks/_/pre-commit': '#!/bin/sh\n', '.hooks/_/pre-push': '#!/bin/sh\n' });
    const json = parseJson(await runMain(['scan', '--format', 'json'], { cwd: repo }));
    expect(json.summary.skipped).toEqual({ 'gitignored folders': 1 });
  });

  it('--no-gitignore scans them too: the keys in .env and node_modules are found', async () => {
    const repo = repoWithIgnoredEnv();
    const r = await runMain(['scan', '--no-gitignore', '--format', 'json'], { cwd: repo });
    expect(r.code).toBe(1);
    expect(
      parseJson(r)
        .findings.map((f) => f.path)
        .sort(),
    ).toEqual(['.env', 'node_modules/lib/index.js']);
  });

  it('`scan node_modules` (ignored as a whole) says why it scanned 0 files; so does a folder below it', async () => {
    const repo = repoWithIgnoredEnv();
    const top = await runMain(['scan', 'node_modules', '--no-color'], { cwd: repo });
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('note: node_modules is ignored by git (.gitignore): nothing in it was scanned; run with --no-gitignore to scan it');
    expect(lastLine(top.stdout)).toMatch(/^keyguard: scanned 0 files, 0 B in [\d.]+s; skipped 1 gitignored folder; 0 findings$/);
    const below = await runMain(['scan', 'node_modules/lib', '--no-color'], { cwd: repo });
    expect(below.stdout).toContain(
      'note: nothing in node_modules/lib was scanned: git ignores the one file or folder in it; run with --no-gitignore to scan it',
    );
  });

  it('a single ignored .env is named on its own; an ignored .env in a subfolder scanned alone is named with its path', async () => {
    const repo = gitRepo({ '.gitignore': '.env\n', 'app.py': 'import os\n', 'svc/main.py': 'x = 1\n' });
    writeFiles(repo, { '.env': `K=${K1}\n`, 'svc/.env': `K=${K2}\n` });
    const sub = await runMain(['scan', 'svc', '--no-color'], { cwd: repo });
    expect(sub.stdout).toContain('note: svc/.env is gitignored and was not scanned; run with --no-gitignore to include it');
    expect(lastLine(sub.stdout)).toMatch(/^keyguard: scanned 1 file, .*; skipped 1 gitignored file; 0 findings$/);
  });

  it('nothing ignored: no count, no note; outside git: nothing is ignored', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n' });
    const r = await runMain(['scan', '--no-color'], { cwd: repo });
    expect(r.stdout).not.toContain('gitignored');
    const plain = tempDir();
    writeFiles(plain, { '.gitignore': '*.txt\n', 'a.txt': `k=${K1}\n` });
    expect((await runMain(['scan', '--no-color'], { cwd: plain })).code).toBe(1);
  });
});

describe('distinct keys', () => {
  it('the same 2 keys in 3 folders: "6 findings of 2 distinct keys", each key listed once in the advice', async () => {
    const files: Record<string, string> = {};
    for (const d of ['a', 'b', 'c']) Object.assign(files, { [`${d}/one.env`]: `K=${K1}\n`, [`${d}/two.env`]: `K=${K2}\n` });
    const repo = gitRepo(files);
    const r = await runMain(['scan', '--no-color'], { cwd: repo });
    expect(r.code).toBe(1);
    expect(lastLine(r.stdout)).toMatch(/; 6 findings of 2 distinct keys$/);
    const advice = r.stdout.slice(r.stdout.indexOf('What to do'));
    expect(advice).toContain('These 2 keys (6 findings):');
    expect(advice.match(/fingerprint [0-9a-f]{16} {2}\(3 places\)/g)).toHaveLength(2);
    expect(advice).toContain('Revoke these 2 keys (listed above) now');
    expect(r.stdout).not.toContain(K1);
  });

  it('one key in one place: no "of 1 distinct key", no list', async () => {
    const repo = gitRepo({ 'x.env': `K=${K1}\n` });
    const r = await runMain(['scan', '--no-color'], { cwd: repo });
    expect(lastLine(r.stdout)).toMatch(/^keyguard: scanned 1 file, .*; 1 finding$/);
    expect(r.stdout).not.toContain('distinct');
    expect(r.stdout).toContain('Revoke the key now');
  });
});

describe('advice that fits the place', () => {
  it('a blocked commit: remove it from the staged change first; revoke only if it was shared elsewhere', async () => {
    const repo = gitRepo({ 'README.md': 'hi\n' });
    writeFiles(repo, { 'config.env': `K=${K1}\n` });
    git(repo, ['add', 'config.env']);
    const r = await runMain(['scan', '--staged', '--no-color'], { cwd: repo });
    expect(r.code).toBe(1);
    const steps = r.stdout.slice(r.stdout.indexOf('What to do'));
    expect(steps).toMatch(/1\. Remove the key from the file .*re-stage it/);
    expect(steps).toMatch(/2\. The commit was blocked, so the key is not in git history\. Revoke the key at .* only if it was shared elsewhere/);
    expect(steps).not.toContain('Revoke the key now');
    expect(lastLine(r.stdout)).toMatch(/^keyguard: scanned 1 staged file, /);
  });

  it('history of a repository with no remote: no force-push, no collaborators to tell', async () => {
    const repo = gitRepo({ 'x.env': `K=${K1}\n` });
    const r = await runMain(['scan', '--history', '--no-color'], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('This repository has no remote');
    expect(r.stdout).not.toMatch(/force-push every|git push --force|collaborators/);
    expect(lastLine(r.stdout)).toMatch(/^keyguard: scanned 1 file change in 1 commit, /);
  });

  it('history of a repository with a remote keeps the force-push advice', async () => {
    const remote = tempDir();
    git(remote, ['init', '-q', '--bare']);
    const repo = gitRepo({ 'x.env': `K=${K1}\n` });
    git(repo, ['remote', 'add', 'origin', remote]);
    const r = await runMain(['scan', '--history', '--no-color'], { cwd: repo });
    expect(r.stdout).toContain('git push --force --all');
    expect(r.stdout).not.toContain('This repository has no remote');
  });

  it('exit 1 with 0 findings says why: the warning counts', async () => {
    const suppressed = { allow: 0, ignored: 0, baseline: 0 };
    const summary: ScanSummary = { files: 0, bytes: 0, skipped: {}, errors: [], findings: 0, suppressed, unusedBaseline: [], notes: [], durationMs: 5 };
    const warning: Check = { id: 'codex-auth-apikey', severity: 'warning', message: 'Codex uses a stored API key', fix: [] };
    const info: Check = { id: 'x', severity: 'info', message: 'good practice', fix: [] };
    expect(summaryLine(summary, 'files', { findings: [], checks: [warning, info] })).toBe(
      'keyguard: scanned 0 files, 0 B in 0.01s; 0 findings; 1 warning reported above (why the exit code is 1)',
    );
    expect(summaryLine(summary, 'files', { findings: [], checks: [info] })).toBe('keyguard: scanned 0 files, 0 B in 0.01s; 0 findings');
  });
});

describe('audit --fix', () => {
  const envFor = (home: string) => machineEnv(home, { XDG_DATA_HOME: join(home, 'data') });

  it('--dry-run shows the plan (what, where), not the whole report; nothing changes', async () => {
    const home = tempDir();
    writeFiles(home, { '.bash_history': `ls\nexport OPENAI_API_KEY=${K1}\n` });
    const r = await runMain(['audit', '--fix', '--dry-run', '--no-color'], { cwd: home, env: envFor(home) });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/would redact 1 occurrence of 1 key in .*\.bash_history \(line 2\)/);
    expect(r.stdout).toContain("dry run: the plan above covers 1 finding in 1 file; nothing was changed. Run 'keyguard audit --fix' to apply it.");
    expect(r.stdout).not.toContain('Shell histories');
    expect(r.stdout).not.toContain('What to do');
    expect(readFileSync(join(home, '.bash_history'), 'utf8')).toContain(K1);
  });

  it('after a real fix the advice does not tell the user to run --fix', async () => {
    const home = tempDir();
    writeFiles(home, { '.bash_history': `ls\nexport OPENAI_API_KEY=${K1}\n` });
    const r = await runMain(['audit', '--fix', '--no-backup', '--no-color'], { cwd: home, env: envFor(home) });
    expect(readFileSync(join(home, '.bash_history'), 'utf8')).not.toContain(K1);
    const steps = r.stdout.slice(r.stdout.indexOf('What to do'));
    expect(steps).toContain('The history was redacted by --fix');
    expect(steps).not.toContain('keyguard audit --fix');
  });
});

describe('words', () => {
  it('plural and singular', async () => {
    expect([plural(1, 'file'), plural(2, 'file'), plural(0, 'entry', 'entries')]).toEqual(['1 file', '2 files', '0 entries']);
    expect(['files', 'staged files', 'file changes', 'history entries'].map(singularOf)).toEqual(['file', 'staged file', 'file change', 'history entry']);
  });

  it('one date format (ISO 8601 with offset, to the second) and labels in words', async () => {
    expect(dateText('2023-11-14T22:13:20.000Z')).toBe('2023-11-14T22:13:20Z'); // shell histories
    expect(dateText('2024-03-01 12:00:05 UTC')).toBe('2024-03-01T12:00:05Z'); // chat exports
    expect(dateText('2024-03-01T14:00:05+02:00')).toBe('2024-03-01T14:00:05+02:00'); // commits (git %aI)
    expect(dateText('#1 user, 2023-11-14 22:15:00 UTC')).toBe('#1 user, 2023-11-14T22:15:00Z'); // within a chat detail
    expect(dateText('#3 user')).toBe('#3 user');
    expect(labelOf('entryLine')).toBe('entry line');
  });

  it('--verify with one key: "sends the key found", not "each of the 1 distinct key"', async () => {
    const f: Finding = {
      ...{ ruleId: 'openai-api-key', family: 'project_164', familyLabel: 'OpenAI project key', confidence: 'high', kind: 'file' },
      ...{ location: { path: 'a', line: 1, column: 1 }, redacted: redact(K1), fingerprint: 'f', secret: K1 },
    };
    let err = '';
    // a closed local port: refused at once, the answer is "unknown"; only the wording is looked at
    await verifyFindings([f], { env: { KEYGUARD_OPENAI_BASE_URL: 'http://127.0.0.1:9' }, stderr: (s) => (err += s) });
    expect(err).toContain('--verify sends the key found to http://127.0.0.1:9 ');
    expect(err).not.toMatch(/each of the 1\b|1 distinct keys/);
  });

  it('"1 fingerprint", and no camelCase label or mixed date formats in human output', async () => {
    const repo = gitRepo({ 'x.env': `K=${K1}\n` });
    const b = await runMain(['baseline'], { cwd: repo });
    expect(b.stderr).toContain('wrote 1 fingerprint to ');
    const home = tempDir();
    writeFiles(home, { '.zsh_history': `: 1700000000:0;export OPENAI_API_KEY=${K1}\n` });
    const env = gitEnv({ HOME: home, OPENAI_API_KEY: '', CODEX_API_KEY: '' });
    for (const k of ['HISTFILE', 'ZDOTDIR', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'CODEX_HOME']) delete env[k];
    const r = await runMain(['audit', '--no-color'], { cwd: home, env });
    expect(r.stdout).toContain('entry line: 1');
    expect(r.stdout).toContain('time: 2023-11-14T22:13:20Z');
    expect(r.stdout).not.toContain('entryLine');
    expect(r.stdout).not.toMatch(/\d\.\d{3}Z| UTC\b/);
  });
});
