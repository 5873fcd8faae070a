// Benchmark helpers: run a command, measure wall time and peak memory (GNU time), print rows.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(BENCH, '..', '..');
export const WORK = join(BENCH, '.work');
// The build under test, copied once at start: a rebuild during a long run (it deletes dist/ first)
// must not turn the rest of the run into measurements of a missing program.
const SNAPSHOT = join(WORK, 'build');
rmSync(SNAPSHOT, { recursive: true, force: true });
mkdirSync(SNAPSHOT, { recursive: true });
cpSync(join(ROOT, 'package.json'), join(SNAPSHOT, 'package.json'));
cpSync(join(ROOT, 'dist'), join(SNAPSHOT, 'dist'), { recursive: true });
export const CLI = join(SNAPSHOT, 'dist', 'cli.cjs');

/** Run `cmd args` (optionally through sh -c when `shell` is set); wall ms, peak RSS MB, output. */
export function measure(cmd, args, opts = {}) {
  const stat = join(WORK, `.time-${process.pid}-${Date.now()}`);
  const argv = opts.shell ? ['sh', '-c', cmd] : [cmd, ...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', stat, ...argv], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, KEYGUARD_NO_PROGRESS: '1', ...(opts.env ?? {}) },
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    input: opts.input ?? '',
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  let peakMB = NaN;
  if (existsSync(stat)) {
    const lines = readFileSync(stat, 'utf8').trim().split('\n');
    peakMB = Number(lines[lines.length - 1]) / 1024;
    rmSync(stat, { force: true });
  }
  return { wallMs, peakMB, code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** One line per measurement, aligned. */
export function row(name, tool, m, extra = '') {
  const wall = `${m.wallMs.toFixed(0)} ms`.padStart(10);
  const mem = Number.isFinite(m.peakMB) ? `${m.peakMB.toFixed(0)} MB`.padStart(8) : '       -';
  console.log(`${name.padEnd(22)} ${tool.padEnd(28)} ${wall} ${mem}  ${extra}`);
}

export function verdict(ok, text) {
  console.log(`${ok ? 'PASS' : 'MISS'}  ${text}`);
  return ok;
}
