// How `keyguard scan` grows with the tree: the scan corpus (scan.mjs) once, 10 times and 25 times
// (about 80 MB, 800 MB and 2 GB), keyguard with one job and with the default, beside the Node floor
// (floor.mjs). Goals: peak memory under 200 MB at every size and job count, time per byte at the
// largest size within 1.3x of the smallest, and every seeded key found in every copy.
//
// Opt-in (`npm run bench -- scale`, not in run.mjs's default list): it takes several minutes.
//
// The larger trees are hard links to the corpus's files (`c00/`, `c01/` … each a copy of the corpus's
// layout): cheap to build and to keep (directory entries, no data), so they are kept between runs under
// $TMPDIR/keyguard-bench/scale, rebuilt when VERSION or the corpus changes. The page cache then holds one
// copy of the data, so the large trees are read from memory: this measures keyguard's own cost per byte
// and per file (listing, system calls, search, bookkeeping), not the disk. KEYGUARD_BENCH_SCALE_COPY=1
// makes real copies instead (removed at the end; 3x their size must be free).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BENCH, CLI, measure, row, verdict } from './lib.mjs';

const VERSION = 1;
const BASE = join(tmpdir(), 'keyguard-bench');
// the corpus scan.mjs builds, and its manifest (files, bytes, seeded keys)
const CORPUS = join(BASE, 'scan-corpus');
const MANIFEST = join(BASE, 'scan-manifest.json');
const COPY = process.env.KEYGUARD_BENCH_SCALE_COPY === '1';
// outside any git repository, like the corpus: keyguard walks it rather than asking git
const SCALE = join(BASE, COPY ? 'scale-copies' : 'scale');
/** copies of the corpus per tree; KEYGUARD_BENCH_SCALE=1,4 for a quick try */
const SIZES = (process.env.KEYGUARD_BENCH_SCALE ?? '1,10,25').split(',').map(Number);
const RUNS = 3;
const MEMORY_MB = 200;
const LINEAR = 1.3;

/** Every file under the corpus, relative, in a fixed order. */
function filesUnder(dir, rel = '', out = []) {
  const entries = readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const child = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) filesUnder(dir, child, out);
    else if (e.isFile()) out.push(child);
  }
  return out;
}

const copyName = (k) => `c${String(k).padStart(2, '0')}`;

