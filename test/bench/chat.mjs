// `keyguard scan` on a ChatGPT export larger than anything to be read whole: a deterministic
// synthetic conversations.json of 300+ MB (thousands of conversations, edited-away branches, hidden
// system messages, code blocks holding JSON) with seeded keys in message text, metadata, titles,
// JSON inside strings and on branches the app no longer shows. Goal: every key found and named by
// its conversation and message, under 10 s and 500 MB peak, for the file and for the zip around it.
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusKey, rng } from './keys.mjs';
import { CLI, WORK, have, measure, median, row, verdict } from './lib.mjs';

const VERSION = 1;
const DIR = join(WORK, 'chat');
const FILE = join(DIR, 'conversations.json');
const ZIP = join(DIR, 'export.zip');
const MANIFEST = join(DIR, 'manifest.json');
const TARGET = 320 * 1024 * 1024;
const KEY_EVERY = 25;
const MARKER = ['T3Bl', 'bkFJ'].join('');

const WORDS = (
  'the a to of and in is it you that for on with as this was are be at or have from but not by can all your ' +
  'error key token request response api model function deploy config server client build test fix why does 401 ' +
  'café naïve über 日本語 テスト 😀 — “quoted” '
)
  .split(' ')
  .filter(Boolean);

function fingerprintOf(secret) {
  return createHash('sha256').update('keyguard:v1:').update(secret).digest('hex').slice(0, 16);
}

function hex(next, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(next() * 16)];
  return s;
}

function uuid(next) {
  return `${hex(next, 8)}-${hex(next, 4)}-4${hex(next, 3)}-a${hex(next, 3)}-${hex(next, 12)}`;
}

function prose(next, bytes) {
  let s = '';
  while (s.length < bytes) {
    s += WORDS[Math.floor(next() * WORDS.length)];
    s += next() < 0.08 ? '\n' : ' ';
  }
  if (next() < 0.2) s += '\n```js\nconst x = "a \\"quoted\\" string";\nconsole.log(x)\n```\n';
  return s;
}

function message(next, id, role, time, text, extra = {}) {
  return {
    id,
    author: { role, name: null, metadata: {} },
    create_time: time,
    update_time: null,
    content: { content_type: 'text', parts: [text] },
    status: 'finished_successfully',
    end_turn: role === 'assistant' ? true : null,
    weight: 1.0,
    metadata: { model_slug: 'gpt-4o', request_id: hex(next, 16), timestamp_: 'absolute', ...extra },
    recipient: 'all',
    channel: null,
  };
}

/** One conversation; a key, when given, goes into the place `slot` picks. */
function conversation(next, index, key) {
  const id = uuid(next);
  const mapping = {};
  let time = 1_690_000_000 + index * 977.25;
  const add = (nodeId, msg, parent) => {
    mapping[nodeId] = { id: nodeId, message: msg, parent, children: [] };
    if (parent) mapping[parent].children.push(nodeId);
  };
  add('client-created-root', null, null);
  const sys = uuid(next);
  add(sys, message(next, sys, 'system', null, '', { is_visually_hidden_from_conversation: true }), 'client-created-root');
  let parent = sys;
  const turns = 6 + Math.floor(next() * 18);
  const branchPoints = [];
  for (let t = 0; t < turns; t++) {
    const role = t % 2 === 0 ? 'user' : 'assistant';
    const nodeId = uuid(next);
    add(nodeId, message(next, nodeId, role, (time += 31.5), prose(next, role === 'user' ? 200 + next() * 800 : 800 + next() * 3500)), parent);
    if (role === 'user' && next() < 0.3) branchPoints.push(parent);
    parent = nodeId;
  }
  const current = parent;
  // edited-away branches: a sibling user message with its own answer
  for (const at of branchPoints) {
    const u = uuid(next);
    add(u, message(next, u, 'user', (time += 12.25), prose(next, 300)), at);
    const a = uuid(next);
    add(a, message(next, a, 'assistant', (time += 12.25), prose(next, 1200)), u);
  }
  const conv = { title: `Conversation ${index}: ${prose(next, 20).trim()}`, create_time: 1_690_000_000 + index * 977.25, update_time: time, mapping };
  let expected;
  if (key) {
    const nodes = Object.keys(mapping).filter((n) => mapping[n].message);
    const slot = Math.floor(next() * 10);
    if (slot === 0) {
      conv.title = `keys ${key}`;
      expected = { node: undefined, field: 'title' };
    } else {
      const offBranch = nodes.filter((n) => !onPath(mapping, current, n) && mapping[n].message.author.role === 'user');
      const pool = slot <= 2 && offBranch.length > 0 ? offBranch : nodes.filter((n) => n !== sys);
      const node = pool[Math.floor(next() * pool.length)];
      const msg = mapping[node].message;
      if (slot === 3) {
        msg.metadata.user_context_message_data = { about_user_message: `I deploy with OPENAI_API_KEY=${key}` };
        expected = { node, field: 'metadata.user_context_message_data.about_user_message' };
      } else if (slot === 4) {
        msg.content = { content_type: 'code', language: 'json', text: JSON.stringify({ cmd: ['bash', '-lc', `export OPENAI_API_KEY=${key}`] }) };
        expected = { node, field: 'content.text → (JSON in string) cmd[2]' };
      } else {
        msg.content.parts[0] = `${msg.content.parts[0].slice(0, 300)}\nhere is my .env\nOPENAI_API_KEY=${key}\n${msg.content.parts[0].slice(300)}`;
        expected = { node, field: 'content.parts[0]' };
      }
      expected.branch = onPath(mapping, current, node) ? 'visible' : 'edited-away';
    }
    expected.conversation = id;
  }
  Object.assign(conv, {
    moderation_results: [],
    current_node: current,
    plugin_ids: null,
    conversation_id: id,
    conversation_template_id: null,
    gizmo_id: null,
    is_archived: false,
    safe_urls: [],
    default_model_slug: 'gpt-4o',
    id,
  });
  return { json: JSON.stringify(conv), expected };
}

