// --verify against a local HTTP server that plays each answer OpenAI gives.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redact } from '../src/engine/redact.js';
import type { Finding } from '../src/types.js';
import { endpointOf, verifyFindings } from '../src/verify/verify.js';
import { outcomeOf } from '../src/verify/outcome.js';
import { keyFor } from './helpers/keys.js';
import { CLI, gitEnv, gitRepo, parseJson, tempDir, writeFiles, git, type CliResult } from './helpers/tmp.js';

const K = {
  live: keyFor('project_164', 901),
  revoked: keyFor('project_164', 902),
  scope: keyFor('project_164', 903),
  region: keyFor('project_164', 904),
  quota: keyFor('project_164', 905),
  down: keyFor('project_164', 906),
  hang: keyFor('project_164', 907),
  admin: keyFor('admin_133', 908),
  other401: keyFor('project_164', 909),
};

type Play = { status: number; body?: unknown; delayMs?: number; hang?: boolean };

const PLAYS = new Map<string, Play>([
  [K.live, { status: 200, body: { object: 'list', data: [] } }],
  [K.revoked, { status: 401, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } } }],
  [
    K.scope,
    {
      status: 401,
      body: { error: { message: 'You have insufficient permissions for this operation. Missing scopes: api.model.read.', code: 'missing_scope' } },
    },
  ],
  [K.region, { status: 403, body: { error: { code: 'unsupported_country_region_territory' } } }],
  [K.quota, { status: 429, body: { error: { code: 'insufficient_quota', type: 'insufficient_quota' } } }],
  [K.down, { status: 503, body: 'upstream connect error' }],
  [K.hang, { status: 200, hang: true }],
  [K.admin, { status: 200, body: { object: 'list', data: [] } }],
  [K.other401, { status: 401, body: { error: { code: 'mismatched_organization' } } }],
]);

interface Seen {
  key: string;
  path: string;
}

let server: Server;
let base = '';
const seen: Seen[] = [];
let inFlight = 0;
let maxInFlight = 0;

function answer(req: IncomingMessage, res: ServerResponse): void {
  const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
  seen.push({ key, path: req.url ?? '' });
  const play = PLAYS.get(key) ?? { status: 200, body: { object: 'list' }, delayMs: 60 };
  if (play.hang) return; // never answers: the client must give up
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  setTimeout(() => {
    inFlight--;
    if (key === K.admin && !req.url?.startsWith('/v1/organization/admin_api_keys')) res.writeHead(403).end();
    else res.writeHead(play.status, { 'content-type': 'application/json' }).end(typeof play.body === 'string' ? play.body : JSON.stringify(play.body ?? {}));
  }, play.delayMs ?? 5);
}

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

function finding(secret: string, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: secret.startsWith('sk-admin-') ? 'openai-admin-key' : 'openai-api-key',
    family: secret.startsWith('sk-admin-') ? 'admin_133' : 'project_164',
    familyLabel: 'OpenAI key',
    confidence: 'high',
    kind: 'file',
    location: { path: 'a.txt', line: 1, column: 1 },
    redacted: redact(secret),
    fingerprint: 'x',
    secret,
    ...over,
  };
}

