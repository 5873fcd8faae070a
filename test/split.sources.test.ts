// Keys split across lines where a source, not the engine, decides what text detection sees: history
// entries built only where a trace is, a key cut across two added lines of a commit, a key cut across
// a large file's read windows. The marker itself is cut in every case, so only the split trace can
// bring the text to `detect`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locationOf } from '../src/scan/findings.js';
import type { TEXT_LIMITS } from '../src/sources/files/text-reader.js';
import { ScanContext } from '../src/scan/context.js';
import { filesSource } from '../src/sources/files/source.js';
import type { Finding } from '../src/types.js';
import { MARKER, keyFor } from './helpers/keys.js';
import { scanned, textMatches } from './helpers/scan.js';
import { fingerprint } from '../src/engine/fingerprint.js';
import { redactionMarker } from '../src/fix/redact-bytes.js';
import { gptConversation, gptJson } from './helpers/chat-exports.js';
import { runMain } from './helpers/main.js';
import { git, gitEnv, gitRepo, machineEnv, parseJson, runCli, tempDir, writeFiles } from './helpers/tmp.js';
import { makeZip } from './helpers/zip.js';

/** The key cut inside its marker: neither piece holds the marker whole. */
function cutInMarker(key: string): [string, string] {
  const at = key.indexOf(MARKER) + 3;
  return [key.slice(0, at), key.slice(at)];
}

async function scanFiles(files: Record<string, string | Buffer>, path = Object.keys(files)[0]!): Promise<Finding[]> {
  const dir = tempDir();
  writeFiles(dir, files);
  const { findings } = await scanned(filesSource({ paths: [path], cwd: dir, env: process.env, ignoreRoot: dir }), new ScanContext());
  return findings;
}

/** [secret, line, column, decoded, joinedLines, details] per finding. */
function where(findings: readonly Finding[]): unknown[][] {
  return findings.map((f) => [f.secret, f.location.line, f.location.column, f.decoded, f.joinedLines, f.location.details]);
}

describe('shell histories: an entry whose key is split with the marker cut', () => {
  const key = keyFor('project_164', 1301);
  const [a, b] = cutInMarker(key);

  it('zsh: a `\\` continuation inside the key', async () => {
    const text = `: 1700000000:0;ls\n: 1700000001:0;export OPENAI_API_KEY=${a}\\\n${b}\n: 1700000002:0;echo done\n`;
    expect(where(await scanFiles({ '.zsh_history': text }))).toEqual([[key, 2, 38, 'joined', 2, { entryLine: 2, time: '2023-11-14T22:13:21.000Z' }]]);
  });

  it('zsh: a paste wrapped inside quotes (zsh writes the newline as `\\` + newline)', async () => {
    const text = `: 1700000001:0;curl -H "Authorization: Bearer ${a}\\\n${b}" https://api.openai.com\n`;
    expect(where(await scanFiles({ '.zsh_history': text }))).toEqual([[key, 1, 47, 'joined', 2, { entryLine: 1, time: '2023-11-14T22:13:21.000Z' }]]);
  });

  it('bash with timestamps: the lines of one entry', async () => {
    const text = `#1700000000\nls\n#1700000001\nexport K="${a}\\\n${b}"\n#1700000002\necho done\n`;
    expect(where(await scanFiles({ '.bash_history': text }))).toEqual([[key, 4, 11, 'joined', 2, { entryLine: 4, time: '2023-11-14T22:13:21.000Z' }]]);
  });

  it('bash without timestamps: a `\\`-continued command spans lines, which are one entry', async () => {
    const text = `ls\nexport K=${a}\\\n${b}\necho done\n`;
    expect(where(await scanFiles({ '.bash_history': text }))).toEqual([[key, 2, 10, 'joined', 2, { entryLine: 2 }]]);
  });

  it('bash without timestamps: an escaped backslash ends the command; the next line is its own entry', async () => {
    const text = `echo a\\\\\nexport K=${key}\n`;
    expect(where(await scanFiles({ '.bash_history': text }))).toEqual([[key, 2, 10, undefined, undefined, undefined]]);
  });

  it('a look-alike is no key: a run that stops at a line break but joins into no key shape', async () => {
    const text = `: 1700000001:0;echo sk-proj-notakey\\\nmore words\n: 1700000002:0;echo ${a}\\\n${b.slice(1)}\n`;
    expect(await scanFiles({ '.zsh_history': text })).toEqual([]);
  });
});

