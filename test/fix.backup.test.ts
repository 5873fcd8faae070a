// Backups and temporary files of --fix: a backup is 0600 from the moment it exists, named so that no
// two collide, in a backups folder made 0700 whatever it was, without touching the mode of the
// user's own folders (~/.local); a failed fix removes or names its backup; Ctrl-C removes temporary
// files.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backupFile } from '../src/fix/backup.js';
import { redactInPlace } from '../src/fix/in-place.js';
import { KeyTargets } from '../src/fix/redact-bytes.js';
import { keyFor } from './helpers/keys.js';
import { PROJECT_ROOT, gitEnv, runCli, tempDir, writeFiles } from './helpers/tmp.js';

const K = (n: number) => keyFor('project_164', 950 + n);

/** Every file created in a backups folder, with its mode right after the call that created it. */
const created = vi.hoisted(() => [] as { path: string; mode: number }[]);

vi.mock('node:fs/promises', async (importOriginal) => {
  const fsp = await importOriginal<typeof import('node:fs/promises')>();
  const { statSync: stat } = await import('node:fs');
  const note = (p: unknown) => {
    if (typeof p === 'string' && p.includes('/backups/') && !created.some((c) => c.path === p)) created.push({ path: p, mode: stat(p).mode & 0o777 });
  };
  const wrapped = {
    ...fsp,
    open: async (...args: Parameters<typeof fsp.open>) => {
      const fh = await fsp.open(...args);
      note(args[0]);
      return fh;
    },
    copyFile: async (...args: Parameters<typeof fsp.copyFile>) => {
      await fsp.copyFile(...args);
      note(args[1]);
    },
    writeFile: async (...args: Parameters<typeof fsp.writeFile>) => {
      await fsp.writeFile(...args);
      note(args[0]);
    },
  };
  return { ...wrapped, default: wrapped };
});

afterEach(() => {
  vi.useRealTimers();
  created.length = 0;
});

/** The mode a new folder gets here (the umask's default). */
function defaultDirMode(): number {
  const d = join(tempDir(), 'probe');
  mkdirSync(d);
  return statSync(d).mode & 0o777;
}

describe('backups', () => {
  it('two files of the same name backed up in the same millisecond: two backups, both 0600', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'a/.envrc': `export OPENAI_API_KEY=${K(1)}\n`, 'b/.envrc': `export OPENAI_API_KEY=${K(2)}\n` });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-03-04T09:12:55.123Z'));
    const backups = join(dir, 'data', 'backups');
    const [a, b] = await Promise.all([backupFile(join(dir, 'a/.envrc'), backups), backupFile(join(dir, 'b/.envrc'), backups)]);
    expect(a).not.toBe(b);
    expect(readdirSync(backups).sort()).toEqual([a, b].map((p) => p.slice(backups.length + 1)).sort());
    expect(readFileSync(a, 'utf8')).toContain(K(1));
    expect(readFileSync(b, 'utf8')).toContain(K(2));
    for (const p of [a, b]) expect(p).toMatch(/\/\.envrc\.2025-03-04T09-12-55-123Z\.[0-9a-f]{8}\.bak$/);
  });

  it('a backup is 0600 from the moment it exists (never created with the original mode, then chmod-ed)', async () => {
    const dir = tempDir();
    writeFiles(dir, { '.zshrc': `export OPENAI_API_KEY=${K(3)}\n` });
    const backup = await backupFile(join(dir, '.zshrc'), join(dir, 'backups'));
    expect(created.map((c) => c.path)).toEqual([backup]);
    expect(created[0]!.mode).toBe(0o600);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
  });

  it('the backups folder is made 0700 whatever it was', async () => {
    const dir = tempDir();
    writeFiles(dir, { '.zshrc': 'x\n' });
    const backups = join(dir, 'keyguard', 'backups');
    mkdirSync(backups, { recursive: true, mode: 0o755 });
    await backupFile(join(dir, '.zshrc'), backups);
    expect(statSync(backups).mode & 0o777).toBe(0o700);
  });

  it('audit --fix creates ~/.local/share/keyguard/backups without changing the mode of ~/.local or ~/.local/share', () => {
    const expected = defaultDirMode();
    for (const existing of [false, true]) {
      const home = tempDir();
      writeFiles(home, { '.bash_history': `k=${K(4)}\n` });
      if (existing) mkdirSync(join(home, '.local'), { mode: 0o755 });
      const env = gitEnv({ HOME: home, OPENAI_API_KEY: '', CODEX_API_KEY: '' });
      delete env.XDG_DATA_HOME;
      delete env.HISTFILE;
      const r = runCli(['audit', '--fix'], { cwd: home, env });
      expect(r.stderr).toContain('backed up (mode 0600)');
      expect(statSync(join(home, '.local')).mode & 0o777).toBe(existing ? 0o755 : expected);
      expect(statSync(join(home, '.local', 'share')).mode & 0o777).toBe(expected);
      expect(statSync(join(home, '.local', 'share', 'keyguard')).mode & 0o777).toBe(0o700);
      expect(statSync(join(home, '.local', 'share', 'keyguard', 'backups')).mode & 0o777).toBe(0o700);
    }
  });

  it('two .envrc files fixed in one run: both keys moved out, each file with its own backup', () => {
    const home = tempDir();
    writeFiles(home, { 'a/.envrc': `export OPENAI_API_KEY=${K(5)}\n`, 'b/.envrc': `export OPENAI_API_KEY=${K(6)}\n` });
    const env = gitEnv({ HOME: home, OPENAI_API_KEY: '', CODEX_API_KEY: '', XDG_DATA_HOME: join(home, 'data') });
    const r = runCli(['audit', '--fix', 'a/.envrc', 'b/.envrc'], { cwd: home, env });
    expect(r.code, r.stderr).toBe(1);
    // a profile's key is read at run time from where --fix put it (test/profile.fix.test.ts)
    expect(readFileSync(join(home, 'a/.envrc'), 'utf8')).toMatch(/^export OPENAI_API_KEY="\$\(.+\)"\n$/);
    expect(readFileSync(join(home, 'b/.envrc'), 'utf8')).toMatch(/^export OPENAI_API_KEY="\$\(.+\)"\n$/);
    expect(readdirSync(join(home, 'data', 'keyguard', 'backups'))).toHaveLength(2);
  });
});

