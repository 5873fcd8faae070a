// `keyguard scan --history` against the floor of just producing the patches.
//
// The corpus is a deterministic synthetic repository written with `git fast-import`: a long main line
// with feature branches merged back, a remote-tracking ref, a tag on a side line, and seeded fake keys
// in the places history scanners get wrong (removed later, carried through a merge, renamed, in a
// commit message, in a merge resolution, base64-encoded, only reachable from a tag). Like real
// repositories it has thousands of refs (tags, pull-request refs, remote branches) and tens of keys, a
// few of them introduced twice: exposure (which refs hold each key) must not cost a git process per
// finding. It is rebuilt only when the generator version changes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fingerprint } from '../../dist/engine/fingerprint.js';
import { randomString, rng } from '../helpers/seeded.mjs';
import { CLI, WORK, measure, median, row, verdict } from './lib.mjs';

const VERSION = 5;
const DIR = join(WORK, 'history');
const REPO = join(DIR, 'corpus.git');
const MANIFEST = join(DIR, 'manifest.json');

const COMMITS = 6000;
const FILES = 240;
const LINES_PER_FILE = 160;
const FEATURE_EVERY = 400;
const FEATURE_LENGTH = 12;
/** refs like a busy hosting mirror: a tag every 3 commits, a pull-request ref every 10, a remote branch every 20 */
const TAG_EVERY = 3;
const PULL_EVERY = 10;
const REMOTE_EVERY = 20;
/** more keys, each in a file of its own: half removed later, every fifth added again elsewhere */
const SPREAD_KEYS = 30;

// Seeded fake keys, built here (the marker assembled from parts) so no key-shaped literal is stored.
const MARKER = ['T3Bl', 'bkFJ'].join('');
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const WORDS = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega'.split(' ');

function pick(next, alphabet, n) {
  return randomString(next, n, alphabet);
}

function fakeProjectKey(next) {
  return `sk-proj-${pick(next, B64URL, 74)}${MARKER}${pick(next, B64URL, 73)}A`;
}

function line(next) {
  const n = 6 + Math.floor(next() * 6);
  let s = '';
  for (let i = 0; i < n; i++) s += `${WORDS[Math.floor(next() * WORDS.length)]} `;
  return `${s}${Math.floor(next() * 1e9).toString(36)}`;
}

