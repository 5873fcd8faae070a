// `keyguard scan --staged` run directly (JSON out) for what the commit tests do not show: content
// sniffing of what git calls binary, replayed commits other than merges, long runs, listed paths
// (the pre-commit framework's file names), and the accounting that keeps the summary honest.
import { describe, expect, it } from 'vitest';
import { ScanContext } from '../src/scan/context.js';
import { scanned } from './helpers/scan.js';
import { stagedSource } from '../src/sources/staged/source.js';
import { stagedState } from '../src/git/staged-state.js';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { keyFor } from './helpers/keys.js';
import { git, gitEnv, gitRepo, parseJson, runCli, tempDir, writeFiles } from './helpers/tmp.js';

interface Report {
  findings: Array<{ path: string; line: number; column: number; kind: string; redacted: string }>;
  summary: { files: number; bytes: number; skipped: Record<string, number>; errors: Array<{ path: string; message: string }>; notes: string[] };
}

function scanStaged(dir: string, env = gitEnv({ HOME: dir, OPENAI_API_KEY: '', CODEX_API_KEY: '' })): { code: number; report: Report } {
  const r = runCli(['scan', '--staged', '--format', 'json'], { cwd: dir, env });
  return { code: r.code, report: parseJson<Report>(r) };
}

const KEY = keyFor('project_164', 21);
const KEY2 = keyFor('admin_133', 22);

describe('scan --staged reads what git calls binary by content', () => {
  it('finds keys in UTF-16 text and in files a -diff attribute hides, and skips real binaries', () => {
    const dir = gitRepo({ '.gitattributes': '*.secret -diff\n' });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`$env:OPENAI_API_KEY = "${KEY}"\r\n`, 'utf16le')]);
    writeFiles(dir, {
      'profile.ps1': utf16,
      'notes.secret': `nothing\nkey=${KEY2}\n`,
      'image.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.from(KEY)]),
    });
    git(dir, ['add', '-A']);
    const { code, report } = scanStaged(dir);
    expect(code).toBe(1);
    expect(report.findings.map((f) => `${f.path}:${f.kind}`).sort()).toEqual(['notes.secret:staged', 'profile.ps1:staged']);
    expect(report.findings.find((f) => f.path === 'notes.secret')?.line).toBe(2);
    expect(report.summary.skipped.binary).toBe(1);
    expect(report.summary.files).toBe(2);
  });
});

describe('scan --staged accounts for every staged path', () => {
  it('counts files and bytes of the added lines, and names each skip', () => {
    const dir = gitRepo({ 'a.txt': 'one\ntwo\nthree\n', 'b.txt': 'b\n', 'c.txt': 'c\n' });
    writeFiles(dir, { 'a.txt': 'one\nthree\n', 'b.txt': 'b\nadded line\n', 'new.txt': '' });
    git(dir, ['rm', '-q', 'c.txt']);
    git(dir, ['add', '-A']);
    const { code, report } = scanStaged(dir);
    expect(code).toBe(0);
    expect(report.summary.files).toBe(1);
    expect(report.summary.bytes).toBe('added line\n'.length);
    expect(report.summary.skipped).toEqual({ 'only lines removed': 1, deleted: 1, empty: 1 });
    expect(report.summary.errors).toEqual([]);
  });

  it('places keys deep inside a large added file on the right line', () => {
    const dir = gitRepo({ 'seed.txt': 'x\n' });
    const filler = 'lorem ipsum dolor sit amet, consectetur adipiscing elit\n'.repeat(100_000);
    writeFiles(dir, { 'big.log': `${filler}token ${KEY}\n${filler}tail ${KEY2}\n` });
    git(dir, ['add', '-A']);
    const { report } = scanStaged(dir);
    expect(report.findings.map((f) => [f.line, f.column])).toEqual([
      [100_001, 7],
      [200_002, 6],
    ]);
  });

  it('says what is wrong outside a repository', () => {
    const dir = tempDir();
    const r = runCli(['scan', '--staged'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--staged needs a git work tree/);
  });
});

describe('scan --staged during a cherry-pick', () => {
  it('does not block lines the picked commit already committed, only what the resolution adds', () => {
    const dir = gitRepo({ 'f.txt': 'base\n' });
    git(dir, ['checkout', '-q', '-b', 'other']);
    writeFiles(dir, { 'f.txt': `base\nfrom other ${KEY}\n`, 'g.txt': `g ${KEY}\n` });
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'other']);
    git(dir, ['checkout', '-q', 'main']);
    writeFiles(dir, { 'f.txt': 'base\nmain line\n' });
    git(dir, ['commit', '-q', '-am', 'main']);
    try {
      git(dir, ['cherry-pick', 'other']);
    } catch {
      /* conflict expected */
    }
    writeFiles(dir, { 'f.txt': `base\nmain line\nfrom other ${KEY}\nresolution ${KEY2}\n` });
    git(dir, ['add', 'f.txt']);
    const { code, report } = scanStaged(dir);
    expect(code).toBe(1);
    expect(report.findings.map((f) => `${f.path}:${f.line}`)).toEqual(['f.txt:4']);
    expect(report.summary.skipped['already committed in the picked commit']).toBe(1);
  });
});