function onPath(mapping, leaf, node) {
  for (let cur = leaf; cur; cur = mapping[cur]?.parent) if (cur === node) return true;
  return false;
}

function buildCorpus() {
  if (existsSync(MANIFEST)) {
    const m = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    if (m.version === VERSION && existsSync(FILE)) return m;
  }
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const next = rng(60606);
  const fd = openSync(FILE, 'w');
  const expected = [];
  let written = 0;
  let pending = ['['];
  let pendingBytes = 1;
  let i = 0;
  for (; written + pendingBytes < TARGET; i++) {
    const key = i % KEY_EVERY === 7 ? corpusKey(expected.length) : undefined;
    const { json, expected: e } = conversation(next, i, key);
    if (e) expected.push({ ...e, fingerprint: fingerprintOf(key) });
    pending.push(i === 0 ? json : `, ${json}`);
    pendingBytes += json.length + 2;
    if (pendingBytes > 8 << 20) {
      const buf = Buffer.from(pending.join(''));
      writeSync(fd, buf);
      written += buf.length;
      pending = [];
      pendingBytes = 0;
    }
  }
  pending.push(']');
  writeSync(fd, Buffer.from(pending.join('')));
  closeSync(fd);
  const manifest = { version: VERSION, conversations: i, expected };
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function buildZip() {
  if (existsSync(ZIP) && statSync(ZIP).mtimeMs >= statSync(FILE).mtimeMs) return true;
  if (!have('zip')) return false;
  rmSync(ZIP, { force: true });
  return measure('zip', ['-q', '-1', '-j', ZIP, FILE], { cwd: DIR }).code === 0;
}

function check(run, manifest, label) {
  let found = [];
  try {
    found = JSON.parse(run.stdout).findings;
  } catch {
    console.log(`${label}: output was not JSON (exit ${run.code}): ${run.stderr.slice(0, 500)}`);
  }
  const problems = [];
  for (const e of manifest.expected) {
    const f = found.find((x) => x.fingerprint === e.fingerprint);
    if (!f) {
      problems.push(`missing key in conversation ${e.conversation} (${e.field})`);
      continue;
    }
    const d = f.details ?? {};
    if (!String(d.conversation ?? '').includes(e.conversation)) problems.push(`${e.fingerprint}: conversation ${d.conversation} is not ${e.conversation}`);
    if (e.node !== undefined && d.node !== e.node) problems.push(`${e.fingerprint}: node ${d.node} is not ${e.node}`);
    if (e.node !== undefined && !String(d.message ?? '').startsWith('#')) problems.push(`${e.fingerprint}: message not named (${d.message})`);
    if (e.node !== undefined && !String(d.branch ?? '').startsWith(e.branch)) problems.push(`${e.fingerprint}: branch ${d.branch} is not ${e.branch}`);
    if (d.field !== e.field) problems.push(`${e.fingerprint}: field ${d.field} is not ${e.field}`);
  }
  for (const p of problems.slice(0, 10)) console.log(`${label}: ${p}`);
  return { problems, found };
}

export async function bench() {
  console.log('\n## chat: keyguard scan on a synthetic ChatGPT export');
  const manifest = buildCorpus();
  const bytes = statSync(FILE).size;
  const offBranch = manifest.expected.filter((e) => e.branch === 'edited-away').length;
  console.log(
    `corpus: ${manifest.conversations} conversations, ${(bytes / 1048576).toFixed(0)} MB, ${manifest.expected.length} seeded keys (${offBranch} on edited-away branches)`,
  );
  const env = { HOME: DIR, OPENAI_API_KEY: '' };

  if (have('rg')) {
    const floor = measure('rg', ['-c', MARKER, FILE], { env });
    row('chat', `rg -c (floor, no locations)`, floor);
  }
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(measure(process.execPath, [CLI, 'scan', '--format', 'json', '--no-baseline', FILE], { cwd: DIR, env }));
  const ms = median(runs.map((r) => r.wallMs));
  const peak = Math.max(...runs.map((r) => r.peakMB));
  row('chat', 'keyguard scan conversations.json', { wallMs: ms, peakMB: peak });
  const plain = check(runs[runs.length - 1], manifest, 'conversations.json');

  const ok = [
    verdict(
      bytes >= 300 * 1048576 && manifest.conversations >= 1000,
      `corpus is at least 300 MB and 1,000 conversations (${(bytes / 1048576).toFixed(0)} MB, ${manifest.conversations})`,
    ),
    verdict(plain.problems.length === 0, `all ${manifest.expected.length} seeded keys found with their conversation, message, field and branch`),
    verdict(plain.found.length === manifest.expected.length, `each reported once (${plain.found.length} findings)`),
    verdict(ms < 10_000, `under 10 s (${(ms / 1000).toFixed(2)} s)`),
    verdict(peak < 500, `peak memory under 500 MB (${peak.toFixed(0)} MB)`),
  ];
  if (buildZip()) {
    const zipRun = measure(process.execPath, [CLI, 'scan', '--format', 'json', '--no-baseline', ZIP], { cwd: DIR, env });
    row('chat', 'keyguard scan export.zip', zipRun);
    const z = check(zipRun, manifest, 'export.zip');
    ok.push(
      verdict(z.problems.length === 0 && z.found.length === manifest.expected.length, `zip member streamed: all keys named (${z.found.length} findings)`),
    );
    ok.push(
      verdict(
        zipRun.wallMs < 10_000 && zipRun.peakMB < 500,
        `zip under 10 s and 500 MB (${(zipRun.wallMs / 1000).toFixed(2)} s, ${zipRun.peakMB.toFixed(0)} MB)`,
      ),
    );
    // --fix writes a redacted copy beside the export: in a folder of its own, so the corpus stays as it is
    const fixDir = mkdtempSync(join(tmpdir(), 'keyguard-bench-fix-'));
    try {
      copyFileSync(ZIP, join(fixDir, 'export.zip'));
      const fixRun = measure(process.execPath, [CLI, 'scan', '--fix', '--no-baseline', 'export.zip'], { cwd: fixDir, env });
      row('chat', 'keyguard scan --fix export.zip', fixRun, 'writes export.redacted.zip');
      const again = measure(process.execPath, [CLI, 'scan', '--format', 'json', '--no-baseline', 'export.redacted.zip'], { cwd: fixDir, env });
      const left = JSON.parse(again.stdout).findings.length;
      ok.push(verdict(left === 0, `the redacted copy holds none of the keys (${left} found in it)`));
      ok.push(
        verdict(
          fixRun.wallMs < 20_000 && fixRun.peakMB < 500,
          `--fix of the zip under 20 s and 500 MB (${(fixRun.wallMs / 1000).toFixed(2)} s, ${fixRun.peakMB.toFixed(0)} MB)`,
        ),
      );
    } finally {
      rmSync(fixDir, { recursive: true, force: true });
    }
  } else {
    console.log('no `zip` command: the zip case is skipped');
  }
  return { ok: ok.every(Boolean) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { ok } = await bench();
  process.exitCode = ok ? 0 : 1;
}
