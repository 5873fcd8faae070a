// One large file: a 500 MB log of many lines, and a 300 MB minified bundle on one line, its strings in
// many languages, each with seeded keys at known places. keyguard reads a file past 32 MB in windows; the
// goals are every key at its exact line and column, memory that does not grow with the file, and a
// time near the Node floor for one file (streamed a megabyte at a time, one search per piece).
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH, CLI, measure, row, verdict } from './lib.mjs';
import { corpusKey, rng } from './keys.mjs';
import { buildCorpus } from './scan.mjs';

const DIR = join(tmpdir(), 'keyguard-bench', 'bigfile');
const SCAN_CORPUS = join(tmpdir(), 'keyguard-bench', 'scan-corpus');
const KEYS = 40;

/** Text lines of the scan benchmark's corpus (real package sources), in a fixed order. */
function corpusLines() {
  const lines = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (/\.(js|ts|md)$/.test(name) && lines.length < 400_000)
        lines.push(
          ...readFileSync(p, 'utf8')
            .split('\n')
            .filter((l) => !l.includes('T3Bl')),
        );
    }
  };
  walk(join(SCAN_CORPUS, 'pkgs-0'));
  return lines;
}

/** A log of `bytes`, a key on every (total / KEYS)-th line: where each went, as line and column. */
function buildLog(path, bytes, lines) {
  const fd = openSync(path, 'w');
  const seeded = [];
  const perKey = Math.floor(bytes / KEYS);
  let written = 0;
  let line = 0;
  let next = perKey / 2;
  let out = [];
  for (let i = 0; written < bytes; i++) {
    let text = lines[i % lines.length];
    if (written >= next && seeded.length < KEYS) {
      const key = corpusKey(seeded.length);
      text = `2026-11-29T06:00:00Z worker[${i}] OPENAI_API_KEY=${key} started`;
      seeded.push({ line: line + 1, column: text.indexOf(key) + 1, key });
      next += perKey;
    }
    out.push(text);
    written += Buffer.byteLength(text) + 1;
    line++;
    if (out.length === 10_000) {
      writeSync(fd, `${out.join('\n')}\n`);
      out = [];
    }
  }
  writeSync(fd, `${out.join('\n')}\n`);
  closeSync(fd);
  return seeded;
}

/** A minified bundle on one line, its strings in several scripts, a key in every (total / KEYS)-th string. */
function buildOneLine(path, bytes) {
  const next = rng(77);
  const words = ['the', 'build', 'failed', 'café', 'naïve', 'テスト', '日本語', 'über', '😀', 'ошибка', 'مرحبا', '—'];
  const fd = openSync(path, 'w');
  const seeded = [];
  let units = 0;
  let written = 0;
  const perKey = Math.floor(bytes / KEYS);
  let nextKey = perKey / 2;
  writeSync(fd, '[');
  written = 1;
  units = 1;
  for (let m = 0; written < bytes; m++) {
    let text = '';
    for (let w = 0; w < 60; w++) text += `${words[Math.floor(next() * words.length)]} `;
    let piece = `${m > 0 ? ',' : ''}{"id":${m},"role":"user","text":"${text}`;
    if (written >= nextKey && seeded.length < KEYS) {
      const key = corpusKey(100 + seeded.length);
      seeded.push({ line: 1, column: units + piece.length + 1, key });
      piece += key;
      nextKey += perKey;
    }
    piece += '"}';
    writeSync(fd, piece);
    written += Buffer.byteLength(piece);
    units += piece.length;
  }
  writeSync(fd, ']');
  closeSync(fd);
  return seeded;
}

function build() {
  const manifest = join(DIR, 'manifest.json');
  if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8'));
  mkdirSync(DIR, { recursive: true });
  const info = {
    log: buildLog(join(DIR, 'app.log'), 500 * 1024 * 1024, corpusLines()),
    oneLine: buildOneLine(join(DIR, 'bundle.min.js'), 300 * 1024 * 1024),
  };
  writeFileSync(manifest, JSON.stringify(info));
  return info;
}

export async function bench() {
  buildCorpus();
  const info = build();
  let ok = true;
  // a log is read around its keys' lines only; a one-line file has no lines to skip: every window
  // with a trace is decoded whole and every byte's column counted, hence the looser goal
  for (const [name, file, seeded, goal] of [
    ['log 500 MB', 'app.log', info.log, 3],
    ['one line 300 MB', 'bundle.min.js', info.oneLine, 4],
  ]) {
    const floors = [];
    const runs = [];
    let report;
    for (let i = 0; i < 3; i++) {
      floors.push(measure(process.execPath, [join(BENCH, 'floor-stream.mjs'), file], { cwd: DIR }));
      const r = measure(process.execPath, [CLI, 'scan', '--format', 'json', file], { cwd: DIR });
      runs.push(r);
      report = JSON.parse(r.stdout);
    }
    const mid = (ms) => [...ms].sort((a, b) => a.wallMs - b.wallMs)[1];
    const floor = mid(floors);
    const kg = mid(runs);
    const peak = Math.max(...runs.map((r) => r.peakMB));
    const at = new Set(report.findings.map((f) => `${f.line}:${f.column}`));
    const placed = seeded.filter((s) => at.has(`${s.line}:${s.column}`)).length;
    row(name, 'node floor (streamed, 1 search)', floor, 'median of 3');
    row(name, 'keyguard scan', { ...kg, peakMB: peak }, `${(kg.wallMs / floor.wallMs).toFixed(2)}x floor; ${placed}/${seeded.length} at their line and column`);
    ok =
      verdict(
        placed === seeded.length && report.findings.length === seeded.length,
        `${name}: every seeded key found once, at its line and column (${placed})`,
      ) && ok;
    ok = verdict(peak < 200, `${name}: peak memory under 200 MB (${peak.toFixed(0)} MB)`) && ok;
    ok = verdict(kg.wallMs <= floor.wallMs * goal, `${name}: within ${goal}x the streamed floor (${(kg.wallMs / floor.wallMs).toFixed(2)}x)`) && ok;
  }
  return { ok };
}
