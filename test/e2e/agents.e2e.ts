// `npm run e2e`: the agent guards with the real agents. Codex CLI and Claude Code, pinned, from npm,
// run offline against a loopback mock of their model APIs (reference/prevention.md A5); keyguard's
// hooks are put in place by `keyguard install --codex|--claude-code` itself. Not part of `npm test`:
// the two CLIs take ~800 MB installed (cached in node_modules/.cache/keyguard-e2e).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactionMarker } from '../../src/fix/redact-bytes.js';
import { keyFor } from '../helpers/keys.js';
import { CLI, PROJECT_ROOT, tempDir } from '../helpers/tmp.js';

const CODEX_VERSION = '0.171.0';
const CLAUDE_VERSION = '2.1.332';
const CACHE = join(PROJECT_ROOT, 'node_modules', '.cache', 'keyguard-e2e');
const BIN = join(CACHE, 'node_modules', '.bin');

function installedVersion(pkg: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(CACHE, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** The pinned CLIs, installed once into the cache; a copy of the build, so a rebuild meanwhile cannot pull it away. */
function prepare(): string {
  if (installedVersion('@openai/codex') !== CODEX_VERSION || installedVersion('@anthropic-ai/claude-code') !== CLAUDE_VERSION) {
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(join(CACHE, 'package.json'), '{"private":true}\n');
    const packages = [`@openai/codex@${CODEX_VERSION}`, `@anthropic-ai/claude-code@${CLAUDE_VERSION}`];
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--save-exact', ...packages], {
      cwd: CACHE,
      encoding: 'utf8',
      timeout: 5 * 60_000,
    });
    if (r.status !== 0) throw new Error(`npm install of the agents failed:\n${r.stderr}`);
  }
  const copy = join(CACHE, 'keyguard');
  rmSync(copy, { recursive: true, force: true });
  cpSync(join(PROJECT_ROOT, 'dist'), copy, { recursive: true });
  writeFileSync(join(copy, 'package.json'), '{"type":"module"}\n');
  const bin = join(CACHE, 'keyguard-bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'keyguard'), `#!/bin/sh\nexec "${process.execPath}" "${join(copy, 'cli.cjs')}" "$@"\n`, { mode: 0o755 });
  return bin;
}

interface Request {
  method: string;
  url: string;
  body: string;
}

/** A model that calls `tool` on its first turn, if given, then says "done". */
interface Script {
  codexTool?: { cmd: string };
  claudeTool?: { name: string; input: Record<string, unknown> };
}

let server: Server;
let port = 0;
let requests: Request[] = [];
let script: Script = {};

function sse(events: Array<Record<string, unknown>>): string {
  return events.map((e) => `event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`).join('');
}

function modelTurns(): Request[] {
  return requests.filter((r) => r.method === 'POST' && (r.url.includes('/responses') || (r.url.includes('/messages') && !r.url.includes('count_tokens'))));
}

function codexReply(turn: number): string {
  const item =
    script.codexTool && turn === 1
      ? { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'exec_command', arguments: JSON.stringify(script.codexTool) }
      : { type: 'message', role: 'assistant', id: 'msg_1', content: [{ type: 'output_text', text: 'done' }] };
  const usage = { input_tokens: 1, input_tokens_details: null, output_tokens: 1, output_tokens_details: null, total_tokens: 2 };
  return sse([
    { type: 'response.created', response: { id: `resp_${turn}` } },
    { type: 'response.output_item.done', item },
    { type: 'response.completed', response: { id: `resp_${turn}`, usage } },
  ]);
}

function claudeReply(turn: number): string {
  const tool = script.claudeTool && turn === 1 ? script.claudeTool : undefined;
  const block = tool ? { type: 'tool_use', id: 'toolu_1', name: tool.name, input: {} } : { type: 'text', text: '' };
  const delta = tool ? { type: 'input_json_delta', partial_json: JSON.stringify(tool.input) } : { type: 'text_delta', text: 'done' };
  return sse([
    {
      type: 'message_start',
      message: {
        id: `msg_${turn}`,
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 1 },
      },
    },
    { type: 'content_block_start', index: 0, content_block: block },
    { type: 'content_block_delta', index: 0, delta },
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: tool ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } },
    { type: 'message_stop' },
  ]);
}

