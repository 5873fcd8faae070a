// A special file named on the command line (a FIFO, /dev/stdin) is read, once; walking a tree still
// never opens one.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runScan } from '../src/scan/pipeline.js';
import { ScanContext } from '../src/scan/context.js';
import { readSpecialFile } from '../src/sources/files/special-file.js';
import { keyFor } from './helpers/keys.js';
import { CLI, gitEnv, parseJson, runCli, tempDir, writeFiles } from './helpers/tmp.js';

interface Report {
  findings: { path: string; line: number; column: number }[];
  summary: { files: number; skipped: Record<string, number>; errors: unknown[] };
}

/** A FIFO with a writer child that fills it with `text` once a reader opens it. */
function fifoWith(dir: string, text: string): string {
  const path = join(dir, 'pipe');
  execFileSync('mkfifo', [path]);
  // short text as an argument: the test's event loop may be blocked (spawnSync) while it is written;
  // longer text through the writer's stdin (only from tests that await)
  const writer =
    text.length < 64 * 1024
      ? spawn('sh', ['-c', 'printf %s "$2" > "$1"', 'sh', path, text], { stdio: 'ignore' })
      : spawn('sh', ['-c', 'cat > "$1"', 'sh', path], { stdio: ['pipe', 'ignore', 'ignore'] });
  writer.stdin?.end(text);
  writer.unref();
  // a writer nobody read from would wait on the FIFO for ever
  onTestFinished(() => {
    if (writer.exitCode === null) writer.kill();
  });
  return path;
}

describe('special files named on the command line', () => {
  it('a FIFO is read (a writer child feeds it), with findings at the right line', () => {
    const dir = tempDir();
    const key = keyFor('project_164', 801);
    const pipe = fifoWith(dir, `first line\nOPENAI_API_KEY=${key}\n`);
    const r = spawnSync(process.execPath, [CLI, 'scan', '--format', 'json', pipe], { cwd: dir, env: gitEnv({ HOME: dir }), encoding: 'utf8', timeout: 30_000 });
    expect(r.signal).toBeNull();
    const report = parseJson<Report>({ code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr });
    expect(r.status).toBe(1);
    expect(report.findings.map((f) => [f.path, f.line, f.column])).toEqual([[pipe, 2, 16]]);
    expect(report.summary.skipped).toEqual({});
  });

  it('keyguard scan /dev/stdin reads what is piped in', () => {
    const dir = tempDir();
    const key = keyFor('project_164', 802);
    const found = runCli(['scan', '--format', 'json', '/dev/stdin'], { cwd: dir, input: `echo hi\nexport OPENAI_API_KEY=${key}\n` });
    expect(found.code).toBe(1);
    expect(parseJson<Report>(found).findings.map((f) => [f.path, f.line])).toEqual([['/dev/stdin', 2]]);
    const clean = runCli(['scan', '--format', 'json', '/dev/stdin'], { cwd: dir, input: 'nothing to see\n' });
    expect(clean.code).toBe(0);
    expect(parseJson<Report>(clean).summary.files).toBe(1);
  });

  it('a device that never ends but starts like binary data is counted as binary, not read forever', () => {
    const dir = tempDir();
    const opts = { cwd: dir, env: gitEnv({ HOME: dir }), encoding: 'utf8', timeout: 30_000 } as const;
    const r = spawnSync(process.execPath, [CLI, 'scan', '--format', 'json', '/dev/zero'], opts);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(parseJson<Report>({ code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }).summary.skipped).toEqual({ binary: 1 });
  });

  it('a FIFO found while walking a directory is still never opened', () => {
    const dir = tempDir();
    writeFiles(dir, { 'tree/a.txt': 'a\n' });
    execFileSync('mkfifo', [join(dir, 'tree', 'pipe')]);
    const r = runCli(['scan', '--format', 'json', 'tree'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(parseJson<Report>(r).summary.skipped['special files (FIFO, socket, device)']).toBe(1);
  });

  it('past the in-memory limit the stream goes through a temporary file, and is scanned whole', async () => {
    const dir = tempDir();
    const key = keyFor('project_164', 803);
    const filler = 'x'.repeat(99) + '\n';
    const pipe = fifoWith(dir, `${filler.repeat(2000)}k=${key}\n`);
    const ctx = new ScanContext();
    const findings = await runScan((c) => readSpecialFile(pipe, 'pipe', c, 4096), ctx);
    expect(findings.map((f) => [f.location.path, f.location.line, f.secret === key])).toEqual([['pipe', 2001, true]]);
    expect(ctx.bytes).toBe(2000 * 100 + key.length + 3);
  });
});
