// `keyguard scan` on real files, real repositories and real archives, through the CLI's main()
// in-process; the paths that need a real process (a terminal, another uid) spawn the built CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, git, gitRepo, parseJson, tempDir, writeFiles } from './helpers/tmp.js';
import { runMain } from './helpers/main.js';
import { keyFor } from './helpers/keys.js';
import { makeZip } from './helpers/zip.js';

const CLI_PATH = CLI;
/** util-linux script(1) gives the CLI a real pseudo-terminal */
const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

interface JsonFinding {
  path: string;
  line: number;
  column: number;
  family: string;
  redacted: string;
  fingerprint: string;
  secret?: string;
  decoded?: string;
}
interface JsonReport {
  findings: JsonFinding[];
  summary: {
    files: number;
    bytes: number;
    skipped: Record<string, number>;
    errors: { path: string; message: string }[];
    findings: number;
    unusedBaseline: string[];
  };
}

async function scanJson(cwd: string, args: string[] = []) {
  const r = await runMain(['scan', '--format', 'json', ...args], { cwd });
  return { r, report: parseJson<JsonReport>(r) };
}

describe('what gets scanned', () => {
  it('in a git work tree: tracked and untracked files, not ignored ones', async () => {
    const a = keyFor('project_164', 1);
    const b = keyFor('svcacct_167', 2);
    const c = keyFor('admin_133', 3);
    const repo = gitRepo({ '.gitignore': 'secret.env\nbuild/\n', 'src/app.py': `KEY = "${a}"\n` });
    writeFiles(repo, { 'notes.txt': `try ${b}\n`, 'secret.env': `OPENAI_API_KEY=${c}\n`, 'build/out.js': `"${c}"` });
    const { r, report } = await scanJson(repo);
    expect(r.code).toBe(1);
    expect(report.findings.map((f) => [f.path, f.line, f.column]).sort()).toEqual([
      ['notes.txt', 1, 5],
      ['src/app.py', 1, 8],
    ]);
  });

  it('outside git: every file under the path; a single file works too', async () => {
    const dir = tempDir();
    const key = keyFor('user_v2_95', 4);
    writeFiles(dir, { 'a/b/c.txt': `\n\n  ${key}\n`, 'd.md': 'nothing' });
    const { report } = await scanJson(dir, ['a']);
    expect(report.findings.map((f) => [f.path, f.line, f.column])).toEqual([['a/b/c.txt', 3, 3]]);
    expect(report.summary.files).toBe(1);
    const single = (await scanJson(dir, ['a/b/c.txt'])).report;
    expect(single.findings).toHaveLength(1);
  });

  it('opens zip archives and names members archive.zip!inner/path', async () => {
    const dir = tempDir();
    const key = keyFor('project_164', 5);
    writeFileSync(
      join(dir, 'export.zip'),
      makeZip([
        { name: 'inner/config.env', data: `A=1\nOPENAI_API_KEY=${key}\n` },
        { name: 'nested.zip', data: makeZip([{ name: 'deep.txt', data: `x ${key}` }]), deflate: false },
      ]),
    );
    const { r, report } = await scanJson(dir);
    expect(r.code).toBe(1);
    expect(report.findings.map((f) => [f.path, f.line, f.column])).toEqual([
      ['export.zip!inner/config.env', 2, 16],
      ['export.zip!nested.zip!deep.txt', 1, 3],
    ]);
  });

  it('reads bytes: invalid UTF-8 around a key does not hide it, CRLF lines count right', async () => {
    const dir = tempDir();
    const key = keyFor('legacy_user_51', 6);
    writeFileSync(join(dir, 'latin1.txt'), Buffer.concat([Buffer.from([0x80, 0xff, 0xfe, 0x20]), Buffer.from(key), Buffer.from([0xc3, 0x28, 0x0a])]));
    writeFileSync(join(dir, 'crlf.txt'), `one\r\ntwo\r\nkey=${key}\r\n`);
    const { report } = await scanJson(dir);
    const byPath = Object.fromEntries(report.findings.map((f) => [f.path, [f.line, f.column]]));
    expect(byPath).toEqual({ 'crlf.txt': [3, 5], 'latin1.txt': [1, 5] });
  });

  it('finds a key in a UTF-16 file (PowerShell profiles are often UTF-16)', async () => {
    const dir = tempDir();
    const key = keyFor('project_164', 12);
    writeFileSync(join(dir, 'profile.ps1'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`$env:OPENAI_API_KEY = "${key}"\r\n`, 'utf16le')]));
    expect((await scanJson(dir)).report.findings.map((f) => [f.path, f.line, f.column])).toEqual([['profile.ps1', 1, 24]]);
  });

  it('skips binary files by content and counts them', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blob.bin'), Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(keyFor('project_164', 7))]));
    writeFileSync(join(dir, 'zeros.dat'), Buffer.alloc(100_000));
    const { r, report } = await scanJson(dir);
    expect(r.code).toBe(0);
    expect(report.summary.skipped.binary).toBe(2);
  });
});

