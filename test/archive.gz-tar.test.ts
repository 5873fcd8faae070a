// gzip and tar: opened like zip. Archives are built at test time (node:zlib, tar-stream's pack side and
// the system tar), keys are seeded: `app.log.gz!` at the line in the inflated text, tar members as
// `backup.tar.gz!home/app/.env`, nested archives, a bomb refused, a cut archive keeps what came before,
// the same reader for --staged and audit, and --fix names what it cannot rewrite.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { gptConversation, gptJson, jsonl } from './helpers/chat-exports.js';
import { keyFor, rng } from './helpers/keys.js';
import { runMain } from './helpers/main.js';
import { git, gitEnv, gitRepo, parseJson, runCli, tempDir, writeFiles } from './helpers/tmp.js';
import { makeZip } from './helpers/zip.js';

interface Report {
  findings: { path: string; line: number; kind: string; details?: Record<string, string> }[];
  summary: { errors: { path: string; message: string }[]; skipped: Record<string, number> };
}

const K = (n: number) => keyFor('project_164', 1100 + n);
const env = (home: string) => gitEnv({ HOME: home, XDG_DATA_HOME: '', OPENAI_API_KEY: '', CODEX_API_KEY: '' });

interface TarMember {
  name: string;
  data?: string | Buffer;
  type?: 'file' | 'symlink' | 'link' | 'directory';
  linkname?: string;
}

/** A POSIX tar built with tar-stream's pack side. */
async function makeTar(members: TarMember[]): Promise<Buffer> {
  const pack = tar.pack();
  const parts: Buffer[] = [];
  // read while writing: a member larger than the stream's buffer waits for its reader
  const read = (async () => {
    for await (const piece of pack) parts.push(piece as Buffer);
  })();
  for (const m of members) {
    const data = typeof m.data === 'string' ? Buffer.from(m.data) : m.data;
    const header = { name: m.name, type: m.type ?? 'file', ...(m.linkname ? { linkname: m.linkname } : {}) };
    await new Promise<void>((resolve, reject) => pack.entry(header, data ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve())));
  }
  pack.finalize();
  await read;
  return Buffer.concat(parts);
}

async function scan(dir: string, args: string[] = []): Promise<{ code: number; report: Report; stderr: string }> {
  const r = await runMain(['scan', '--format', 'json', ...args], { cwd: dir, env: env(dir) });
  return { code: r.code, report: parseJson<Report>(r), stderr: r.stderr };
}

const places = (report: Report) => report.findings.map((f) => [f.path, f.line]);

describe('gzip', () => {
  it('reads a .gz log as its inflated text: `app.log.1.gz!` at the line of the key', async () => {
    const dir = tempDir();
    const log = ['boot ok', 'config loaded', 'retrying', `auth with ${K(1)} failed`, 'bye'].join('\n');
    writeFiles(dir, { 'logs/app.log.1.gz': gzipSync(log) });
    const { code, report } = await scan(dir);
    expect(code).toBe(1);
    expect(places(report)).toEqual([['logs/app.log.1.gz!', 4]]);
    expect(report.summary.errors).toEqual([]);
  });

  it('picks the reader by the name without .gz: a .jsonl.gz agent transcript is read as JSONL', async () => {
    const dir = tempDir();
    const rollout = jsonl([
      { timestamp: '2025-01-02T10:00:00.000Z', type: 'session_meta', payload: { id: 's-1', cwd: '/w' } },
      {
        timestamp: '2025-01-02T10:00:01.000Z',
        type: 'response_item',
        payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: `key ${K(2)}` }] },
      },
    ]);
    const conv = gptConversation('conv-1', 'env help', [
      { id: 'r', parent: null },
      { id: 'u', parent: 'r', role: 'user', text: `OPENAI_API_KEY=${K(3)}` },
    ]);
    writeFiles(dir, {
      'rollout-2025-01-02T10-00-00-0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000.jsonl.gz': gzipSync(rollout),
      'conversations.json.gz': gzipSync(gptJson([conv])),
    });
    const { code, report } = await scan(dir);
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.path, f.kind]).sort()).toEqual([
      ['conversations.json.gz!', 'chat-export'],
      ['rollout-2025-01-02T10-00-00-0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000.jsonl.gz!', 'agent-transcript'],
    ]);
    expect(report.findings.find((f) => f.kind === 'agent-transcript')!.line).toBe(2);
  });

  it('refuses a gzip bomb with a reason (exit 2) and still scans the other files', async () => {
    const dir = tempDir();
    const zeros = Buffer.concat([Buffer.alloc(16 * 1024 * 1024), Buffer.from(`\n${K(4)}\n`)]);
    writeFiles(dir, { 'bomb.log.gz': gzipSync(zeros, { level: 9 }), 'ok.env': `KEY=${K(5)}\n` });
    const { code, report } = await scan(dir);
    expect(code).toBe(2);
    expect(places(report)).toEqual([['ok.env', 1]]);
    expect(report.summary.errors).toHaveLength(1);
    expect(report.summary.errors[0]!.path).toBe('bomb.log.gz');
    expect(report.summary.errors[0]!.message).toMatch(/^refused: \d+ bytes from \d+ compressed, a 10\d\d:1 ratio \(limit 1000:1\), looks like a gzip bomb$/);
  });

  it('audit FILE.gz reads it with the same reader', async () => {
    const home = tempDir();
    writeFiles(home, { 'old/app.log.gz': gzipSync(`one\ntwo\nOPENAI_API_KEY=${K(6)}\n`) });
    const r = await runMain(['audit', '--format', 'json', 'old/app.log.gz'], { cwd: home, env: env(home) });
    expect(r.code).toBe(1);
    expect(places(parseJson<Report>(r))).toEqual([['old/app.log.gz!', 3]]);
  });
});

