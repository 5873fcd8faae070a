// `scan --history` opens archives committed to a repository (gzip, tar, tar.gz, zip) with the readers
// and bomb limits `scan` uses, and names members as `path!member` at the commit that brought the key.
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { keyFor } from './helpers/keys.js';
import { runMain } from './helpers/main.js';
import { commitFiles, gitEnv, gitRepo, parseJson } from './helpers/tmp.js';
import { makeZip } from './helpers/zip.js';

interface Report {
  findings: { path: string; line: number; kind: string; secret?: string; commit?: { sha: string; exposure?: { atHead: boolean } } }[];
  summary: { errors: { path: string; message: string }[]; skipped: Record<string, number>; notes: string[] };
}

const K = (n: number) => keyFor('project_164', 1300 + n);
const env = (home: string, jobs = '1') => gitEnv({ HOME: home, XDG_DATA_HOME: '', OPENAI_API_KEY: '', CODEX_API_KEY: '', KEYGUARD_HISTORY_JOBS: jobs });

async function makeTar(members: { name: string; data: string }[]): Promise<Buffer> {
  const pack = tar.pack();
  const parts: Buffer[] = [];
  const read = (async () => {
    for await (const piece of pack) parts.push(piece as Buffer);
  })();
  for (const m of members) {
    await new Promise<void>((resolve, reject) => pack.entry({ name: m.name }, Buffer.from(m.data), (err) => (err ? reject(err) : resolve())));
  }
  pack.finalize();
  await read;
  return Buffer.concat(parts);
}

async function history(dir: string, jobs = '1'): Promise<{ code: number; report: Report }> {
  const r = await runMain(['scan', '--history', '--format', 'json', '--show-secrets'], { cwd: dir, env: env(dir, jobs) });
  return { code: r.code, report: parseJson<Report>(r) };
}

const rows = (report: Report, shas: Record<string, string>) => {
  const name = Object.fromEntries(Object.entries(shas).map(([k, v]) => [v, k]));
  return report.findings.map((f) => [name[f.commit?.sha ?? ''] ?? f.commit?.sha, f.path, f.line, f.kind]);
};

describe('scan --history opens archives', () => {
  it('a backup.tgz, an app.log.gz and a zip added in one commit and removed in the next: members at the commit that added them', async () => {
    const dir = gitRepo({ 'README.md': 'hi\n' });
    const backup = gzipSync(
      await makeTar([
        { name: 'home/app/README', data: 'nothing\n' },
        { name: 'home/app/.env', data: `DEBUG=1\nOPENAI_API_KEY=${K(1)}\n` },
      ]),
    );
    const added = commitFiles(dir, {
      'backup.tgz': backup,
      'logs/app.log.gz': gzipSync(`boot\nretry\nauth with ${K(2)} failed\n`),
      'export.zip': makeZip([{ name: 'notes/keys.txt', data: `one\n${K(3)}\n` }]),
    });
    const removed = commitFiles(dir, { 'backup.tgz': null, 'logs/app.log.gz': null, 'export.zip': null });
    // one git log, and several sharing the commits: the same findings
    for (const jobs of ['1', '3']) {
      const { code, report } = await history(dir, jobs);
      expect(report.summary.errors).toEqual([]);
      expect(code).toBe(1);
      expect(rows(report, { added, removed }).sort()).toEqual([
        ['added', 'backup.tgz!home/app/.env', 2, 'commit'],
        ['added', 'export.zip!notes/keys.txt', 2, 'commit'],
        ['added', 'logs/app.log.gz!', 3, 'commit'],
      ]);
      expect(report.findings.map((f) => f.commit?.exposure?.atHead)).toEqual([false, false, false]);
      // a compressed key is out of a text pattern's reach: the archive itself has to go
      expect(report.summary.notes.filter((n) => n.startsWith('purge: the key in')).sort()).toEqual(
        ['backup.tgz', 'export.zip', 'logs/app.log.gz'].map((p) => expect.stringContaining(`--invert-paths --path ${p} `)),
      );
    }
  });

  it('an archive still in the tree at HEAD: its key is said to be at HEAD', async () => {
    const dir = gitRepo({ 'README.md': 'hi\n' });
    commitFiles(dir, { 'backup.tgz': gzipSync(await makeTar([{ name: '.env', data: `OPENAI_API_KEY=${K(9)}\n` }])) });
    commitFiles(dir, { 'README.md': 'hello\n' });
    const { report } = await history(dir);
    expect(report.findings.map((f) => [f.path, f.commit?.exposure?.atHead])).toEqual([['backup.tgz!.env', true]]);
  });

  it('an archive rewritten later: only the keys new in that version are reported at the later commit', async () => {
    const dir = gitRepo({ 'README.md': 'hi\n' });
    const first = commitFiles(dir, { 'app.log.gz': gzipSync(`start\nkey ${K(4)}\n`) });
    const second = commitFiles(dir, { 'app.log.gz': gzipSync(`start\nkey ${K(4)}\nrotated to ${K(5)}\n`) });
    const { report } = await history(dir);
    expect(
      report.findings.map((f) => [
        f.secret === K(4) ? 4 : f.secret === K(5) ? 5 : 0,
        f.commit?.sha === first ? 'first' : f.commit?.sha === second ? 'second' : '?',
      ]),
    ).toEqual([
      [5, 'second'],
      [4, 'first'],
    ]);
  });

  it('a gzip bomb in history is refused with the same limits (exit 2), the rest of history still scanned', async () => {
    const dir = gitRepo({ 'README.md': 'hi\n' });
    commitFiles(dir, { 'dump.gz': gzipSync(Buffer.concat([Buffer.alloc(16 * 1024 * 1024), Buffer.from(`\n${K(6)}\n`)]), { level: 9 }) });
    const later = commitFiles(dir, { '.env': `KEY=${K(7)}\n` });
    const { code, report } = await history(dir);
    expect(code).toBe(2);
    expect(rows(report, { later })).toEqual([['later', '.env', 1, 'commit']]);
    expect(report.summary.errors).toHaveLength(1);
    expect(report.summary.errors[0]!.path).toMatch(/dump\.gz/);
    expect(report.summary.errors[0]!.message).toMatch(/looks like a gzip bomb/);
  });

  it('binary files that are not archives are skipped as before', async () => {
    const dir = gitRepo({ 'README.md': 'hi\n' });
    commitFiles(dir, { 'logo.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), Buffer.from(K(8))]) });
    const { code, report } = await history(dir);
    expect(code).toBe(0);
    expect(report.summary.skipped.binary).toBe(1);
  });
});