describe('stagedSource with listed paths (the pre-commit framework passes file names)', () => {
  it('reads listed files without a staged change whole from the index, and staged ones by their added lines', async () => {
    const dir = gitRepo({ 'old.env': `OPENAI_API_KEY=${KEY}\n`, 'app.txt': `legacy ${KEY2}\n`, 'other.txt': `${KEY}\n` });
    writeFiles(dir, { 'app.txt': `legacy ${KEY2}\nfresh line\n`, 'old.env': `changed on disk only ${KEY2}\n` });
    git(dir, ['add', 'app.txt']);
    const ctx = new ScanContext();
    const result = await scanned(stagedSource({ cwd: dir, env: gitEnv(), paths: ['old.env', 'app.txt', 'missing.txt'] }), ctx);
    // old.env: unchanged in the index, read whole (the index copy, not the edited file)
    expect(result.findings.map((f) => `${f.location.path}:${f.location.line}:${f.secret === KEY ? 'KEY' : 'KEY2'}`)).toEqual(['old.env:1:KEY']);
    expect(result.summary.files).toBe(2);
    expect(result.summary.skipped).toEqual({ 'not in the index': 1 });
    // other.txt was not listed
    expect(result.findings.some((f) => f.location.path === 'other.txt')).toBe(false);
  });
});

describe('stagedState finds the state of the right work tree', () => {
  it('reads MERGE_HEAD and CHERRY_PICK_HEAD from the git dir of a linked worktree, from a subdirectory', async () => {
    const dir = gitRepo({ 'sub/a.txt': 'a\n' });
    const head = git(dir, ['rev-parse', 'HEAD']).trim();
    const wt = join(tempDir('kg-wt-'), 'wt');
    git(dir, ['worktree', 'add', '-q', '-b', 'side', wt]);
    const wtGitDir = resolve(wt, git(wt, ['rev-parse', '--git-dir']).trim());
    writeFileSync(join(wtGitDir, 'MERGE_HEAD'), `${head}\n${head}\n`);
    writeFileSync(join(wtGitDir, 'CHERRY_PICK_HEAD'), `${head}\n`);
    const state = await stagedState(join(wt, 'sub'), gitEnv());
    expect(state.replayed).toEqual([
      { kind: 'merge', sha: head },
      { kind: 'merge', sha: head },
      { kind: 'pick', sha: head },
    ]);
    // the main work tree is not merging
    expect((await stagedState(join(dir, 'sub'), gitEnv())).replayed).toEqual([]);
  });

  it('follows GIT_DIR, and falls back to asking git, which names a missing repository', async () => {
    const dir = gitRepo({ 'a.txt': 'a\n' });
    const elsewhere = tempDir();
    const state = await stagedState(elsewhere, gitEnv({ GIT_DIR: join(dir, '.git'), GIT_WORK_TREE: dir }));
    expect(state.replayed).toEqual([]);
    await expect(stagedState(elsewhere, gitEnv({ GIT_DIR: join(elsewhere, 'missing') }))).rejects.toThrow(/needs a git work tree/);
  });
});
