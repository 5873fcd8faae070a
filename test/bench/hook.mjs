// The pre-commit hook's cost: `keyguard scan --staged` in a repository of thousands of files with 20
// files staged, against bare Node start-up (`node -e 0`) measured in the same run, interleaved so
// that machine load hits both alike. Goal: at most 1.7x Node's own start-up.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, WORK, measure, median, row, verdict } from './lib.mjs';
import { corpusKey, rng } from './keys.mjs';

const REPO = join(WORK, 'hook', 'repo');
const FILES = 3000;
const STAGED = 20;
const RUNS = 21;

const WORDS = [
  'const',
  'value',
  'return',
  'import',
  'export',
  'function',
  'config',
  'request',
  'client',
  'model',
  'token',
  'stream',
  'result',
  'error',
  'await',
];

function gitEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
    GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
  };
}

function git(args, input) {
  const r = spawnSync('git', args, { cwd: REPO, env: gitEnv(), encoding: 'utf8', input: input ?? '', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function line(next) {
  const n = 3 + Math.floor(next() * 8);
  const words = [];
  for (let i = 0; i < n; i++) words.push(WORDS[Math.floor(next() * WORDS.length)]);
  return `  ${words.join(' ')};`;
}

function fileName(i) {
  return join(`pkg${i % 30}`, `mod${Math.floor(i / 30) % 10}`, `file${i}.js`);
}

/** Thousands of committed source-like files (about 2 KB each), built once. */
function buildRepo() {
  if (existsSync(join(REPO, '.git', 'keyguard-bench-ready'))) return;
  rmSync(REPO, { recursive: true, force: true });
  mkdirSync(REPO, { recursive: true });
  git(['init', '-q', '-b', 'main']);
  const next = rng(42);
  for (let i = 0; i < FILES; i++) {
    const path = join(REPO, fileName(i));
    mkdirSync(join(path, '..'), { recursive: true });
    const lines = [];
    for (let l = 0; l < 60; l++) lines.push(line(next));
    writeFileSync(path, `${lines.join('\n')}\n`);
  }
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'corpus']);
  writeFileSync(join(REPO, '.git', 'keyguard-bench-ready'), '');
}

/** The same 20 staged edits every run: a few lines added in the middle and at the end of each file. */
function stage(withKey) {
  git(['reset', '-q', '--hard']);
  const next = rng(7);
  const paths = [];
  for (let s = 0; s < STAGED; s++) {
    const rel = fileName(Math.floor((s * FILES) / STAGED) + 3);
    const extra = [line(next), line(next), line(next)];
    if (withKey && s === STAGED - 1) extra.push(`  const OPENAI_API_KEY = "${corpusKey(3)}";`);
    appendFileSync(join(REPO, rel), `${extra.join('\n')}\n`);
    paths.push(rel);
  }
  git(['add', '--', ...paths]);
}

export async function bench() {
  buildRepo();
  console.log(`repository: ${FILES} files committed, ${STAGED} files staged (${REPO})`);

  stage(true);
  const blocked = measure(process.execPath, [CLI, 'scan', '--staged', '--format', 'json'], { cwd: REPO });
  let found = 0;
  try {
    found = JSON.parse(blocked.stdout).findings.length;
  } catch {
    /* reported below */
  }
  stage(false);

  const nodeRuns = [];
  const kgRuns = [];
  let clean;
  for (let i = 0; i < RUNS; i++) {
    nodeRuns.push(measure(process.execPath, ['-e', '0'], { cwd: REPO }));
    clean = measure(process.execPath, [CLI, 'scan', '--staged'], { cwd: REPO });
    kgRuns.push(clean);
  }
  const nodeMs = median(nodeRuns.map((m) => m.wallMs));
  const kgMs = median(kgRuns.map((m) => m.wallMs));
  const pick = (runs, ms) => runs.find((m) => m.wallMs === ms);
  row('hook 20 staged', 'node -e 0', pick(nodeRuns, nodeMs), `median of ${RUNS}`);
  row('hook 20 staged', 'keyguard scan --staged', pick(kgRuns, kgMs), `median of ${RUNS}, exit ${clean.code}; ${clean.stdout.trim().split('\n').pop()}`);
  row('hook 20 staged', 'keyguard (one key staged)', blocked, `exit ${blocked.code}, ${found} finding(s)`);
  const ratio = kgMs / nodeMs;
  console.log(`keyguard scan --staged / node start-up: ${ratio.toFixed(2)}x`);
  const a = verdict(blocked.code === 1 && found === 1, `the staged key blocks the commit (exit ${blocked.code}, ${found} finding)`);
  const b = verdict(clean.code === 0 && / 20 staged files/.test(clean.stdout), 'the clean change passes and all 20 staged files are scanned');
  const c = verdict(ratio <= 1.7, `keyguard scan --staged at most 1.7x node start-up (${ratio.toFixed(2)}x: ${kgMs.toFixed(0)} ms vs ${nodeMs.toFixed(0)} ms)`);
  return { ok: a && b && c };
}