async function verify(findings: Finding[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  let err = '';
  await verifyFindings(findings, { env: { KEYGUARD_OPENAI_BASE_URL: base, ...env }, stderr: (s) => (err += s) });
  return err;
}

/** The CLI as an async child: the server answers from this process, so spawnSync would deadlock. */
function runCliAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

describe('outcomes', () => {
  it('reads the status and the error code', async () => {
    const fs = [K.live, K.revoked, K.scope, K.region, K.quota, K.down, K.other401].map((k) => finding(k));
    await verify(fs);
    expect(fs.map((f) => f.verification)).toEqual(['live', 'revoked', 'live', 'live', 'live', 'unknown', 'unknown']);
    expect(fs[2]?.verificationDetail).toContain('restricted');
    expect(fs[4]?.verificationDetail).toContain('out of quota');
    expect(fs[5]?.verificationDetail).toContain('503');
  });

  it('admin keys ask the admin keys listing', async () => {
    const f = finding(K.admin);
    await verify([f]);
    expect(f.verification).toBe('live');
    expect(seen.filter((s) => s.key === K.admin).map((s) => s.path)).toEqual(['/v1/organization/admin_api_keys?limit=1']);
    expect(seen.find((s) => s.key === K.live)?.path).toBe('/v1/models');
  });

  it('a timeout is unknown, after one attempt', async () => {
    const f = finding(K.hang);
    const before = seen.filter((s) => s.key === K.hang).length;
    await verify([f], { KEYGUARD_VERIFY_TIMEOUT_MS: '300' });
    expect(f).toMatchObject({ verification: 'unknown', verificationDetail: 'no answer within 0.3s' });
    expect(seen.filter((s) => s.key === K.hang).length - before).toBe(1);
  });

  it('a server error is not retried', async () => {
    const before = seen.filter((s) => s.key === K.down).length;
    await verify([finding(K.down)]);
    expect(seen.filter((s) => s.key === K.down).length - before).toBe(1);
  });

  it('an unreachable server is unknown', async () => {
    const f = finding(K.live);
    await verifyFindings([f], { env: { KEYGUARD_OPENAI_BASE_URL: 'http://127.0.0.1:1' }, stderr: () => undefined });
    expect(f.verification).toBe('unknown');
    expect(f.verificationDetail).toContain('could not reach');
  });

  it('pure mapping of the rarer answers', () => {
    expect(outcomeOf(401, '{"error":{"message":"Missing scopes: api.responses.write"}}').result).toBe('live');
    expect(outcomeOf(401, 'not json').result).toBe('unknown');
    expect(outcomeOf(429, '{"error":{"code":"rate_limit_exceeded"}}').detail).toContain('rate limited');
    expect(outcomeOf(302, '').result).toBe('unknown');
  });
});

describe('how it asks', () => {
  it('one request per distinct key, at most 4 at a time, and says where the keys go', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => keyFor('project_164', 950 + i));
    const fs = [...keys, keys[0] as string].map((k) => finding(k));
    maxInFlight = 0;
    const before = seen.length;
    const err = await verify(fs);
    expect(seen.length - before).toBe(10);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(fs[10]?.verification).toBe('live');
    expect(err).toContain(`--verify sends each of the 10 distinct keys found to ${base} (GET /v1/models) and nowhere else`);
    expect(err).toContain('10 live, 0 revoked, 0 unknown');
  });

  it('session keys and own keys of other shapes are never sent', async () => {
    const sess = finding(keyFor('session_45', 970), { family: 'session_45', ruleId: 'openai-session-key' });
    const odd = finding(`proxy-${'q'.repeat(30)}`, { family: 'own_key', ruleId: 'openai-own-key' });
    const before = seen.length;
    const err = await verify([sess, odd]);
    expect(seen.length).toBe(before);
    expect([sess.verification, odd.verification]).toEqual(['unknown', 'unknown']);
    expect(err).not.toContain('sends');
  });

  it('defaults to api.openai.com; plain http only on loopback', () => {
    expect(endpointOf({}).base).toBe('https://api.openai.com');
    expect(endpointOf({ KEYGUARD_OPENAI_BASE_URL: 'http://localhost:8080/v1/' }).base).toBe('http://localhost:8080');
    expect(() => endpointOf({ KEYGUARD_OPENAI_BASE_URL: 'http://example.com' })).toThrow(/https/);
  });
});

describe('keyguard scan --verify', () => {
  it('puts the outcome on each finding (text and JSON) and never prints the key', async () => {
    const dir = tempDir('kg-verify-');
    writeFiles(dir, { 'a.txt': `live=${K.live}\n`, 'b.txt': `old=${K.revoked}\n` });
    const env = gitEnv({ HOME: dir, OPENAI_API_KEY: '', CODEX_API_KEY: '', KEYGUARD_OPENAI_BASE_URL: base });
    const r = await runCliAsync(['scan', '.', '--verify', '--format', 'json'], dir, env);
    expect(r.code).toBe(1);
    const j = parseJson<{ findings: { path: string; verification?: { result: string; detail?: string } }[] }>(r);
    expect(j.findings.find((f) => f.path.endsWith('a.txt'))?.verification?.result).toBe('live');
    expect(j.findings.find((f) => f.path.endsWith('b.txt'))?.verification).toEqual({ result: 'revoked', detail: expect.stringContaining('invalid_api_key') });
    expect(r.stderr).toContain('and nowhere else');
    const t = await runCliAsync(['scan', '.', '--verify', '--no-color'], dir, env);
    expect(t.stdout).toContain('verified: LIVE: revoke it now');
    expect(t.stdout).toContain('verified: revoked');
    for (const out of [r.stdout, r.stderr, t.stdout, t.stderr]) {
      expect(out).not.toContain(K.live);
      expect(out).not.toContain(K.revoked);
    }
  });

  it("is opt-in: no request without --verify, and none from the hook's scan --staged", async () => {
    const repo = gitRepo({ 'README.md': 'hi\n' });
    writeFiles(repo, { 'k.txt': `k=${K.live}\n` });
    const env = gitEnv({ HOME: repo, OPENAI_API_KEY: '', CODEX_API_KEY: '', KEYGUARD_OPENAI_BASE_URL: base });
    git(repo, ['add', 'k.txt'], env);
    const before = seen.length;
    const a = await runCliAsync(['scan', '.', '--format', 'json'], repo, env);
    const b = await runCliAsync(['scan', '--staged', '--format', 'json'], repo, env);
    expect([a.code, b.code]).toEqual([1, 1]);
    expect(seen.length).toBe(before);
    expect(parseJson<{ findings: { verification?: unknown }[] }>(b).findings[0]?.verification).toBeUndefined();
  });
});
