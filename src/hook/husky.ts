// husky: the repository's hooks are files under .husky/ that husky's own wrapper runs (with
// node_modules/.bin on PATH). keyguard adds its line to .husky/pre-commit once, and removes only it.
import { lstat, unlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { noteBackup, rawBytes, readRawIfExists, writeAtomic } from './files.js';
import type { Outcome } from './outcome.js';
import type { HookRepo } from './repo.js';
import { insertLines, joinText, removeLines, splitLines } from './text-lines.js';

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
  const current = await readRawIfExists(path);
  if (current !== undefined && current.split('\n').some((l) => RUNS_KEYGUARD.test(l))) return { via: 'husky', action: 'unchanged', path, notes };
  if (current === undefined) {
    noteBackup(notes, await writeAtomic(path, `${HUSKY_LINE}\n`, { backups: repo.backups, mode: 0o755 }));
    return { via: 'husky', action: 'installed', path, notes };
  }
  const doc = splitLines(current);
  insertLines(doc, doc.lines.length, [HUSKY_LINE]);
  noteBackup(notes, await writeAtomic(path, rawBytes(joinText(doc)), { backups: repo.backups }));
  return { via: 'husky', action: 'updated', path, notes };
}

export async function uninstallHusky(repo: HookRepo): Promise<Outcome> {
  const path = join(repo.top, '.husky', 'pre-commit');
  const notes: string[] = [];
  const current = await readRawIfExists(path);
  if (current === undefined) return { via: 'husky', action: 'absent', path, notes: [] };
  const doc = splitLines(current);
  const ours = doc.lines.flatMap((l, i) => (l.trim() === HUSKY_LINE ? [i] : []));
  if (ours.length === 0) return { via: 'husky', action: 'absent', path, notes: [] };
  for (const i of ours.reverse()) removeLines(doc, i, i + 1);
  const rest = joinText(doc);
  // nothing left: the file was keyguard's (install creates it holding only its line); a user's file,
  // even one that is only a shebang or comments, gets its own bytes back
  if (rest === '') await unlink(path);
  else noteBackup(notes, await writeAtomic(path, rawBytes(rest), { backups: repo.backups }));
  return { via: 'husky', action: 'removed', path, notes };
}