interface JsonReport {
  findings: {
    path: string;
    line: number;
    column: number;
    family: string;
    decoded?: string;
    joinedLines?: number;
    fingerprint: string;
    commit?: { sha: string };
  }[];
  summary: { notes: string[] };
}

describe('scan --history: a key split across consecutive added lines of one commit', () => {
  const split = keyFor('project_164', 1311);
  const whole = keyFor('svcacct_167', 1312);
  const [a, b] = cutInMarker(split);
  const js = (pad: string) => `${pad}const client = new OpenAI({\n  apiKey: "${a}" +\n    "${b}",\n});\nconst other = "${whole}";\n`;

  let notes: string[] = [];
  function history(dir: string): JsonReport['findings'] {
    const r = runCli(['scan', '--history', '--format', 'json'], { cwd: dir, env: gitEnv() });
    expect(r.code, r.stderr).toBe(1);
    const report = parseJson<JsonReport>(r);
    notes = report.summary.notes;
    return report.findings;
  }

  it('reported once, at the first piece, with the whole key beside it placed as before; a later move is carried, not new', () => {
    const dir = gitRepo({ 'README.md': 'hello\n' });
    writeFiles(dir, { 'src/client.js': js('// header\n') });
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'add client']);
    const first = git(dir, ['rev-parse', 'HEAD']).trim();
    // the block moves to another file (with other content, so no rename): carried, not introduced
    writeFiles(dir, { 'src/client.js': '// gone\n', 'src/api.js': js('import x from "y";\n\n') });
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'move client']);

    const found = history(dir).map((f) => [f.path, f.line, f.column, f.family, f.decoded, f.joinedLines, f.fingerprint, f.commit?.sha]);
    expect(found).toEqual([
      ['src/client.js', 3, 12, 'project_164', 'joined', 2, fingerprint(split), first],
      ['src/client.js', 6, 16, 'svcacct_167', undefined, undefined, fingerprint(whole), first],
    ]);
    // the purge advice says what happened to the key: no pattern reaches pieces, so the file goes
    expect(notes.filter((n) => n.startsWith('purge: the key in'))).toEqual([
      expect.stringMatching(/^purge: the key in src\/client\.js is split into pieces across lines or strings \(keyguard joined them to find it\), which/),
    ]);
  });

  it('a wrapped log line (fixed width) in a commit, the line before and after unrelated', () => {
    const lead = '2026-11-29 INFO request key=';
    const rows = `${lead}${split} status=200`.match(/.{1,56}/g)!;
    const keyRows = Math.floor((lead.length + split.length - 1) / 56) + 1;
    expect(rows.some((r) => r.includes(MARKER))).toBe(false);
    const dir = gitRepo({ 'README.md': 'hello\n' });
    writeFiles(dir, { 'logs/app.log': `boot sk-\n${rows.join('\n')}\nshutdown\n` });
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'log']);
    const found = history(dir).map((f) => [f.path, f.line, f.column, f.decoded, f.joinedLines, f.fingerprint]);
    expect(found).toEqual([['logs/app.log', 2, lead.length + 1, 'joined', keyRows, fingerprint(split)]]);
  });
});

describe('large files read in windows: a key split across a window cut', () => {
  const split = keyFor('project_164', 1321);
  const whole = keyFor('svcacct_167', 1322);
  const lead = 'INFO request id=42 key=';
  const rows = `${lead}${split} status=200`.match(/.{1,56}/g)!;
  const keyRows = Math.floor((lead.length + split.length - 1) / 56) + 1;
  // 60 lines of 64 bytes, the whole key's line, then the wrapped rows: byte 4096 falls in the rows
  const filler = `${'x'.repeat(63)}\n`.repeat(60);
  const content = `${filler}W=${whole}\n${rows.join('\n')}\nend\n`;

  async function readAll(file: string, limits: Partial<typeof TEXT_LIMITS>): Promise<unknown[][]> {
    return (await textMatches(file, { limits })).found.map(({ chunk, match: m }) => {
      const at = locationOf(chunk, m);
      return [m.secret, at.line, at.column, m.decoded, m.joinedLines];
    });
  }

  it('the window is cut before the split key: found once, at its first line, as in a whole read; the whole key once too', async () => {
    const start = filler.length + whole.length + 3;
    expect(start < 4096 && 4096 < start + lead.length + split.length).toBe(true);
    expect(rows.some((r) => r.includes(MARKER))).toBe(false);
    const dir = tempDir();
    writeFiles(dir, { 'app.log': content });
    const file = join(dir, 'app.log');
    const expected = [
      [whole, 61, 3, undefined, undefined],
      [split, 62, lead.length + 1, 'joined', keyRows],
    ];
    expect(await readAll(file, {})).toEqual(expected);
    expect(await readAll(file, { wholeFile: 0, window: 4096 })).toEqual(expected);
  });
});

