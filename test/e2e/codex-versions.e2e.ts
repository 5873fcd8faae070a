// `npm run e2e`: `keyguard codex` against the real Codex CLI, several releases from npm. For each
// scenario, `codex exec` runs against a loopback mock of the model API that records which credential
// arrived (the Authorization header), and keyguard's verdict for `codex exec` must name the same one.
// Versions install into node_modules/.cache/keyguard-e2e-codex-versions (~100 MB each); pick a subset
// with KEYGUARD_E2E_CODEX_VERSIONS=0.171.0,0.44.0.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseToml } from '../../src/codex/config.js';
import { handlersOf } from '../../src/codex/hooks-read.js';
import { redact } from '../../src/engine/redact.js';
import { CODEX_BLOCK } from '../../src/guard/agents/codex-config.js';
import { keyFor } from '../helpers/keys.js';
import { PROJECT_ROOT, tempDir } from '../helpers/tmp.js';

const ALL_VERSIONS = ['0.171.0', '0.44.0', '0.100.0', '0.42.0', '0.29.0'];
const VERSIONS = process.env.KEYGUARD_E2E_CODEX_VERSIONS?.split(',').filter(Boolean) ?? ALL_VERSIONS;
const CACHE = join(PROJECT_ROOT, 'node_modules', '.cache', 'keyguard-e2e-codex-versions');

const K1 = keyFor('project_164', 9101);
const K2 = keyFor('project_164', 9102);

