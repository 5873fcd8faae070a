// The build's last step: run the bundle on a small made-up tree, a staged file and a home with a
// profile, then keep V8's code cache of everything those runs compiled (src/code-cache.cts). A
// scan then starts with its functions compiled, not just the ones V8 compiles up front: on a 77 MB
// tree, set-up and the first files took some 15 ms less. Best effort: if a run fails, the cache
// holds what was compiled so far, and the build goes on (a cold cache is slower, never wrong).
//
// node test/tools/warm-code-cache.cjs dist/bundle/run.js
'use strict';
const { execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const bundle = path.resolve(process.argv[2] ?? 'dist/bundle/run.js');
const codeCache = require(path.join(path.dirname(bundle), '..', 'code-cache.cjs'));

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** A fresh made-up project key each build (never a literal: keyguard scans its own repository). */
function madeUpKey() {
  const half = (n) => [...randomBytes(n)].map((b) => B64URL[b & 63]).join('');
  return `sk-proj-${half(74)}${['T3Bl', 'bkFJ'].join('')}${half(73)}A`;
}

function write(file, text) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** A tree like a small project: code, docs, JSON, a binary, and keys as they leak (plain, in JSON, escaped, base64, split). */
function makeTree(dir) {
  const key = madeUpKey();
  for (let i = 0; i < 30; i++) write(path.join(dir, `src/mod${i}.js`), `// module ${i}\nexport const value${i} = ${i};\n`.repeat(20));
  write(path.join(dir, 'README.md'), '# A project\n\nNothing to see.\n');
  write(path.join(dir, 'package.json'), JSON.stringify({ name: 'warm', version: '1.0.0' }, null, 2));
  write(path.join(dir, 'data.bin'), Buffer.from([0, 1, 2, 3, 0, 255]));
  write(path.join(dir, '.env'), `OPENAI_API_KEY=${key}\n`);
  write(path.join(dir, 'config/settings.json'), JSON.stringify({ openai: { apiKey: madeUpKey() } }, null, 2));
  write(path.join(dir, 'notes/escaped.txt'), `curl -d "{\\"key\\": \\"${madeUpKey().replace(/-/g, '\\u002d')}\\"}"\n`);
  write(path.join(dir, 'notes/b64.txt'), `token: ${Buffer.from(`key=${madeUpKey()}`).toString('base64')}\n`);
  const split = madeUpKey();
  write(path.join(dir, 'notes/split.py'), `key = (\n    "${split.slice(0, 60)}"\n    "${split.slice(60)}"\n)\n`);
}

function makeHome(dir) {
  write(path.join(dir, '.profile'), `. "$HOME/.bashrc"\nexport PATH="$HOME/bin:$PATH"\n`);
  write(path.join(dir, '.bashrc'), `alias ll='ls -l'\nexport OPENAI_API_KEY="${madeUpKey()}"\n`);
}

/** A repository with one staged file holding a key (no commit needed: the hook runs before the first one too). */
function makeRepo(dir, env) {
  write(path.join(dir, 'app.py'), `client = OpenAI(api_key="${madeUpKey()}")\n`);
  const git = (...args) => execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], { cwd: dir, env, stdio: 'ignore' });
  git('init', '-q');
  git('add', 'app.py');
}

/** A run that has not ended by then is given up on: the build must not hang on its warm-up. */
const RUN_LIMIT_MS = 60_000;

/** Run the bundle once, as `keyguard ...args` in `cwd`, and wait for its exit code (undefined: it did not end). */
async function run(script, cwd, args) {
  process.chdir(cwd);
  process.argv = [process.execPath, bundle, ...args];
  process.exitCode = undefined;
  codeCache.runScript(script, bundle);
  const deadline = Date.now() + RUN_LIMIT_MS;
  while (process.exitCode === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  const code = process.exitCode;
  process.exitCode = undefined;
  return code;
}

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'kg-warm-'));
  const home = path.join(work, 'home');
  const env = { PATH: process.env.PATH ?? '', HOME: home, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };
  const before = { ...process.env };
  const startedIn = process.cwd();
  const out = { stdout: process.stdout.write, stderr: process.stderr.write };
  const problems = [];
  const script = codeCache.compileFresh(bundle);
  try {
    makeTree(path.join(work, 'tree'));
    makeHome(home);
    for (const k of Object.keys(process.env)) delete process.env[k];
    Object.assign(process.env, env);
    // (the runs' reports are not wanted; each run's exit code says whether it went as it should)
    process.stdout.write = process.stderr.write = () => true;
    const runs = [
      [path.join(work, 'tree'), ['scan', '.']],
      [path.join(work, 'tree'), ['scan', '--format', 'json', '.']],
    ];
    try {
      makeRepo(path.join(work, 'repo'), process.env);
      runs.push([path.join(work, 'repo'), ['scan', '--staged']]);
    } catch (err) {
      problems.push(`no staged run (git: ${err.message.split('\n')[0]})`);
    }
    for (const [cwd, args] of runs) {
      const code = await run(script, cwd, args);
      // each run finds keys: 1 is the expected exit code
      if (code !== 1) problems.push(`keyguard ${args.join(' ')} exited ${code}`);
    }
  } catch (err) {
    problems.push(err.message);
  } finally {
    process.stdout.write = out.stdout;
    process.stderr.write = out.stderr;
    for (const k of Object.keys(process.env)) delete process.env[k];
    Object.assign(process.env, before);
    process.chdir(startedIn);
    rmSync(work, { recursive: true, force: true });
  }
  codeCache.writeCodeCache(bundle, script);
  for (const p of problems) console.error(`warm-code-cache: ${p} (the cache holds what ran)`);
}

main().then(
  // (a run given up on may still hold the event loop open)
  () => process.exit(0),
  (err) => {
    // a cache V8 compiled up front is still a cache
    console.error(`warm-code-cache: ${err.message}; writing the plain cache`);
    codeCache.writeCodeCache(bundle);
    process.exit(0);
  },
);