function run(command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The model's request number `turn` (from 0) holds `text` (checked without printing the whole request). */
function sent(turn: number, text: string): void {
  expect(modelTurns()[turn]?.body.includes(text), `request ${turn + 1} to the model lacks: ${text}`).toBe(true);
}

/** Every file under `dir` whose bytes hold `needle`. */
function filesHolding(dir: string, needle: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) out.push(...filesHolding(p, needle));
    else if (st.isFile() && readFileSync(p).includes(needle)) out.push(p);
  }
  return out;
}

let keyguardBin = '';

beforeAll(async () => {
  keyguardBin = prepare();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body });
      const url = req.url ?? '';
      if (req.method === 'POST' && url.includes('/responses')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(codexReply(modelTurns().length));
      } else if (req.method === 'POST' && url.includes('/messages') && !url.includes('count_tokens')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(claudeReply(modelTurns().length));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(url.includes('count_tokens') ? '{"input_tokens":1}' : '{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  expect(existsSync(CLI)).toBe(true);
}, 6 * 60_000);

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function baseEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: `${keyguardBin}:${process.env.PATH ?? ''}`, HOME: home, LANG: 'C.UTF-8', NO_COLOR: '1', TMPDIR: join(home, 'tmp') };
}

async function newPlace(agent: 'codex' | 'claude-code'): Promise<{ home: string; work: string; env: NodeJS.ProcessEnv }> {
  requests = [];
  script = {};
  const home = tempDir('kg-e2e-home-');
  const work = tempDir('kg-e2e-work-');
  mkdirSync(join(home, 'tmp'));
  const env = baseEnv(home);
  if (agent === 'codex') {
    env.CODEX_HOME = join(home, '.codex');
    env.MOCK_API_KEY = 'x';
    mkdirSync(env.CODEX_HOME);
    writeFileSync(
      join(env.CODEX_HOME, 'config.toml'),
      `# written by the e2e test\nmodel = "gpt-5.5"\nmodel_provider = "mock"\n\n[model_providers.mock]\nname = "mock"\n` +
        `base_url = "http://127.0.0.1:${port}/v1"\nenv_key = "MOCK_API_KEY"\nwire_api = "responses"\n`,
    );
  } else {
    Object.assign(env, { ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}`, ANTHROPIC_API_KEY: 'sk-ant-e2e-test', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' });
  }
  const installed = await run(join(keyguardBin, 'keyguard'), ['install', agent === 'codex' ? '--codex' : '--claude-code'], { cwd: work, env });
  expect(installed.code, installed.stderr).toBe(0);
  return { home, work, env };
}

function codex(place: { work: string; env: NodeJS.ProcessEnv }, prompt: string) {
  const args = ['exec', '--skip-git-repo-check', '--dangerously-bypass-hook-trust', '--dangerously-bypass-approvals-and-sandbox', prompt];
  return run(join(BIN, 'codex'), args, { cwd: place.work, env: place.env });
}

function claude(place: { work: string; env: NodeJS.ProcessEnv }, prompt: string) {
  const args = ['-p', '--output-format', 'json', '--permission-mode', 'acceptEdits', '--allowedTools', 'Bash', 'Write', '--', prompt];
  return run(join(BIN, 'claude'), args, { cwd: place.work, env: place.env });
}

describe(`Codex ${CODEX_VERSION} with keyguard's hooks`, () => {
  it('a prompt with a key never reaches the model, and no file under the home holds it', async () => {
    const key = keyFor('project_164', 2101);
    const place = await newPlace('codex');
    const r = await codex(place, `use ${key} for the client`);
    expect(r.stderr).toMatch(/hook: UserPromptSubmit Blocked/);
    expect(modelTurns()).toHaveLength(0);
    expect(filesHolding(place.home, key)).toEqual([]);
  });

  it('a clean prompt does reach it', async () => {
    const place = await newPlace('codex');
    await codex(place, 'say hi to the e2e test');
    expect(modelTurns().length).toBeGreaterThan(0);
    sent(0, 'say hi to the e2e test');
  });

  it('a command that would write a key is denied: it does not run, the model is told why', async () => {
    const key = keyFor('project_164', 2102);
    const place = await newPlace('codex');
    script = { codexTool: { cmd: `echo ${key} > leaked.txt` } };
    await codex(place, 'write the config');
    expect(existsSync(join(place.work, 'leaked.txt'))).toBe(false);
    expect(modelTurns().length).toBe(2);
    sent(1, 'keyguard: denied');
    // Codex echoes the denied command, key included, into its rollout; keyguard's Stop hook redacts it there
    expect(filesHolding(place.home, key)).toEqual([]);
  });

  it('output holding a key (cat .env) is kept from the model', async () => {
    const key = keyFor('project_164', 2103);
    const place = await newPlace('codex');
    writeFileSync(join(place.work, '.env'), `OPENAI_API_KEY=${key}\n`);
    script = { codexTool: { cmd: 'cat .env' } };
    await codex(place, 'show me the env file');
    expect(modelTurns().length).toBe(2);
    sent(1, 'the output of the command `cat .env`');
    expect(
      modelTurns().filter((t) => t.body.includes(key)),
      'a request to the model held the key',
    ).toHaveLength(0);
    // measured: Codex records the command's raw output in its rollout and in thread_history_1.sqlite (table thread_items),
    // which it holds open all session; keyguard's Stop hook redacts both, the database through SQLite's own locking
    expect(filesHolding(place.home, key)).toEqual([]);
    const marked = filesHolding(place.home, redactionMarker(key));
    expect(marked.some((p) => p.includes(join('.codex', 'sessions')))).toBe(true);
    const db = join(place.home, '.codex', 'thread_history_1.sqlite');
    expect(marked).toContain(db);
    const check = spawnSync('sqlite3', [db, 'PRAGMA integrity_check; SELECT count(*) FROM thread_items;'], { encoding: 'utf8' });
    expect(check.stdout.split('\n')[0]).toBe('ok');
    expect(Number(check.stdout.split('\n')[1])).toBeGreaterThan(0);
  });
});

describe(`Claude Code ${CLAUDE_VERSION} with keyguard's hooks`, () => {
  it('a prompt with a key never reaches the model and is not echoed; after the session no file under the home holds it', async () => {
    const key = keyFor('project_164', 2201);
    const place = await newPlace('claude-code');
    const r = await claude(place, `use ${key} for the client`);
    expect(modelTurns()).toHaveLength(0);
    expect(r.stdout).toContain('keyguard: this prompt holds an OpenAI API key');
    expect(r.stdout).not.toContain(key);
    // measured: Claude Code writes the blocked prompt to the session transcript; keyguard's SessionEnd hook redacts it there
    expect(filesHolding(place.home, key)).toEqual([]);
    const transcripts = filesHolding(place.home, redactionMarker(key));
    expect(transcripts.length).toBeGreaterThan(0);
    expect(transcripts.every((p) => p.includes(join('.claude', 'projects')) && p.endsWith('.jsonl'))).toBe(true);
  });

  it('a clean prompt does reach it', async () => {
    const place = await newPlace('claude-code');
    await claude(place, 'say hi to the e2e test');
    expect(modelTurns().length).toBeGreaterThan(0);
    sent(0, 'say hi to the e2e test');
  });

  it('a command that would write a key is denied: it does not run, the model is told why', async () => {
    const key = keyFor('project_164', 2202);
    const place = await newPlace('claude-code');
    script = { claudeTool: { name: 'Bash', input: { command: `echo ${key} > leaked.txt`, description: 'write it' } } };
    await claude(place, 'write the config');
    expect(existsSync(join(place.work, 'leaked.txt'))).toBe(false);
    expect(modelTurns().length).toBe(2);
    sent(1, 'keyguard: denied');
    // the model's tool call, key included, is in the transcript; keyguard's Stop hook redacts it there
    expect(filesHolding(place.home, key)).toEqual([]);
  });

  it('a Write of a key is denied', async () => {
    const key = keyFor('project_164', 2203);
    const place = await newPlace('claude-code');
    script = { claudeTool: { name: 'Write', input: { file_path: join(place.work, 'config.js'), content: `export const key = '${key}';\n` } } };
    await claude(place, 'write the config');
    expect(existsSync(join(place.work, 'config.js'))).toBe(false);
    sent(1, 'keyguard: denied');
    expect(filesHolding(place.home, key)).toEqual([]);
  });

  it('output holding a key (cat .env) reaches the model with the key withheld', async () => {
    const key = keyFor('project_164', 2204);
    const place = await newPlace('claude-code');
    writeFileSync(join(place.work, '.env'), `OPENAI_API_KEY=${key}\n`);
    script = { claudeTool: { name: 'Bash', input: { command: 'cat .env', description: 'show it' } } };
    await claude(place, 'show me the env file');
    expect(modelTurns().length).toBe(2);
    sent(1, 'OPENAI_API_KEY=[OpenAI key withheld by keyguard');
    expect(
      modelTurns().filter((t) => t.body.includes(key)),
      'a request to the model held the key',
    ).toHaveLength(0);
    expect(filesHolding(place.home, key)).toEqual([]);
  });
});