describe('tar', () => {
  it('reports a .tar.gz member as backup.tar.gz!home/app/.env (GNU tar), links not followed but counted', () => {
    const dir = tempDir();
    const root = join(dir, 'root');
    mkdirSync(join(root, 'home/app'), { recursive: true });
    writeFileSync(join(root, 'home/app/.env'), `NODE_ENV=production\nOPENAI_API_KEY=${K(7)}\n`);
    writeFileSync(join(root, 'home/app/README'), 'nothing here\n');
    symlinkSync('/etc/passwd', join(root, 'home/app/passwd'));
    execFileSync('tar', ['-czf', join(dir, 'backup.tar.gz'), '-C', root, 'home']);
    execFileSync('rm', ['-rf', root]);
    // the built CLI: tar-stream bundled by esbuild
    const r = runCli(['scan', '--format', 'json'], { cwd: dir, env: env(dir) });
    const report = parseJson<Report>(r);
    expect(r.code).toBe(1);
    expect(places(report)).toEqual([['backup.tar.gz!home/app/.env', 2]]);
    expect(report.summary.skipped['links in tar archives (not followed)']).toBe(1);
    expect(report.summary.errors).toEqual([]);
  });

  it('opens archives inside archives: a zip in a tgz, a tgz in a zip', async () => {
    const dir = tempDir();
    const zip = makeZip([{ name: 'notes.txt', data: `x\n${K(8)}\n` }]);
    const tgzInner = gzipSync(await makeTar([{ name: 'a/b.env', data: `K=${K(9)}\n` }]));
    writeFiles(dir, {
      'bundle.tgz': gzipSync(await makeTar([{ name: 'exports/export.zip', data: zip }])),
      'outer.zip': makeZip([{ name: 'inner.tgz', data: tgzInner, deflate: false }]),
    });
    const { code, report } = await scan(dir);
    expect(code).toBe(1);
    expect(places(report).sort()).toEqual([
      ['bundle.tgz!exports/export.zip!notes.txt', 2],
      ['outer.zip!inner.tgz!a/b.env', 1],
    ]);
  });

  it('a truncated .tgz: the error is reported (exit 2), findings from complete members are kept', async () => {
    const dir = tempDir();
    // random bytes do not compress: cutting 1500 bytes off the end lands inside data.bin
    const next = rng(11);
    const noise = Buffer.from(Array.from({ length: 200_000 }, () => Math.floor(next() * 256)));
    const whole = gzipSync(
      await makeTar([
        { name: 'a.env', data: `A=${K(10)}\n` },
        { name: 'b.env', data: `\nB=${K(11)}\n` },
        { name: 'data.bin', data: noise },
        { name: 'c.env', data: `C=${K(12)}\n` },
      ]),
    );
    writeFiles(dir, { 'cut.tgz': whole.subarray(0, whole.length - 1500) });
    const { code, report } = await scan(dir);
    expect(code).toBe(2);
    expect(places(report)).toEqual([
      ['cut.tgz!a.env', 1],
      ['cut.tgz!b.env', 2],
    ]);
    expect(report.summary.errors.length).toBeGreaterThan(0);
    expect(report.summary.errors.every((e) => e.path === 'cut.tgz')).toBe(true);
    expect(report.summary.errors.map((e) => e.message).join('\n')).toMatch(/corrupt or truncated tar archive: .*the members before it were scanned/);
  });

  it('one bad member does not cost the rest: a corrupt zip and a cut .gz inside a tar are reported, later members read', async () => {
    const dir = tempDir();
    const cutLog = gzipSync(`${'filler line\n'.repeat(20_000)}t=${K(20)}\n${'x'.repeat(100_000)}\n`);
    writeFiles(dir, {
      'mixed.tar': await makeTar([
        { name: 'bad.zip', data: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(600, 7)]) },
        { name: 'logs/cut.log.gz', data: cutLog.subarray(0, cutLog.length - 20) },
        { name: 'z.env', data: `Z=${K(21)}\n` },
      ]),
    });
    const { code, report } = await scan(dir);
    expect(code).toBe(2);
    expect(places(report)).toEqual([
      ['mixed.tar!logs/cut.log.gz!', 20_001],
      ['mixed.tar!z.env', 1],
    ]);
    expect(report.summary.errors.map((e) => e.path)).toEqual(['mixed.tar!bad.zip', 'mixed.tar!logs/cut.log.gz']);
    expect(report.summary.errors[1]!.message).toMatch(/^corrupt or truncated gzip data: unexpected end of file; the \d+ bytes before it were scanned$/);
  });

  it('streams what is too large to hold (past 32 MB inflated): lines still counted, the next member still read', async () => {
    const dir = tempDir();
    const line = 'GET /health 200 0.4ms upstream=app-1 cache=miss region=eu-west-1 agent=probe/2.1\n';
    const big = Buffer.from(`${line.repeat(Math.ceil((33 * 1024 * 1024) / line.length))}token=${K(18)}\n`);
    const lastLine = big.toString('latin1').split('\n').length - 1;
    writeFiles(dir, {
      'big.log.gz': gzipSync(big, { level: 1 }),
      'big.tgz': gzipSync(
        await makeTar([
          { name: 'var/log/big.log', data: big },
          { name: 'after.env', data: `A=${K(19)}\n` },
        ]),
        { level: 1 },
      ),
    });
    const { code, report } = await scan(dir);
    expect(code).toBe(1);
    expect(places(report).sort()).toEqual([
      ['big.log.gz!', lastLine],
      ['big.tgz!after.env', 1],
      ['big.tgz!var/log/big.log', lastLine],
    ]);
    expect(report.summary.errors).toEqual([]);
  });

  it('reports a key in a tar member name, even for a member that is not read', async () => {
    const dir = tempDir();
    const names = await makeTar([
      { name: `keys/${K(13)}/info.txt`, data: 'nothing\n' },
      { name: `links/${K(14)}`, type: 'symlink', linkname: '/etc/hosts' },
    ]);
    writeFiles(dir, { 'names.tar': names });
    const { code, report } = await scan(dir);
    expect(code).toBe(1);
    expect(report.findings).toHaveLength(2);
    for (const f of report.findings) {
      expect(f.line).toBe(0);
      expect(f.details?.['key in']).toBe('archive member name');
      expect(f.path).toMatch(/^names\.tar!/);
    }
  });

  it('scan --staged reads a staged .tgz like a staged zip', async () => {
    const repo = gitRepo({ 'README.md': 'hi\n' });
    const pkg = await makeTar([
      { name: 'package/package.json', data: '{}' },
      { name: 'package/lib/config.js', data: `// cfg\nexport const key = '${K(15)}';\n` },
    ]);
    writeFiles(repo, { 'vendor/pkg-1.0.0.tgz': gzipSync(pkg) });
    git(repo, ['add', 'vendor/pkg-1.0.0.tgz']);
    const r = await runMain(['scan', '--staged', '--format', 'json'], { cwd: repo, env: env(repo) });
    expect(r.code).toBe(1);
    const report = parseJson<Report>(r);
    expect(places(report)).toEqual([['vendor/pkg-1.0.0.tgz!package/lib/config.js', 2]]);
    expect(report.findings[0]!.kind).toBe('staged');
  });
});