function jwt(payload: Record<string, unknown>): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.${Buffer.from('unsigned').toString('base64url')}`;
}
const ACCESS = jwt({ exp: 4102444800, 'https://api.openai.com/auth': { chatgpt_account_id: 'acct-e2e' } });
const TOKENS = {
  id_token: jwt({ email: 'e2e@example.com', 'https://api.openai.com/auth': { chatgpt_plan_type: 'plus', chatgpt_account_id: 'acct-e2e' } }),
  access_token: ACCESS,
  refresh_token: 'rt_e2e_fake',
  account_id: 'acct-e2e',
};
const CHATGPT = { auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens: TOKENS, last_refresh: new Date().toISOString() };
/** Builds before auth_mode existed wrote no such field. */
const CHATGPT_OLD = { OPENAI_API_KEY: null, tokens: TOKENS, last_refresh: new Date().toISOString() };

interface Scenario {
  name: string;
  auth: (version: string) => object;
  config?: string;
  env?: Record<string, string>;
}

const newer = (v: string): boolean => Number(v.split('.')[1]) >= 45;
const SCENARIOS: Scenario[] = [
  { name: 'env OPENAI_API_KEY with a stored ChatGPT login', auth: (v) => (newer(v) ? CHATGPT : CHATGPT_OLD), env: { OPENAI_API_KEY: K1 } },
  { name: 'CODEX_API_KEY with exec', auth: (v) => (newer(v) ? CHATGPT : CHATGPT_OLD), env: { CODEX_API_KEY: K2 } },
  // A recent last_refresh: an old one sends Codex to auth.openai.com to refresh first (0.29 then gives up silently).
  { name: 'legacy auth.json with key + tokens', auth: () => ({ OPENAI_API_KEY: K1, tokens: TOKENS, last_refresh: new Date().toISOString() }) },
  {
    name: 'config preferred_auth_method = "apikey" with a legacy key + tokens auth.json',
    auth: () => ({ OPENAI_API_KEY: K1, tokens: TOKENS, last_refresh: new Date().toISOString() }),
    config: 'preferred_auth_method = "apikey"\n',
  },
  {
    name: 'forced_login_method = "chatgpt" with CODEX_API_KEY',
    auth: (v) => (newer(v) ? CHATGPT : CHATGPT_OLD),
    config: 'forced_login_method = "chatgpt"\n',
    env: { CODEX_API_KEY: K2 },
  },
  {
    name: 'config preferred_auth_method = "apikey" with OPENAI_API_KEY',
    auth: (v) => (newer(v) ? CHATGPT : CHATGPT_OLD),
    config: 'preferred_auth_method = "apikey"\n',
    env: { OPENAI_API_KEY: K1 },
  },
];

function codexBin(version: string): string {
  const dir = join(CACHE, version);
  const bin = join(dir, 'node_modules', '.bin', 'codex');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
    const r = spawnSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--save-exact', `@openai/codex@${version}`], {
      encoding: 'utf8',
      timeout: 5 * 60_000,
    });
    if (r.status !== 0) throw new Error(`npm install @openai/codex@${version} failed:\n${r.stderr}`);
  }
  return join(dir, 'node_modules', '.bin');
}

interface Seen {
  url: string;
  authorization?: string;
}
let server: Server;
let port = 0;
let seen: Seen[] = [];

function reply(): string {
  const usage = { input_tokens: 1, input_tokens_details: null, output_tokens: 1, output_tokens_details: null, total_tokens: 2 };
  const item = { type: 'message', role: 'assistant', id: 'msg_1', content: [{ type: 'output_text', text: 'done' }] };
  return [
    { type: 'response.created', response: { id: 'resp_1' } },
    { type: 'response.output_item.done', item },
    { type: 'response.completed', response: { id: 'resp_1', usage } },
  ]
    .map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)
    .join('');
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Which credential a request carried, in keyguard's words. */
function credentialOf(auth: string | undefined): string {
  if (!auth) return 'none';
  const token = auth.replace(/^Bearer\s+/i, '');
  if (token === ACCESS) return 'chatgpt';
  if (token === K1) return `api-key ${redact(K1)}`;
  if (token === K2) return `api-key ${redact(K2)}`;
  return `other (${token.slice(0, 6)}…)`;
}

/** keyguard's verdict for `codex exec` in the same words. */
function verdictOf(e: { kind: string; key?: string }): string {
  if (e.kind === 'chatgpt') return 'chatgpt';
  if (e.kind === 'api-key' || e.kind === 'provider-key') return `api-key ${e.key ?? '?'}`;
  if (e.kind === 'logged-out') return 'logged-out';
  return 'none';
}

/** A copy of the build, so that a rebuild meanwhile cannot pull dist/ away mid-run. */
let CLI = '';

beforeAll(async () => {
  const copy = join(CACHE, 'keyguard');
  rmSync(copy, { recursive: true, force: true });
  cpSync(join(PROJECT_ROOT, 'dist'), copy, { recursive: true });
  writeFileSync(join(copy, 'package.json'), '{"type":"module"}\n');
  CLI = join(copy, 'cli.cjs');
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const entry: Seen = { url: req.url ?? '' };
      if (req.headers.authorization) entry.authorization = req.headers.authorization;
      seen.push(entry);
      if (req.method === 'POST' && (req.url ?? '').includes('/responses')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(reply());
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

for (const version of VERSIONS) {
  describe(`Codex ${version}`, () => {
    let bin = '';
    beforeAll(() => {
      bin = codexBin(version);
    });

    for (const s of SCENARIOS) {
      it(`${s.name}: keyguard's verdict for codex exec is what arrived`, async () => {
        const home = tempDir('kg-cxv-');
        const codexHome = join(home, '.codex');
        mkdirSync(codexHome);
        const authPath = join(codexHome, 'auth.json');
        writeFileSync(authPath, JSON.stringify(s.auth(version), null, 2), { mode: 0o600 });
        const base = `http://127.0.0.1:${port}/v1`;
        // Where each build takes its endpoint (reference/codex-auth.md; 0.100 sends a ChatGPT login to chatgpt_base_url).
        const config = `${s.config ?? ''}openai_base_url = "${base}"\nchatgpt_base_url = "http://127.0.0.1:${port}/backend-api/"\n`;
        writeFileSync(join(codexHome, 'config.toml'), config);
        const env: NodeJS.ProcessEnv = {
          HOME: home,
          CODEX_HOME: codexHome,
          PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
          OPENAI_BASE_URL: base,
          KEYGUARD_NO_PROGRESS: '1',
          KEYGUARD_CODEX_SYSTEM_CONFIG: join(home, 'none.toml'),
          KEYGUARD_CODEX_REQUIREMENTS: join(home, 'none.toml'),
          NO_PROXY: '127.0.0.1',
          ...s.env,
        };
        // keyguard first: codex exec may log the user out and delete auth.json.
        const kg = await run(process.execPath, [CLI, 'codex', '--format', 'json'], home, env);
        const report = JSON.parse(kg.stdout) as { codex: { version: string; versionAssumed: boolean }; effective: { exec: { kind: string; key?: string } } };
        expect(report.codex).toMatchObject({ version, versionAssumed: false });
        seen = [];
        const cx = await run(join(bin, 'codex'), ['exec', '--skip-git-repo-check', 'say hi'], home, env);
        const turns = seen.filter((r) => r.url.includes('/responses'));
        let arrived = credentialOf(turns[0]?.authorization);
        if (turns.length === 0 && !existsSync(authPath)) arrived = 'logged-out';
        const verdict = verdictOf(report.effective.exec);
        const requests = seen.map((r) => `${r.url} ${credentialOf(r.authorization)}`).join(' | ') || 'none';
        const note = `codex exit ${cx.code}; requests: ${requests}; stderr: ${cx.stderr
          .split('\n')
          .filter((l) => /error|logging out|missing/i.test(l))
          .slice(0, 3)
          .join(' / ')}`;
        expect(verdict, `${version} / ${s.name}: ${note}`).toBe(arrived);
        // nothing the test wrote leaks a full key into keyguard's output
        expect(kg.stdout).not.toContain(K1);
        expect(kg.stdout).not.toContain(K2);
      });
    }
  });
}