describe('what --fix, audit and the reports say about a key split into pieces', () => {
  const key = keyFor('svcacct_167', 1331);
  const [a, b] = cutInMarker(key);

  it('zsh history: audit reports it; scan --fix overwrites every piece and counts one occurrence of one key; a new scan is clean', async () => {
    const home = tempDir();
    const before = `: 1700000000:0;ls\n: 1700000001:0;export OPENAI_API_KEY=${a}\\\n${b}\n: 1700000002:0;echo done\n`;
    writeFiles(home, { '.zsh_history': before });
    const env = machineEnv(home, { XDG_DATA_HOME: join(home, 'data') });

    const audit = await runMain(['audit', '--format', 'json'], { cwd: home, env });
    expect(audit.code).toBe(1);
    const found = parseJson<JsonReport>(audit).findings.filter((f) => f.path.endsWith('.zsh_history'));
    expect(found.map((f) => [f.line, f.decoded, f.joinedLines, f.fingerprint])).toEqual([[2, 'joined', 2, fingerprint(key)]]);

    const r = await runMain(['scan', '--fix', '--no-backup', '--no-color', '.zsh_history'], { cwd: home, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/redacted 1 occurrence of 1 key in .*\.zsh_history \(line 2\)/);
    const after = readFileSync(join(home, '.zsh_history'), 'latin1');
    const redacted = `${redactionMarker(key, a.length)}\\\n${redactionMarker(key, b.length)}`;
    expect(after).toBe(`: 1700000000:0;ls\n: 1700000001:0;export OPENAI_API_KEY=${redacted}\n: 1700000002:0;echo done\n`);
    const again = await runMain(['scan', '--format', 'json', '.zsh_history'], { cwd: home, env });
    expect(again.code).toBe(0);
  });

  it('--fix counts a key in three pieces as one occurrence, in the dry run and the real one', async () => {
    const home = tempDir();
    // cut after the marker: found before sources knew the trace; only the count is in question here
    const at = key.indexOf(MARKER) + MARKER.length + 20;
    writeFiles(home, { '.bash_history': `#1700000000\nexport K="${key.slice(0, 30)}\\\n${key.slice(30, at)}\\\n${key.slice(at)}"\nls\n` });
    const env = machineEnv(home);
    const dry = await runMain(['scan', '--fix', '--dry-run', '--no-color', '.bash_history'], { cwd: home, env });
    expect(dry.stdout + dry.stderr).toMatch(/would redact 1 occurrence of 1 key in .*\.bash_history \(line 2\)/);
    const r = await runMain(['scan', '--fix', '--no-backup', '--no-color', '.bash_history'], { cwd: home, env });
    expect(r.stderr).toMatch(/redacted 1 occurrence of 1 key in .*\.bash_history \(line 2\)/);
    expect(readFileSync(join(home, '.bash_history'), 'latin1')).not.toContain(key.slice(0, 20));
  });

  it('JSON and SARIF carry joinedLines beside decoded', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'client.py': `API_KEY = (\n    "${a}"\n    "${b}"\n)\nONE_LINE = "${a}" + "${b}"\n` });
    const json = await runMain(['scan', '--format', 'json', 'client.py'], { cwd: dir, env: gitEnv({ HOME: dir }) });
    expect(parseJson<JsonReport>(json).findings.map((f) => [f.line, f.decoded, f.joinedLines])).toEqual([
      [2, 'joined', 2],
      [5, 'joined', 1],
    ]);
    const sarif = await runMain(['scan', '--format', 'sarif', 'client.py'], { cwd: dir, env: gitEnv({ HOME: dir }) });
    const results = (JSON.parse(sarif.stdout) as { runs: { results: { properties: Record<string, unknown> }[] }[] }).runs[0]!.results;
    expect(results.map((x) => [x.properties.decoded, x.properties.joinedLines])).toEqual([
      ['joined', 2],
      ['joined', 1],
    ]);
  });

  it('a chat export zip: the note says the key was split into pieces, not that it was base64-encoded', async () => {
    const dir = tempDir();
    const other = keyFor('project_164', 1332);
    const c = gptConversation('conv-1', 'env help', [
      { id: 'r', parent: null },
      { id: 'u', parent: 'r', role: 'user', text: `OPENAI_API_KEY=${other}` },
    ]);
    const notes = `const key = "${a}" +\n  "${b}";\n`;
    writeFileSync(
      join(dir, 'export.zip'),
      makeZip([
        { name: 'conversations.json', data: gptJson([c]) },
        { name: 'notes.js', data: notes },
      ]),
    );
    const r = await runMain(['scan', '--fix', '--format', 'json', 'export.zip'], { cwd: dir, env: gitEnv({ HOME: dir }) });
    expect(parseJson<JsonReport>(r).findings.map((f) => [f.path, f.decoded, f.fingerprint])).toEqual([
      ['export.zip!conversations.json', undefined, fingerprint(other)],
      ['export.zip!notes.js', 'joined', fingerprint(key)],
    ]);
    expect(r.stderr).toContain('note: 1 key occurrence is split into pieces (found by joining them) and was copied unredacted');
    expect(r.stderr).not.toContain('base64');
  });
});

