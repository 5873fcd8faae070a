// `keyguard audit` on a synthetic home: a 300,000-entry zsh history (extended format, multi-line
// entries, metafied bytes), a 100,000-entry bash history (#epoch markers) and a 50,000-row atuin
// database (built with sql.js). Goal: under 3 s, and the same keys as `keyguard scan` on those files.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { corpusKey, rng } from './keys.mjs';
import { CLI, WORK, measure, median, row, verdict } from './lib.mjs';

const VERSION = 2;
const DIR = join(WORK, 'audit');
const HOME = join(DIR, 'home');
const MANIFEST = join(DIR, 'manifest.json');
const ZSH_ENTRIES = 300_000;
const BASH_ENTRIES = 100_000;
const ATUIN_ROWS = 50_000;
const GOAL_MS = 3000;

const WORDS = 'git status ls cd make npm run build test docker compose up kubectl get pods curl grep sed awk cat less vim ssh python node'.split(' ');

function command(next) {
  const n = 2 + Math.floor(next() * 6);
  const w = [];
  for (let i = 0; i < n; i++) w.push(WORDS[Math.floor(next() * WORDS.length)]);
  return w.join(' ');
}

/** Deterministic positions for the planted keys. */
function plantAt(count, total, seed) {
  const next = rng(seed);
  const at = new Set();
  while (at.size < count) at.add(Math.floor(next() * total));
  return at;
}

function buildZsh(file, keys) {
  const next = rng(11);
  const planted = plantAt(24, ZSH_ENTRIES, 12);
  const parts = [];
  let t = 1_600_000_000;
  for (let i = 0; i < ZSH_ENTRIES; i++) {
    t += 1 + Math.floor(next() * 90);
    let cmd = command(next);
    if (i % 50 === 0) cmd += ' \\\n  --flag value \\\n  --other';
    if (i % 97 === 0) cmd += ' \x83\xa2\x83\xa0 → done';
    if (planted.has(i)) {
      const key = corpusKey(keys.length);
      keys.push(key);
      cmd = i % 2 === 0 ? `export OPENAI_API_KEY=${key}` : `curl https://api.openai.com/v1/models \\\n  -H "Authorization: Bearer ${key}"`;
    }
    parts.push(`: ${t}:0;${cmd}\n`);
  }
  writeFileSync(file, Buffer.from(parts.join(''), 'latin1'), { mode: 0o600 });
}

function buildBash(file, keys) {
  const next = rng(21);
  const planted = plantAt(12, BASH_ENTRIES, 22);
  const parts = [];
  let t = 1_650_000_000;
  for (let i = 0; i < BASH_ENTRIES; i++) {
    t += 1 + Math.floor(next() * 120);
    let cmd = command(next);
    if (planted.has(i)) {
      const key = corpusKey(keys.length);
      keys.push(key);
      cmd = `OPENAI_API_KEY=${key} python app.py`;
    }
    parts.push(`#${t}\n${cmd}\n`);
  }
  writeFileSync(file, parts.join(''), { mode: 0o600 });
}

