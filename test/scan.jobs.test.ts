// A tree read on several threads reports exactly what one thread reports: the same findings in the
// same order, the same counts, skips and notes, whatever kinds of file are mixed in.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFor } from './helpers/keys.js';
import { PROJECT_ROOT, gitEnv, runCli, tempDir, writeFiles } from './helpers/tmp.js';
import { makeZip } from './helpers/zip.js';

/** 1,200 files (past the pool's threshold) with keys, binaries, JSON, an archive and a link spread through. */
function mixedTree(): string {
  const dir = tempDir('kg-jobs-');
  const files: Record<string, string | Buffer> = {};
  for (let i = 0; i < 1200; i++) {
    const folder = `pkg${i % 7}/sub${i % 13}`;
    if (i % 97 === 0) files[`${folder}/settings${i}.env`] = `OPENAI_API_KEY=${keyFor('project_164', i)}\n`;
    else if (i % 89 === 0) files[`${folder}/blob${i}.bin`] = Buffer.from([0, 1, 2, 3, i % 256, 0]);
    else if (i % 83 === 0) files[`${folder}/config${i}.json`] = JSON.stringify({ openai: { key: keyFor('svcacct_167', i) } });
    else files[`${folder}/file${i}.txt`] = `line ${i}\n`.repeat(1 + (i % 40));
  }
  files['pkg3/backup.zip'] = makeZip([{ name: '.env', data: `OPENAI_API_KEY=${keyFor('admin_133', 7)}\n` }]);
  files['.keyguardignore'] = 'pkg6/sub5/\n';
  writeFiles(dir, files);
  symlinkSync(join(dir, 'pkg1/sub1/file1.txt'), join(dir, 'pkg0/link.txt'));
  return dir;
}

describe('scan --jobs', () => {
  it('reports the same findings, in the same order, with the same summary, on 1 and on 3 threads', () => {
    const dir = mixedTree();
    const run = (jobs: string) => {
      // workers from the first batch (by default they join only a read that lasts)
      const r = runCli(['scan', '--format', 'json', '--no-color', '--jobs', jobs, '.'], {
        cwd: dir,
        env: gitEnv({ HOME: dir, OPENAI_API_KEY: '', CODEX_API_KEY: '', KEYGUARD_POOL_AFTER_MS: '0' }),
      });
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as { findings: unknown[]; summary: Record<string, unknown> };
      delete report.summary.durationMs;
      return report;
    };
    const one = run('1');
    const three = run('3');
    expect(three).toEqual(one);
    // 13 .env keys, 14 JSON keys less the one in the ignored folder (config83.json), 1 in the zip; the link is not followed
    expect(one.findings).toHaveLength(13 + 13 + 1);
    expect(one.summary.skipped).toMatchObject({ 'ignored by .keyguardignore': expect.any(Number) });
    expect(one.summary.skipped).toMatchObject({ binary: 12, 'symbolic links (not followed)': 1 }); // blob356.bin is in the ignored folder;
  });

  it('rejects a --jobs that is not a whole number from 1 to 64', () => {
    const dir = tempDir();
    for (const bad of ['0', 'two', '1.5', '65']) {
      const r = runCli(['scan', '--jobs', bad, '.'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--jobs takes a whole number from 1 to 64/);
    }
  });

  it('really reads on worker threads past the threshold, and answers in order', async () => {
    // the built pool (its worker script is JavaScript), on real files
    const pool = (await import(join(PROJECT_ROOT, 'dist', 'sources', 'files', 'read-pool.js'))) as typeof import('../src/sources/files/read-pool.js');
    const { needlesFor } = (await import(join(PROJECT_ROOT, 'dist', 'engine', 'prefilter.js'))) as typeof import('../src/engine/prefilter.js');
    const dir = mixedTree();
    const files = Array.from({ length: 1200 }, (_, i) => {
      const name = i % 97 === 0 ? `settings${i}.env` : i % 89 === 0 ? `blob${i}.bin` : i % 83 === 0 ? `config${i}.json` : `file${i}.txt`;
      const display = `pkg${i % 7}/sub${i % 13}/${name}`;
      return { path: join(dir, display), display };
    });
    const collect = async (jobs: number) => {
      const out = [];
      for await (const batch of pool.readAll(files, needlesFor(), { jobs, startAfterMs: 0 })) out.push(...batch);
      return out.map((p) => (p.kind === 'text' ? { ...p, trace: p.trace ? Buffer.from(p.trace).toString('latin1') : undefined } : p));
    };
    const before = pool.poolStats.workers;
    // three threads: two workers and the main thread, which reads batches from the back meanwhile
    const threaded = await collect(3);
    expect(pool.poolStats.workers - before).toBe(2);
    expect(threaded).toEqual(await collect(1));
    expect(threaded.filter((p) => p.kind === 'text' && p.trace)).toHaveLength(13);
  });
});
