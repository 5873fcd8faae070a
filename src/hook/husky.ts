// husky: the repository's hooks are files under .husky/ that husky's own wrapper runs (with
// node_modules/.bin on PATH). keyguard adds its line to .husky/pre-commit once, and removes only it.
import { lstat, unlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { noteBackup, readIfExists, writeAtomic } from './files.js';
import type { Outcome } from './outcome.js';
import type { HookRepo } from './repo.js';

export const HUSKY_LINE = 'keyguard scan --staged';

/** Any line that already runs keyguard's staged scan (also `node dist/cli.js scan --staged` in keyguard itself). */
const RUNS_KEYGUARD = /(?:^|[\s/])(?:keyguard|cli\.js)\s+scan\s+--staged\b/;

export async function usesHusky(repo: HookRepo): Promise<boolean> {
  const st = await lstat(join(repo.top, '.husky')).catch(() => undefined);
  if (st?.isDirectory()) return true;
  if (!repo.hooksPath) return false;
  const rel = relative(repo.top, repo.hooksPath);
  return rel === '.husky' || rel.startsWith(`.husky${sep}`);
}

export async function installHusky(repo: HookRepo): Promise<Outcome> {
  const path = join(repo.top, '.husky', 'pre-commit');
  const notes: string[] = [];
  const rel = repo.hooksPath ? relative(repo.top, repo.hooksPath) : undefined;
  if (rel !== '.husky' && rel !== join('.husky', '_')) {
    notes.push('husky is not active in this clone yet (core.hooksPath is not .husky/_): run `npx husky` (or `npm install`, if package.json runs husky in `prepare`)');
  }
  const current = await readIfExists(path);
  if (current !== undefined && current.split('\n').some((l) => RUNS_KEYGUARD.test(l))) return { via: 'husky', action: 'unchanged', path, notes };
  if (current === undefined) {
    noteBackup(notes, await writeAtomic(path, `${HUSKY_LINE}\n`, 0o755));
    return { via: 'husky', action: 'installed', path, notes };
  }
  const sep = current === '' || current.endsWith('\n') ? '' : '\n';
  noteBackup(notes, await writeAtomic(path, `${current}${sep}${HUSKY_LINE}\n`));
  return { via: 'husky', action: 'updated', path, notes };
}

export async function uninstallHusky(repo: HookRepo): Promise<Outcome> {
  const path = join(repo.top, '.husky', 'pre-commit');
  const notes: string[] = [];
  const current = await readIfExists(path);
  const lines = current?.split('\n') ?? [];
  const kept = lines.filter((l) => l.trim() !== HUSKY_LINE);
  if (current === undefined || kept.length === lines.length) return { via: 'husky', action: 'absent', path, notes: [] };
  const rest = kept.join('\n');
  // a file that held only keyguard's line (and perhaps a shebang) was keyguard's to begin with
  if (kept.every((l) => l.trim() === '' || l.startsWith('#!'))) await unlink(path);
  else noteBackup(notes, await writeAtomic(path, rest));
  return { via: 'husky', action: 'removed', path, notes };
}