describe('histories that escape line breaks: the trace is in the decoded entry only', () => {
  const key = keyFor('project_164', 1341);
  const [a, b] = cutInMarker(key);

  it('fish: a `\\` continuation written as `\\\\\\n`, and a paste wrapped inside quotes written as `\\n`', async () => {
    const text = `- cmd: ls\n  when: 1700000000\n- cmd: export K=${a}\\\\\\n${b}\n  when: 1700000001\n- cmd: echo "${a}\\n${b}"\n  when: 1700000002\n`;
    const found = await scanFiles({ 'data/fish/fish_history': text });
    expect(found.map((f) => [f.secret, f.location.line, f.decoded, f.joinedLines])).toEqual([
      [key, 3, 'joined', 2],
      [key, 5, 'joined', 2],
    ]);
  });

  it('psql: a statement over two lines (0x01 for the newline)', async () => {
    const text = `select 1;\ninsert into keys values ('${a}\x01${b}');\n`;
    const found = await scanFiles({ '.psql_history': text });
    expect(found.map((f) => [f.secret, f.location.line, f.decoded, f.joinedLines])).toEqual([[key, 2, 'joined', 2]]);
  });

  it('fish --fix: pieces hidden behind escapes cannot be overwritten, and --fix says so (exit 2) instead of "nothing left"', async () => {
    const home = tempDir();
    const text = `- cmd: ls\n  when: 1700000000\n- cmd: export K=${a}\\\\\\n${b}\n  when: 1700000001\n`;
    writeFiles(home, { fish_history: text });
    const dry = await runMain(['scan', '--fix', '--dry-run', '--no-color', 'fish_history'], { cwd: home, env: machineEnv(home) });
    expect(dry.stdout + dry.stderr).toContain('would not redact: 1 key split into pieces (line 3) is still in the file');
    const r = await runMain(['scan', '--fix', '--no-backup', '--no-color', 'fish_history'], { cwd: home, env: machineEnv(home) });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('could not redact: 1 key split into pieces (line 3) is still in the file');
    expect(r.stdout + r.stderr).not.toContain('nothing left to redact');
    expect(readFileSync(join(home, 'fish_history'), 'latin1')).toBe(text);
  });

  it('a fish history with `sk-` but no split key: nothing', async () => {
    const text = `- cmd: echo task-sk-1\\nmore\n  when: 1700000000\n- cmd: echo ${a}\n  when: 1700000001\n`;
    expect(await scanFiles({ 'data/fish/fish_history': text })).toEqual([]);
  });
});