describe('a fix that fails', () => {
  it('before anything was written: its backup is removed', async () => {
    const dir = tempDir();
    const path = join(dir, '.bash_history');
    writeFileSync(path, `k=${K(7)}\n`);
    const backups = join(dir, 'keyguard', 'backups');
    const run = redactInPlace(path, new KeyTargets(new Set([K(7)])), {
      backup: true,
      backupDir: backups,
      hooks: {
        beforeWrite: () => {
          throw new Error('disk full');
        },
      },
    });
    await expect(run).rejects.toThrow(/^disk full$/);
    expect(readdirSync(backups)).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(`k=${K(7)}\n`);
  });

  it('after part was written: the error names the backup, which is kept', async () => {
    const dir = tempDir();
    const path = join(dir, '.bash_history');
    writeFileSync(path, `k=${K(8)}\nk=${K(9)}\n`);
    const backups = join(dir, 'keyguard', 'backups');
    let writes = 0;
    const run = redactInPlace(path, new KeyTargets(new Set([K(8), K(9)])), {
      backup: true,
      backupDir: backups,
      hooks: {
        beforeWrite: () => {
          if (writes++ === 1) throw new Error('disk full');
        },
      },
    });
    await expect(run).rejects.toThrow(/^disk full; 1 occurrence was already redacted, and the original is backed up at .*\.bash_history\..*\.bak$/);
    const kept = readdirSync(backups);
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(backups, kept[0]!), 'utf8')).toBe(`k=${K(8)}\nk=${K(9)}\n`);
  });
});

describe('Ctrl-C', () => {
  it('a temporary file being written is removed, and the process dies of SIGINT', async () => {
    const dir = tempDir();
    const module = pathToFileURL(join(PROJECT_ROOT, 'dist', 'fix', 'atomic-rewrite.js')).href;
    const script = `
      const { writeTemp } = await import(process.argv[1]);
      setInterval(() => {}, 1000);
      await writeTemp(process.argv[2], 0o600, async (fh) => {
        await fh.write('half of a copy');
        process.stdout.write('writing\\n');
        await new Promise(() => {});
      });
    `;
    const args = ['--input-type=module', '-e', script, module, join(dir, 'export.redacted.zip')];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.on('data', (b: Buffer) => b.toString().includes('writing') && resolve()));
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toHaveLength(1);
    type Exit = { code: number | null; signal: NodeJS.Signals | null };
    const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.kill('SIGINT');
    const { code, signal } = await exited;
    expect(signal === 'SIGINT' || code === 130).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });
});