describe('bad input', () => {
  it('a nonexistent path: exit 2 with a clear message', async () => {
    const dir = tempDir();
    const r = await runMain(['scan', 'no/such/dir'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/no\/such\/dir: no such file or directory/);
  });

  it('an unreadable file: reported, the scan goes on, exit 2 with the other findings printed', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const key = keyFor('project_164', 8);
    writeFiles(dir, { 'ok.txt': key, 'locked.txt': 'secret' });
    for (const f of ['ok.txt', 'locked.txt']) chmodSync(join(dir, f), 0o644);
    chmodSync(join(dir, 'locked.txt'), 0o000);
    let out: { code: number; stdout: string };
    if (process.getuid?.() !== 0) {
      out = execFileSyncStatus(process.execPath, [CLI_PATH, 'scan', '--format', 'json', '.'], dir, {});
    } else if (nobodyCanRun()) {
      // root reads anything: run the CLI as an unprivileged user
      out = execFileSyncStatus(process.execPath, [CLI_PATH, 'scan', '--format', 'json', '.'], dir, { uid: 65534, gid: 65534 });
    } else {
      // root, and the checkout is private to root: a file whose read fails with EIO stands in
      rmSync(join(dir, 'locked.txt'));
      symlinkSync('/proc/self/mem', join(dir, 'locked.txt'));
      out = execFileSyncStatus(process.execPath, [CLI_PATH, 'scan', '--format', 'json', 'ok.txt', 'locked.txt'], dir, {});
    }
    expect(out.code).toBe(2);
    const report = JSON.parse(out.stdout) as JsonReport;
    expect(report.findings.map((f) => f.path)).toEqual(['ok.txt']);
    expect(report.summary.errors.map((e) => e.path)).toEqual(['locked.txt']);
    expect(report.summary.errors[0]!.message).toMatch(/permission denied|i\/o error/i);
  });

  it('an empty file is read and counted, nothing found', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty'), '');
    const { r, report } = await scanJson(dir);
    expect([r.code, report.summary.files, report.summary.bytes]).toEqual([0, 1, 0]);
  });

  it('a 200 MB file is scanned in windows, with the right line', async () => {
    const dir = tempDir();
    const key = keyFor('svcacct_167', 9);
    const fd = openSync(join(dir, 'big.log'), 'w');
    const line = `${'log line with nothing in it '.repeat(3)}\n`;
    const block = Buffer.from(line.repeat(Math.floor(1048576 / line.length)));
    const linesPerBlock = Math.floor(1048576 / line.length);
    for (let i = 0; i < 200; i++) writeSync(fd, block);
    writeSync(fd, `token=${key}\n`);
    closeSync(fd);
    const { r, report } = await scanJson(dir);
    expect(r.code).toBe(1);
    expect(report.findings.map((f) => [f.line, f.column])).toEqual([[200 * linesPerBlock + 1, 7]]);
    expect(report.summary.bytes).toBe(200 * block.length + key.length + 7);
  });

  it('a 5 MB single line', async () => {
    const dir = tempDir();
    const key = keyFor('project_132', 10);
    writeFileSync(join(dir, 'min.js'), `${'a=1;'.repeat(625_000)}k="${key}";${'b=2;'.repeat(625_000)}`);
    const { report } = await scanJson(dir);
    expect(report.findings.map((f) => [f.line, f.column])).toEqual([[1, 2_500_004]]);
  });

  it('a corrupt zip: exit 2, said plainly', async () => {
    const dir = tempDir();
    const zip = makeZip([{ name: 'a.txt', data: 'hello world '.repeat(100) }]);
    writeFileSync(join(dir, 'broken.zip'), zip.subarray(0, zip.length - 30));
    const r = await runMain(['scan', '.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/broken\.zip: corrupt or unreadable zip archive/);
  });

  it('a zip bomb is refused with a reason, and the rest is still scanned', async () => {
    const dir = tempDir();
    const key = keyFor('project_164', 11);
    writeFileSync(
      join(dir, 'bomb.zip'),
      makeZip([
        { name: 'zeros.bin', data: Buffer.alloc(60 * 1048576) },
        { name: 'real.txt', data: key },
      ]),
    );
    writeFileSync(join(dir, 'liar.zip'), makeZip([{ name: 'small.txt', data: Buffer.alloc(3 * 1048576, 0x61), declaredSize: 10 }]));
    const { r, report } = await scanJson(dir);
    expect(r.code).toBe(2);
    expect(report.findings.map((f) => f.path)).toEqual(['bomb.zip!real.txt']);
    const errors = report.summary.errors.map((e) => `${e.path}: ${e.message}`).join('\n');
    expect(errors).toMatch(/bomb\.zip!zeros\.bin: refused: .*zip bomb/);
    expect(errors).toMatch(/liar\.zip!small\.txt: cannot read zip member/);
  });

  it('an encrypted zip member is reported as unreadable', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'locked.zip'), makeZip([{ name: 'x.txt', data: 'abc'.repeat(100), encrypted: true }]));
    const { r, report } = await scanJson(dir);
    expect(r.code).toBe(2);
    expect(report.summary.errors[0]!.message).toMatch(/encrypted/);
  });

  it('symlink loops and links out of the tree are not followed; a FIFO does not hang', async () => {
    const dir = tempDir();
    const outside = tempDir();
    writeFiles(outside, { 'secret.txt': keyFor('project_164', 12) });
    mkdirSync(join(dir, 'tree'));
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'tree', 'escape.txt'));
    symlinkSync('loop-b', join(dir, 'tree', 'loop-a'));
    symlinkSync('loop-a', join(dir, 'tree', 'loop-b'));
    symlinkSync('.', join(dir, 'tree', 'self'));
    execFileSync('mkfifo', [join(dir, 'tree', 'pipe')]);
    writeFiles(dir, { 'tree/plain.txt': 'clean' });
    const { r, report } = await scanJson(dir, ['tree']);
    expect(r.code).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.summary.skipped['symbolic links (not followed)']).toBe(4);
    expect(report.summary.skipped['special files (FIFO, socket, device)']).toBe(1);
  });

  it('file names with spaces, newlines and non-ASCII', async () => {
    const repo = gitRepo();
    const key = keyFor('project_164', 13);
    writeFiles(repo, { 'with space.txt': key, 'new\nline.txt': key, 'ünï cødé ✅.txt': key });
    const { report } = await scanJson(repo);
    expect(report.findings.map((f) => f.path).sort()).toEqual(['new\nline.txt', 'with space.txt', 'ünï cødé ✅.txt']);
  });
});