/** The generator: returns the fast-import stream and what a correct scan must report. */
function generate() {
  const next = rng(20240917);
  const keys = Array.from({ length: 8 }, () => fakeProjectKey(next));
  const expected = [];
  // commit index -> extra changes, for the spread keys
  const planned = new Map();
  const plan = (i, change) => planned.set(i, [...(planned.get(i) ?? []), change]);
  for (let k = 0; k < SPREAD_KEYS; k++) {
    const key = fakeProjectKey(next);
    const at = 101 + k * 190;
    const removed = k % 2 === 0;
    const again = k % 5 === 0;
    plan(at, { path: `keys/k${k}.env`, content: `OPENAI_API_KEY=${key}\n` });
    if (removed) plan(at + 51, { path: `keys/k${k}.env`, delete: true });
    if (again) plan(at + 97, { path: `keys/again/k${k}.env`, content: `export OPENAI_API_KEY=${key}\n` });
    const atHead = !removed || again;
    expected.push({ case: `spread key ${k}`, fingerprint: fingerprint(key), atHead });
    if (again) expected.push({ case: `spread key ${k}, added again`, fingerprint: fingerprint(key), atHead });
  }
  const chunks = [];
  let mark = 0;
  let time = 1_600_000_000;
  const emit = (s) => chunks.push(s);
  const data = (s) => `data ${Buffer.byteLength(s)}\n${s}\n`;

  const files = new Map();
  for (let f = 0; f < FILES; f++)
    files.set(
      `src/mod${f % 24}/file${f}.txt`,
      Array.from({ length: LINES_PER_FILE }, () => line(next)),
    );
  const paths = [...files.keys()];

  const commit = (ref, message, changes, opts = {}) => {
    mark++;
    time += 60;
    emit(`commit ${ref}\nmark :${mark}\nauthor Dev ${mark % 7} <dev${mark % 7}@example.com> ${time} +0000\ncommitter Dev <dev@example.com> ${time} +0000\n`);
    emit(data(message));
    if (opts.from) emit(`from :${opts.from}\n`);
    if (opts.merge) emit(`merge :${opts.merge}\n`);
    for (const c of changes) {
      if (c.delete) emit(`D ${c.path}\n`);
      else if (c.rename) emit(`R ${c.rename} ${c.path}\n`);
      else emit(`M 100644 inline ${c.path}\n${data(c.content)}`);
    }
    emit('\n');
    return mark;
  };
  const touch = (state, path, n) => {
    const lines = state.get(path);
    for (let i = 0; i < n; i++) {
      const k = Math.floor(next() * lines.length);
      if (!lines[k].includes(MARKER)) lines[k] = line(next);
    }
    return { path, content: `${lines.join('\n')}\n` };
  };
  const snapshot = () => new Map([...files].map(([p, l]) => [p, [...l]]));

  // The first commit holds the whole tree.
  let head = commit(
    'refs/heads/main',
    'initial import\n',
    paths.map((p) => ({ path: p, content: `${files.get(p).join('\n')}\n` })),
  );
  let removeKeyAt = -1;
  for (let i = 1; i < COMMITS; i++) {
    const changes = [];
    const a = paths[Math.floor(next() * paths.length)];
    const b = paths[Math.floor(next() * paths.length)];
    changes.push(touch(files, a, 12));
    if (b !== a) changes.push(touch(files, b, 12));
    let message = `change ${i}: ${line(next)}\n`;
    if (i === 150) {
      // removed again 300 commits later: in history, not at HEAD
      const lines = files.get('src/mod1/file1.txt');
      lines[40] = `OPENAI_API_KEY=${keys[0]}`;
      changes.push({ path: 'src/mod1/file1.txt', content: `${lines.join('\n')}\n` });
      expected.push({ case: 'removed later', fingerprint: fingerprint(keys[0]), atHead: false });
      removeKeyAt = i + 300;
    }
    if (i === removeKeyAt) {
      const lines = files.get('src/mod1/file1.txt');
      lines[40] = line(next);
      changes.push({ path: 'src/mod1/file1.txt', content: `${lines.join('\n')}\n` });
    }
    if (i === 2100) {
      changes.push({ path: 'config/settings.py', content: `# settings\nOPENAI_KEY = "${keys[1]}"\n` });
      expected.push({ case: 'still at HEAD', fingerprint: fingerprint(keys[1]), atHead: true });
    }
    if (i === 2400) {
      changes.push({ path: 'config/moved/settings.py', rename: 'config/settings.py' });
    }
    if (i === 3000) {
      message = `debug: try with ${keys[3]}\n`;
      expected.push({ case: 'commit message', fingerprint: fingerprint(keys[3]), atHead: false });
    }
    if (i === 3500) {
      const yaml = `apiVersion: v1\nkind: Secret\ndata:\n  OPENAI_API_KEY: ${Buffer.from(keys[4]).toString('base64')}\n`;
      changes.push({ path: 'deploy/secret.yaml', content: yaml });
      expected.push({ case: 'base64 in a Kubernetes secret', fingerprint: fingerprint(keys[4]), atHead: true });
    }
    if (i === 4200) changes.push({ path: 'deploy/secret.yaml', delete: true });
    if (i === 4200) expected.find((e) => e.case.startsWith('base64')).atHead = false;
    changes.push(...(planned.get(i) ?? []));
    head = commit('refs/heads/main', message, changes, { from: head });
    if (i % TAG_EVERY === 0) emit(`reset refs/tags/r${i}\nfrom :${head}\n\n`);
    if (i % PULL_EVERY === 0) emit(`reset refs/pull/${i}/head\nfrom :${head}\n\n`);
    if (i % REMOTE_EVERY === 0) emit(`reset refs/remotes/origin/topic-${i}\nfrom :${head}\n\n`);

    if (i % FEATURE_EVERY === 0) {
      // A feature branch on the files main does not touch meanwhile, merged back cleanly.
      const feature = snapshot();
      const base = head;
      let tip = base;
      const touched = new Set();
      for (let j = 0; j < FEATURE_LENGTH; j++) {
        const p = `feature/f${i}/part${j % 3}.txt`;
        if (!feature.has(p))
          feature.set(
            p,
            Array.from({ length: 40 }, () => line(next)),
          );
        const ch = [touch(feature, p, 8)];
        if (i === 800 && j === 5) {
          const l = feature.get(p);
          l[3] = `key: ${keys[2]}`;
          ch[0] = { path: p, content: `${l.join('\n')}\n` };
          expected.push({ case: 'carried through a merge', fingerprint: fingerprint(keys[2]), atHead: true });
        }
        touched.add(p);
        tip = commit(`refs/heads/feature-${i}`, `feature ${i} step ${j}\n`, ch, { from: tip });
      }
      for (const p of touched) files.set(p, [...feature.get(p)]);
      const mergeChanges = [...touched].map((p) => ({ path: p, content: `${files.get(p).join('\n')}\n` }));
      if (i === 1600) {
        // an evil merge: the resolution adds a line neither parent has
        const l = files.get('src/mod2/file2.txt');
        l[10] = `token=${keys[5]}`;
        mergeChanges.push({ path: 'src/mod2/file2.txt', content: `${l.join('\n')}\n` });
        expected.push({ case: 'added by a merge resolution', fingerprint: fingerprint(keys[5]), atHead: true });
      }
      head = commit('refs/heads/main', `Merge branch 'feature-${i}'\n`, mergeChanges, { from: head, merge: tip });
    }
    if (i === 5000) emit(`reset refs/remotes/origin/main\nfrom :${head}\n\n`);
  }
  // A side line only a tag points at, holding a key.
  commit('refs/tags/experiment-1', 'experiment\n', [{ path: 'experiment.env', content: `OPENAI_API_KEY=${keys[6]}\n` }], { from: 40 });
  expected.push({ case: 'only reachable from a tag', fingerprint: fingerprint(keys[6]), atHead: false });
  return { stream: chunks.join(''), expected };
}