async function buildAtuin(file, keys) {
  const require = createRequire(import.meta.url);
  const initSqlJs = require('sql.js');
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(`CREATE TABLE history (id text primary key, timestamp integer not null, duration integer not null, exit integer not null,
    command text not null, cwd text not null, session text not null, hostname text not null, deleted_at integer,
    unique(timestamp, cwd, command))`);
  const next = rng(31);
  const planted = plantAt(10, ATUIN_ROWS, 32);
  const stmt = db.prepare('INSERT INTO history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  db.run('BEGIN');
  let t = 1_700_000_000n * 1_000_000_000n;
  for (let i = 0; i < ATUIN_ROWS; i++) {
    t += BigInt(1 + Math.floor(next() * 60)) * 1_000_000_000n;
    let cmd = command(next);
    if (planted.has(i)) {
      const key = corpusKey(keys.length);
      keys.push(key);
      cmd = `export OPENAI_API_KEY=${key}`;
    }
    const id = i.toString(16).padStart(32, '0');
    stmt.run([id, Number(t), 1_000_000, 0, cmd, `/home/user/p${i % 40}`, 'session', 'host:user', null]);
  }
  db.run('COMMIT');
  stmt.free();
  writeFileSync(file, Buffer.from(db.export()), { mode: 0o600 });
  db.close();
}

async function build() {
  if (existsSync(MANIFEST) && JSON.parse(readFileSync(MANIFEST, 'utf8')).version === VERSION) return JSON.parse(readFileSync(MANIFEST, 'utf8'));
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(join(HOME, '.local', 'share', 'atuin'), { recursive: true });
  const keys = [];
  buildZsh(join(HOME, '.zsh_history'), keys);
  buildBash(join(HOME, '.bash_history'), keys);
  await buildAtuin(join(HOME, '.local', 'share', 'atuin', 'history.db'), keys);
  const manifest = { version: VERSION, planted: keys.length, zshLines: null };
  writeFileSync(MANIFEST, JSON.stringify(manifest));
  return manifest;
}

/** path:line:fingerprint for every finding, sorted. */
function places(stdout) {
  const doc = JSON.parse(stdout);
  return doc.findings.map((f) => `${basename(f.path)}:${f.line}:${f.fingerprint}`).sort();
}

export async function bench() {
  const manifest = await build();
  const env = { HOME, OPENAI_API_KEY: '', CODEX_API_KEY: '', XDG_CONFIG_HOME: '', XDG_DATA_HOME: '', XDG_STATE_HOME: '', HISTFILE: '' };
  const files = [join(HOME, '.zsh_history'), join(HOME, '.bash_history'), join(HOME, '.local', 'share', 'atuin', 'history.db')];
  const audits = [];
  const scans = [];
  for (let i = 0; i < 3; i++) {
    audits.push(measure(process.execPath, [CLI, 'audit', '--format', 'json'], { cwd: DIR, env }));
    scans.push(measure(process.execPath, [CLI, 'scan', '--format', 'json', ...files], { cwd: DIR, env }));
  }
  const a = audits[audits.length - 1];
  const s = scans[scans.length - 1];
  const aMs = median(audits.map((m) => m.wallMs));
  const sMs = median(scans.map((m) => m.wallMs));
  const aPlaces = a.code === 1 ? places(a.stdout) : [];
  const sPlaces = s.code === 1 ? places(s.stdout) : [];
  const found = new Set(aPlaces.map((p) => p.split(':')[2])).size;
  row('audit (synthetic home)', 'keyguard audit', { ...a, wallMs: aMs }, `${aPlaces.length} findings, exit ${a.code}`);
  row('same files', 'keyguard scan', { ...s, wallMs: sMs }, `${sPlaces.length} findings, exit ${s.code}`);
  const same = aPlaces.length > 0 && JSON.stringify(aPlaces) === JSON.stringify(sPlaces);
  const okTime = verdict(aMs < GOAL_MS, `audit in ${aMs.toFixed(0)} ms (goal < ${GOAL_MS} ms)`);
  const okSame = verdict(same, `audit and scan report the same ${aPlaces.length} findings`);
  const okAll = verdict(found === manifest.planted, `${found} of ${manifest.planted} planted keys found`);
  if (!same) {
    const onlyA = aPlaces.filter((p) => !sPlaces.includes(p));
    const onlyS = sPlaces.filter((p) => !aPlaces.includes(p));
    console.log(`  only in audit: ${onlyA.slice(0, 5).join(' ')}  only in scan: ${onlyS.slice(0, 5).join(' ')}`);
    if (a.code !== 1) console.log(a.stderr.slice(0, 500));
  }
  return { ok: okTime && okSame && okAll };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { ok } = await bench();
  process.exitCode = ok ? 0 : 1;
}