describe('output', () => {
  it('never prints the full key unless --show-secrets', async () => {
    const dir = tempDir();
    const key = keyFor('project_164', 14);
    writeFiles(dir, { 'a.txt': key });
    for (const format of ['text', 'json', 'sarif']) {
      const r = await runMain(['scan', '--format', format], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).not.toContain(key);
      expect(r.stdout + r.stderr).not.toContain(key.slice(10, 40));
    }
    const shown = (await scanJson(dir, ['--show-secrets'])).report;
    expect(shown.findings[0]!.secret).toBe(key);
  });

  it('text output is grouped by file and says what to do', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'a.txt': keyFor('project_164', 15), 'b.txt': `\n${keyFor('admin_133', 16)}` });
    const r = await runMain(['scan'], { cwd: dir });
    expect(r.stdout).toMatch(/^a\.txt\n {2}✗ 1:1 {2}OpenAI project key\n/m);
    expect(r.stdout).toMatch(/^b\.txt\n {2}✗ 2:1 {2}OpenAI admin key\n/m);
    expect(r.stdout).toContain('https://platform.openai.com/api-keys');
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stdout).toMatch(/keyguard: scanned 2 files, .* 2 findings/);
  });

  it('writes the report to --output and the summary to stderr', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'a.txt': keyFor('project_164', 17) });
    const r = await runMain(['scan', '--format', 'json', '--output', 'report.json', 'a.txt'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/1 finding.*report written to report\.json/);
  });

  it('shows no progress when stderr is not a terminal', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'a.txt': 'x' });
    expect((await runMain(['scan'], { cwd: dir })).stderr).not.toContain('\r');
  });

  it.skipIf(!HAS_SCRIPT)('on a terminal: progress on stderr, colours on stdout (run under script(1) for a real pty)', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'a.txt': keyFor('project_164', 21), 'b.txt': 'clean' });
    const r = spawnSync('script', ['-qec', `${process.execPath} ${CLI_PATH} scan .`, '/dev/null'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir, TERM: 'xterm', CI: '' },
    });
    expect(r.stdout).toMatch(/\r\x1b\[2Kkeyguard: \d+ files, [\d.]+ MB, \d+ findings/);
    expect(r.stdout).toMatch(/\x1b\[\d+m/);
  });

  it('every command has --help', async () => {
    const dir = tempDir();
    for (const cmd of ['scan', 'baseline', 'audit', 'codex', 'install', 'uninstall']) {
      const r = await runMain([cmd, '--help'], { cwd: dir });
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(/Usage: keyguard/);
    }
  });

  it('an unknown flag is a usage error, exit 2', async () => {
    const r = await runMain(['scan', '--nope'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope/);
  });
});