export function buildCorpus() {
  if (existsSync(MANIFEST)) {
    const m = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    if (m.version === VERSION && existsSync(REPO)) return m;
  }
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const { stream, expected } = generate();
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  const run = (args, input) => {
    const r = spawnSync('git', args, { cwd: DIR, env, input, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  run(['init', '-q', '--bare', '-b', 'main', REPO]);
  spawnSync('git', ['--git-dir', REPO, 'fast-import', '--quiet'], { input: stream, env, maxBuffer: 1 << 30, stdio: ['pipe', 'ignore', 'inherit'] });
  run(['--git-dir', REPO, 'repack', '-adq']);
  const manifest = { version: VERSION, expected };
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** The floor runs the very git command keyguard streams (same flags), so the ratio is keyguard's own cost. */
const FLOOR_GIT =
  "-c core.quotePath=false -c diff.noprefix=false -c diff.mnemonicPrefix=false -c diff.interHunkContext=0 -c diff.renames=true -c diff.submodule=short -c log.showRoot=true -c log.showSignature=false log -p -U0 --cc -M --full-history --no-color --no-ext-diff --no-textconv --no-relative --src-prefix=a/ --dst-prefix=b/ '--format=%x00%x01%H%x00%P%x00%an <%ae>%x00%aI%x00%B%x00' --all";
/** What most scanners run (gitleaks: no merge diffs), for comparison only. */
const PLAIN_GIT = 'log -p -U0 --all --full-history --no-color --no-ext-diff';
const NEEDLES = [MARKER, 'sess-', 'VDNCbGJr', 'Qmxia0ZK', 'M0JsYmtG'].join('|');

const RUNS = 5;

function stats(ms) {
  return { wallMs: median(ms.map((m) => m.wallMs)), minMs: Math.min(...ms.map((m) => m.wallMs)), peakMB: median(ms.map((m) => m.peakMB)) };
}

export async function bench() {
  console.log('\n## history: keyguard scan --history vs. git log -p | grep');
  const manifest = buildCorpus();
  const env = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: DIR, OPENAI_API_KEY: '' };
  const size = measure('sh', ['-c', `git ${FLOOR_GIT} | wc -c`], { cwd: REPO, env });
  const patchBytes = Number(size.stdout.trim());
  const commits = Number(measure('git', ['rev-list', '--count', '--all'], { cwd: REPO, env }).stdout.trim());
  const refs = measure('git', ['for-each-ref', '--format=x'], { cwd: REPO, env }).stdout.split('\n').length - 1;
  console.log(
    `corpus: ${commits} commits, ${refs} refs, ${(patchBytes / 1048576).toFixed(1)} MB of patches, ${manifest.expected.length} seeded keys (${new Set(manifest.expected.map((e) => e.fingerprint)).size} distinct); ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}`,
  );

  const runs = { floor: [], plain: [], pickaxe: [], ours: [], single: [] };
  let auto;
  let single;
  // interleaved, so a burst of load elsewhere hits every contender alike
  for (let i = 0; i < RUNS; i++) {
    runs.floor.push(measure('sh', ['-c', `git ${FLOOR_GIT} | grep -c ${MARKER}`], { cwd: REPO, env }));
    auto = measure(process.execPath, [CLI, 'scan', '--history', '--format', 'json', '--no-baseline'], { cwd: REPO, env });
    runs.ours.push(auto);
    single = measure(process.execPath, [CLI, 'scan', '--history', '--format', 'json', '--no-baseline'], {
      cwd: REPO,
      env: { ...env, KEYGUARD_HISTORY_JOBS: '1' },
    });
    runs.single.push(single);
    if (i < 3) {
      runs.plain.push(measure('sh', ['-c', `git ${PLAIN_GIT} | grep -c ${MARKER}`], { cwd: REPO, env }));
      runs.pickaxe.push(measure('git', ['log', `-G${NEEDLES}`, '--all', '--cc', '--format=%H'], { cwd: REPO, env }));
    }
  }
  const floor = stats(runs.floor);
  const ours = stats(runs.ours);
  const one = stats(runs.single);
  const extra = (m) => `${(m.wallMs / floor.wallMs).toFixed(2)}x floor (best ${m.minMs.toFixed(0)} ms)`;
  row('history', 'git log -p | grep (floor)', floor, `best ${floor.minMs.toFixed(0)} ms`);
  row('history', 'git log -p, no merges | grep', stats(runs.plain), extra(stats(runs.plain)));
  row('history', 'git log -G needles (prefilter)', stats(runs.pickaxe), extra(stats(runs.pickaxe)));
  row('history', 'keyguard scan --history', ours, extra(ours));
  row('history', 'keyguard, one git process', one, extra(one));

  const parse = (m) => {
    try {
      return JSON.parse(m.stdout).findings;
    } catch {
      console.log(`keyguard output was not JSON (exit ${m.code}): ${m.stderr.slice(0, 500)}`);
      return [];
    }
  };
  const found = parse(auto);
  const foundSingle = parse(single);
  const missing = manifest.expected.filter((e) => !found.some((f) => f.fingerprint === e.fingerprint));
  for (const m of missing) console.log(`missing: ${m.case}`);
  const wrongHead = manifest.expected.filter((e) => found.some((f) => f.fingerprint === e.fingerprint && f.commit?.exposure?.atHead !== e.atHead));
  for (const m of wrongHead) console.log(`wrong atHead: ${m.case}`);
  // the refs of each finding, against git's own answer (one process per commit: fine outside the timing)
  const truth = new Map();
  const wrongRefs = found.filter((f) => {
    const sha = f.commit?.sha;
    if (!sha) return true;
    if (!truth.has(sha)) {
      const all = measure('git', ['for-each-ref', '--format=%(refname)', '--contains', sha], { cwd: REPO, env }).stdout.split('\n');
      const pick = (prefix) =>
        all
          .filter((r) => r.startsWith(prefix) && !r.endsWith('/HEAD'))
          .map((r) => r.slice(prefix.length))
          .sort();
      truth.set(sha, { branches: pick('refs/heads/'), tags: pick('refs/tags/'), remoteRefs: pick('refs/remotes/') });
    }
    const want = truth.get(sha);
    const got = f.commit.exposure ?? {};
    const same = (k) => JSON.stringify([...(got[k] ?? [])].sort()) === JSON.stringify(want[k]);
    return !(same('branches') && same('tags') && same('remoteRefs'));
  });
  for (const f of wrongRefs.slice(0, 5)) console.log(`wrong refs: ${f.commit?.sha} ${f.path}`);
  const ok = [
    verdict(
      commits >= 5000 && refs >= 2000 && patchBytes >= 20 * 1048576,
      `corpus is at least 5,000 commits, 2,000 refs and 20 MB of patches (${commits}, ${refs}, ${(patchBytes / 1048576).toFixed(1)} MB)`,
    ),
    verdict(missing.length === 0, `all ${manifest.expected.length} seeded keys found`),
    verdict(found.length === manifest.expected.length, `each reported once per introducing commit (${found.length} findings)`),
    verdict(wrongHead.length === 0, 'at-HEAD exposure right for every key'),
    verdict(wrongRefs.length === 0, `every ref that holds each key named (as git for-each-ref --contains; ${wrongRefs.length} wrong)`),
    verdict(JSON.stringify(found) === JSON.stringify(foundSingle), 'one git process and several give the same findings'),
    verdict(ours.wallMs <= floor.wallMs * 1.3, `at most 1.3x the floor (median ${(ours.wallMs / floor.wallMs).toFixed(2)}x)`),
  ].every(Boolean);
  return { ok };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { ok } = await bench();
  process.exitCode = ok ? 0 : 1;
}
