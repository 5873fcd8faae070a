// Names from the scanned data (file paths, archive member names, commit authors, branches, tags) never
// reach a terminal raw: text output shows escape sequences as `\x1b[2J`, so a name cannot clear the
// screen, write the clipboard (OSC 52) or forge a report line; JSON and SARIF keep the real name as
// escaped JSON.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFor } from './helpers/keys.js';
import { git, gitEnv, gitRepo, parseJson, runCli, tempDir, type CliResult } from './helpers/tmp.js';
import { makeZip } from './helpers/zip.js';

/** Screen clear, bell, an OSC 52 clipboard write, a newline, a carriage return and a C1 CSI (U+009B). */
const EVIL = 'evil\x1b[2J\x07\x1b]52;c;aGVsbG8=\x07\nforged\rline\u009b31mname.txt';
/** How text output shows it. */
const SHOWN = 'evil\\x1b[2J\\x07\\x1b]52;c;aGVsbG8=\\x07\\nforged\\rline\\x9b31mname.txt';

/** Nothing a terminal acts on, besides the report's own line breaks. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function expectSafe(text: string, label: string): void {
  const m = UNSAFE.exec(text);
  const around = m ? JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 40)) : '';
  expect(m ? `${label}: raw U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m.index}: ${around}` : 'safe').toBe('safe');
}

function kg(cwd: string, args: string[]): CliResult {
  return runCli(args, { cwd, env: gitEnv({ HOME: cwd, OPENAI_API_KEY: '', CODEX_API_KEY: '', NO_COLOR: '1' }) });
}

/** Text, JSON and SARIF of one scan: text is safe and names recognisable; JSON holds the real name. */
function checkAllFormats(cwd: string, args: string[], names: string[], shown: string[]): void {
  const text = kg(cwd, args);
  expect(text.code, text.stderr).toBe(1);
  expectSafe(text.stdout, 'stdout');
  expectSafe(text.stderr, 'stderr');
  for (const s of shown) expect(text.stdout).toContain(s);
  // JSON and SARIF hold the real names, escaped as JSON (SARIF's URIs percent-encoded as well)
  for (const format of ['json', 'sarif']) {
    const r = kg(cwd, [...args, '--format', format]);
    expectSafe(r.stdout, format);
    const doc = JSON.stringify(parseJson<unknown>(r));
    for (const n of names) expect(doc.includes(JSON.stringify(n).slice(1, -1)) || doc.includes(encodeURIComponent(n)), `${format}: ${n}`).toBe(true);
  }
}

describe('text output escapes control characters in names', () => {
  it('a file outside git, and one tracked in a repository', () => {
    const key = keyFor('project_164', 501);
    const dir = tempDir();
    writeFileSync(join(dir, EVIL), `k = "${key}"\n`);
    checkAllFormats(dir, ['scan'], [EVIL], [SHOWN]);

    const repo = gitRepo({ 'README.md': 'hi\n' });
    writeFileSync(join(repo, EVIL), `k = "${key}"\n`);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'add']);
    checkAllFormats(repo, ['scan'], [EVIL], [SHOWN]);
    // --output: the summary line on stderr names the report file, made printable too
    const out = kg(repo, ['scan', '--output', join(dir, 'report\x1b[2J.txt')]);
    expect(out.code).toBe(1);
    expectSafe(out.stderr, 'stderr with --output');
    expect(out.stderr).toContain('report\\x1b[2J.txt');
  });

  it('a zip member name, and an archive that cannot be read (its path in the error line)', () => {
    const key = keyFor('project_164', 502);
    const dir = tempDir();
    writeFileSync(join(dir, 'export.zip'), makeZip([{ name: `inner/${EVIL}`, data: `k=${key}\n` }]));
    writeFileSync(join(dir, 'broken\x1b]52;c;eA==\x07.zip'), Buffer.from('PK\x03\x04 not really a zip'));
    const r = kg(dir, ['scan']);
    expect(r.code).toBe(2);
    expectSafe(r.stdout, 'stdout');
    expect(r.stdout).toContain(`export.zip!inner/${SHOWN}`);
    expect(r.stdout).toMatch(/error: broken\\x1b\]52;c;eA==\\x07\.zip: /);
  });

  it('scan --history: a commit author, a branch and a tag with escape sequences', () => {
    const key = keyFor('project_164', 503);
    const repo = gitRepo({ 'a.txt': 'a\n' });
    writeFileSync(join(repo, 'config.py'), `KEY = "${key}"\n`);
    git(repo, ['add', 'config.py']);
    const author = 'Mallory\x1b[2J\x07\x1b]52;c;aGk=\x07 Jr';
    const env = gitEnv({ GIT_AUTHOR_NAME: author, GIT_AUTHOR_EMAIL: 'm@example.com' });
    const r = spawnSync('git', ['commit', '-q', '-m', 'add'], { cwd: repo, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    // git refuses control characters in ref names, but not C1 characters or bidi overrides
    git(repo, ['branch', 'topic\u009b2J']);
    git(repo, ['tag', 'v1\u202egnp.exe']);
    checkAllFormats(repo, ['scan', '--history'], [author], ['Mallory\\x1b[2J\\x07\\x1b]52;c;aGk=\\x07 Jr', 'branch topic\\x9b2J', 'tag v1\\u202egnp.exe']);
  });

  it('audit: a history file named on the command line', () => {
    const key = keyFor('project_164', 504);
    const home = tempDir();
    const name = `hist\x1b[2J\u009b.txt`;
    writeFileSync(join(home, name), `export OPENAI_API_KEY=${key}\n`);
    const r = runCli(['audit', name], { cwd: home, env: gitEnv({ HOME: home, OPENAI_API_KEY: '', CODEX_API_KEY: '' }) });
    expect(r.code).toBe(1);
    expectSafe(r.stdout, 'audit stdout');
    expect(r.stdout).toContain('hist\\x1b[2J\\x9b.txt');
  });
});