describe('--fix on gzip and tar', () => {
  it('names what it cannot redact (exit 2) and writes nothing', async () => {
    const dir = tempDir();
    const conv = gptConversation('conv-1', 'env help', [
      { id: 'r', parent: null },
      { id: 'u', parent: 'r', role: 'user', text: `OPENAI_API_KEY=${K(16)}` },
    ]);
    const tgz = gzipSync(await makeTar([{ name: 'export/conversations.json', data: gptJson([conv]) }]));
    const gz = gzipSync(`echo ${K(17)}\n`);
    writeFiles(dir, { 'chatgpt-export.tgz': tgz, '.bash_history.gz': gz });
    const r = await runMain(['scan', '--fix', '--format', 'json', 'chatgpt-export.tgz', '.bash_history.gz'], { cwd: dir, env: env(dir) });
    expect(r.code).toBe(2);
    expect(places(parseJson<Report>(r)).sort()).toEqual(
      [
        ['.bash_history.gz!', 1],
        ['chatgpt-export.tgz!export/conversations.json', 1],
      ].sort(),
    );
    expect(r.stderr).toMatch(/NOT REDACTED: .*chatgpt-export\.tgz \(in export\/conversations\.json\): 1 key; keyguard does not rewrite tar archives/);
    expect(r.stderr).toMatch(/NOT REDACTED: .*\.bash_history\.gz: 1 key; keyguard does not rewrite gzip archives/);
    expect(r.stderr).not.toMatch(/wrote a redacted copy|nothing left to redact/);
    expect(readdirSync(dir).sort()).toEqual(['.bash_history.gz', 'chatgpt-export.tgz']);
    expect(readFileSync(join(dir, 'chatgpt-export.tgz'))).toEqual(tgz);
    expect(readFileSync(join(dir, '.bash_history.gz'))).toEqual(gz);
    expect(existsSync(join(dir, 'chatgpt-export.redacted.tgz'))).toBe(false);
  });
});