/** `codex app-server` hooks/list: Codex's own view of each hook's trust (0.171; the API is experimental). */
async function hooksList(codex: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ key: string; currentHash: string; trustStatus: string }[]> {
  const child = spawn(codex, ['app-server'], { cwd, env, stdio: ['pipe', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
  const send = (o: object): boolean => child.stdin.write(`${JSON.stringify(o)}\n`);
  send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'keyguard-e2e', version: '1' } } });
  send({ method: 'initialized' });
  send({ id: 2, method: 'hooks/list', params: { cwds: [cwd] } });
  const deadline = Date.now() + 30_000;
  let line: string | undefined;
  while (!line && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    line = out.split('\n').find((l) => l.startsWith('{"id":2'));
  }
  child.kill('SIGKILL');
  if (!line) throw new Error(`hooks/list gave no answer: ${out.slice(0, 500)}`);
  const doc = JSON.parse(line) as { result: { data: { hooks: { key: string; currentHash: string; trustStatus: string }[] }[] } };
  return doc.result.data.flatMap((d) => d.hooks);
}

describe.runIf(VERSIONS.includes('0.171.0'))("Codex 0.171.0: keyguard's hooks, installed and trusted", () => {
  it('keyguard computes the trust hash Codex computes, and reports untrusted, then trusted, as Codex does', async () => {
    const bin = codexBin('0.171.0');
    const home = tempDir('kg-cxh-');
    const codexHome = join(home, '.codex');
    mkdirSync(codexHome);
    const cfg = join(codexHome, 'config.toml');
    writeFileSync(cfg, CODEX_BLOCK);
    const env: NodeJS.ProcessEnv = {
      HOME: home,
      CODEX_HOME: codexHome,
      PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      KEYGUARD_NO_PROGRESS: '1',
      KEYGUARD_CODEX_SYSTEM_CONFIG: join(home, 'none.toml'),
      KEYGUARD_CODEX_REQUIREMENTS: join(home, 'none.toml'),
    };
    const ids = async (): Promise<string[]> =>
      (JSON.parse((await run(process.execPath, [CLI, 'codex', '--format', 'json'], home, env)).stdout) as { checks: { id: string }[] }).checks.map((c) => c.id);
    const before = await hooksList(join(bin, 'codex'), home, env);
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(before.every((h) => h.trustStatus === 'untrusted')).toBe(true);
    expect(await ids()).toContain('codex-hooks-untrusted');

    const t = parseToml(CODEX_BLOCK);
    if ('error' in t) throw new Error(t.error);
    const ours = handlersOf(t.table.hooks, [cfg]);
    for (const h of before) expect(ours.find((o) => o.keys.includes(h.key))?.hash, h.key).toBe(h.currentHash);
    writeFileSync(cfg, `${CODEX_BLOCK}\n${ours.map((h) => `[hooks.state."${h.keys[0]}"]\ntrusted_hash = "${h.hash}"\n`).join('\n')}`);
    const after = await hooksList(join(bin, 'codex'), home, env);
    expect(after.map((h) => h.trustStatus)).toEqual(before.map(() => 'trusted'));
    expect(await ids()).toContain('codex-hooks');
  });
});