/** The tree of `copies` copies of the corpus (built or reused); undefined when the disk is too full. */
function tree(copies, corpus) {
  const dir = join(SCALE, `x${copies}`);
  const stamp = join(SCALE, `x${copies}.json`);
  const want = { version: VERSION, corpus: corpus.hash, copies, copied: COPY };
  if (existsSync(stamp)) {
    const had = JSON.parse(readFileSync(stamp, 'utf8'));
    if (JSON.stringify(had.want) === JSON.stringify(want)) return { dir, ...had };
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(stamp, { force: true });
  const bytes = corpus.bytes * copies;
  // even hard links are held to it: never risk filling a disk others use
  const fs = statfsSync(BASE);
  const free = fs.bavail * fs.bsize;
  if (free < 3 * bytes) {
    console.log(`x${copies}: skipped, ${(free / 2 ** 30).toFixed(1)} GB free on ${BASE} and ${((3 * bytes) / 2 ** 30).toFixed(1)} GB needed (3x the tree)`);
    return undefined;
  }
  const t0 = Date.now();
  const dirs = new Set(corpus.files.map((f) => dirname(f)));
  for (let k = 0; k < copies; k++) {
    const root = join(dir, copyName(k));
    for (const d of dirs) mkdirSync(join(root, d), { recursive: true });
    for (const f of corpus.files) (COPY ? copyFileSync : linkSync)(join(CORPUS, f), join(root, f));
  }
  const built = { want, files: corpus.files.length * copies, bytes };
  writeFileSync(stamp, JSON.stringify(built));
  console.log(`x${copies}: built in ${((Date.now() - t0) / 1000).toFixed(1)} s (${COPY ? 'copies' : 'hard links'})`);
  return { dir, ...built };
}

const byWall = (runs) => [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)];
const mb = (bytes) => bytes / 2 ** 20;
const size = (bytes) => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GB` : `${mb(bytes).toFixed(0)} MB`);

export async function bench() {
  if (!existsSync(MANIFEST)) {
    console.log(`no scan corpus at ${CORPUS}: run \`npm run bench -- scan\` first (it builds the corpus this case copies)`);
    return { ok: false };
  }
  const manifestText = readFileSync(MANIFEST, 'utf8');
  const seeded = JSON.parse(manifestText).seeded;
  const files = filesUnder(CORPUS);
  const corpus = {
    files,
    bytes: files.reduce((n, f) => n + statSync(join(CORPUS, f)).size, 0),
    hash: createHash('sha256').update(manifestText).digest('hex').slice(0, 16),
  };
  const cores = availableParallelism();
  console.log(
    `corpus: ${files.length} files, ${size(corpus.bytes)}, ${seeded.length} seeded keys; trees of ${SIZES.join(', ')} copies ` +
      `(${COPY ? 'real copies' : 'hard links: the page cache holds one copy, so the large trees are read from memory'}); ` +
      `${cores} cores; medians of ${RUNS}, peak memory the worst of ${RUNS}`,
  );
  const results = [];
  for (const copies of SIZES) {
    const t = tree(copies, corpus);
    if (!t) continue;
    const label = `x${copies} ${size(t.bytes)}`;
    // one untimed pass: the page cache, the inode and directory caches warm for every contender alike
    measure(process.execPath, [join(BENCH, 'floor.mjs'), '.'], { cwd: t.dir });
    const runs = { floor: [], one: [], all: [] };
    let report;
    // interleaved, so a burst of load elsewhere hits every contender alike
    for (let i = 0; i < RUNS; i++) {
      runs.floor.push(measure(process.execPath, [join(BENCH, 'floor.mjs'), '.'], { cwd: t.dir }));
      runs.one.push(measure(process.execPath, [CLI, 'scan', '--format', 'json', '--jobs', '1', '.'], { cwd: t.dir }));
      const all = measure(process.execPath, [CLI, 'scan', '--format', 'json', '.'], { cwd: t.dir });
      runs.all.push(all);
      report ??= JSON.parse(all.stdout);
    }
    const found = new Set(report.findings.map((f) => `${f.path}:${f.line}`));
    let hits = 0;
    for (let k = 0; k < copies; k++) for (const s of seeded) if (found.has(`${copyName(k)}/${s.path}:${s.line}`)) hits++;
    const r = { copies, bytes: t.bytes, files: t.files, hits, findings: report.findings.length };
    for (const [name, ms] of Object.entries(runs)) {
      const m = byWall(ms);
      r[name] = { wallMs: m.wallMs, peakMB: Math.max(...ms.map((x) => x.peakMB)), codes: ms.map((x) => x.code) };
    }
    results.push(r);
    const base = results[0];
    const extra = (name) => {
      const m = r[name];
      const perByte = m.wallMs / r.bytes / (base[name].wallMs / base.bytes);
      return `${(mb(r.bytes) / (m.wallMs / 1000)).toFixed(0).padStart(4)} MB/s; time per byte ${perByte.toFixed(2)}x x${base.copies}`;
    };
    row(label, 'node floor (read + 1 search)', r.floor, extra('floor'));
    row(label, 'keyguard scan --jobs 1', r.one, extra('one'));
    row(label, `keyguard scan (${cores} jobs)`, r.all, `${extra('all')}; ${hits}/${seeded.length * copies} seeded keys, ${r.findings} findings`);
  }
  if (results.length === 0) return { ok: false };

  // the table for the README
  const base = results[0];
  const cell = (r, name) => {
    const m = r[name];
    const perByte = m.wallMs / r.bytes / (base[name].wallMs / base.bytes);
    return `${(m.wallMs / 1000).toFixed(2)} s, ${m.peakMB.toFixed(0)} MB (${perByte.toFixed(2)}x)`;
  };
  console.log(`\n| tree | keyguard, ${cores} jobs | keyguard, 1 job | Node floor | MB/s (${cores} jobs) |`);
  console.log('|---|---|---|---|---|');
  for (const r of results) {
    const files = r.files.toLocaleString('en-US');
    console.log(
      `| ${size(r.bytes)}, ${files} files | ${cell(r, 'all')} | ${cell(r, 'one')} | ${cell(r, 'floor')} | ${(mb(r.bytes) / (r.all.wallMs / 1000)).toFixed(0)} |`,
    );
  }
  console.log(`(time, peak memory, and in brackets the time per byte against the ${size(base.bytes)} tree)\n`);

  const last = results[results.length - 1];
  const peak = Math.max(...results.flatMap((r) => [r.one.peakMB, r.all.peakMB]));
  const a = verdict(peak < MEMORY_MB, `keyguard peak memory under ${MEMORY_MB} MB at every size, 1 job and ${cores} (worst ${peak.toFixed(0)} MB)`);
  const growth = (name, from = base) => last[name].wallMs / last.bytes / (from[name].wallMs / from.bytes);
  // the smallest tree carries start-up (Node, workers) in its time per byte; between the two larger
  // trees only the per-byte and per-file cost remains
  const mid = results.length > 2 ? results[results.length - 2] : undefined;
  if (mid) {
    console.log(
      `time per byte at ${size(last.bytes)} against ${size(mid.bytes)}: ` +
        `1 job ${growth('one', mid).toFixed(2)}x, ${cores} jobs ${growth('all', mid).toFixed(2)}x, floor ${growth('floor', mid).toFixed(2)}x`,
    );
  }
  const b = verdict(
    results.length > 1 && Math.max(growth('one'), growth('all')) <= LINEAR,
    `time per byte at ${size(last.bytes)} within ${LINEAR}x of ${size(base.bytes)} ` +
      `(1 job ${growth('one').toFixed(2)}x, ${cores} jobs ${growth('all').toFixed(2)}x; floor ${growth('floor').toFixed(2)}x)`,
  );
  const c = verdict(
    results.every((r) => r.hits === seeded.length * r.copies && r.findings === seeded.length * r.copies),
    `findings = seeded keys x copies at every size (${results.map((r) => `${r.findings}/${seeded.length * r.copies}`).join(', ')})`,
  );
  const d = verdict(
    results.every((r) => [...r.one.codes, ...r.all.codes].every((code) => code === 1)),
    'keyguard exits 1 (findings) in every run',
  );
  if (COPY) rmSync(SCALE, { recursive: true, force: true });
  return { ok: a && b && c && d };
}