describe('suppressions', () => {
  it('keyguard:allow on the line, .keyguardignore globs, and the baseline with stale entries', async () => {
    const repo = gitRepo();
    const a = keyFor('project_164', 18);
    const b = keyFor('project_164', 19);
    const c = keyFor('project_164', 20);
    writeFiles(repo, {
      'docs/example.md': `use ${a} # keyguard:allow\n`,
      'fixtures/keys.txt': b,
      'src/old.txt': c,
      '.keyguardignore': '# test fixtures\nfixtures/\n',
    });
    const first = (await scanJson(repo)).report;
    expect(first.findings.map((f) => f.path)).toEqual(['src/old.txt']);
    expect((await runMain(['baseline'], { cwd: repo })).code).toBe(0);
    const baselineText = execFileSync('cat', [join(repo, '.keyguard-baseline.json')], { encoding: 'utf8' });
    expect(baselineText).not.toContain(c.slice(8, 30));
    expect(JSON.parse(baselineText).findings).toEqual([{ fingerprint: first.findings[0]!.fingerprint, ruleId: 'openai-api-key' }]);
    const second = await scanJson(repo);
    expect(second.r.code).toBe(0);
    expect(second.report.findings).toEqual([]);
    writeFiles(repo, { 'src/old.txt': 'removed' });
    const third = (await scanJson(repo)).report;
    expect(third.summary.unusedBaseline).toEqual([first.findings[0]!.fingerprint]);
  });

  it('a malformed baseline is a usage error', async () => {
    const dir = tempDir();
    writeFiles(dir, { '.keyguard-baseline.json': '{"findings": [{"fingerprint": "nope"}]}' });
    const r = await runMain(['scan'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/baseline .* is not valid/);
  });
});

describe('exit codes', () => {
  it('0 when clean and everything was read', async () => {
    const repo = gitRepo({ 'a.txt': 'hello' });
    git(repo, ['status']);
    expect(await runMain(['scan', '-q'], { cwd: repo })).toMatchObject({ code: 0, stdout: '' });
  });
});

function nobodyCanRun(): boolean {
  const probe = spawnSync(
    process.execPath,
    ['-e', `require('fs').accessSync(${JSON.stringify(CLI_PATH)}, 4); require(${JSON.stringify(join(__dirname, '..', 'node_modules', 'picocolors'))})`],
    { uid: 65534, gid: 65534 },
  );
  return probe.status === 0;
}

function execFileSyncStatus(cmd: string, args: string[], cwd: string, ids: { uid?: number; gid?: number }) {
  try {
    const stdout = execFileSync(cmd, args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: cwd, KEYGUARD_NO_PROGRESS: '1' }, ...ids });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { code: e.status, stdout: e.stdout };
  }
}
