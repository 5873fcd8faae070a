// husky: the repository's hooks are files under .husky/ that husky's own wrapper runs (with
// node_modules/.bin on PATH). keyguard adds its line to .husky/pre-commit once, and removes only it.
import { lstat, unlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { noteBackup, rawBytes, readRawIfExists, writeAtomic } from './files.js';
import type { Action, Outcome } from './outcome.js';
import type { HookRepo } from './repo.js';
import { insertLines, joinText, removeLines, splitLines } from './text-lines.js';

/** Any line that already runs keyguard's staged scan (also `node dist/cli.cjs scan --staged` in keyguard itself). */
const RUNS_KEYGUARD = /(?:^|[\s/])(?:keyguard|cli\.c?js)\s+scan\s+--staged\b/;

export async function usesHusky(repo: HookRepo): Promise<boolean> {
  const st = await lstat(join(repo.top, '.husky')).catch(() => undefined);
  if (st?.isDirectory()) return true;
  if (!repo.hooksPath) return false;
  const rel = relative(repo.top, repo.hooksPath);
  return rel === '.husky' || rel.startsWith(`.husky${sep}`);
}

/** One keyguard line in one husky hook file. */
export interface HuskyLine {
  file: 'pre-commit' | 'pre-push';
  /** what follows `keyguard` on the line */
  args: string;
  /** a line that already runs this check, in any spelling */
  runs: RegExp;
  /** first (after a shebang) rather than last: the pre-push line must read git's stdin before anything else */
  first: boolean;
}

/**
 * keyguard's line: `keyguard <args>` (husky puts the top's node_modules/.bin on PATH), or the path
 * install found keyguard at, relative to the top, when that is elsewhere (a monorepo package's).
 */
function lineFor(spec: HuskyLine, keyguardAt?: string): string {
  return keyguardAt && /^[\w./@+-]+$/.test(keyguardAt) ? `${keyguardAt} ${spec.args}` : `keyguard ${spec.args}`;
}

/** A line keyguard wrote: its command, under any path install may have recorded. */
function isOurs(spec: HuskyLine, line: string): boolean {
  const t = line.trim();
  return t === `keyguard ${spec.args}` || (t.endsWith(`/keyguard ${spec.args}`) && /^[\w./@+-]+$/.test(t.slice(0, -` ${spec.args}`.length)));
}

export interface HuskyOutcome {
  action: Action;
  path: string;
  notes: string[];
}

/** Add the line to .husky/<file> (created holding only it when missing); the user's other lines stay as they are. */
export async function addHuskyLine(repo: HookRepo, spec: HuskyLine, keyguardAt?: string): Promise<HuskyOutcome> {
  const line = lineFor(spec, keyguardAt);
  const path = join(repo.top, '.husky', spec.file);
  const notes: string[] = [];
  const current = await readRawIfExists(path);
  if (current !== undefined && current.split('\n').some((l) => spec.runs.test(l))) return { action: 'unchanged', path, notes };
  if (current === undefined) {
    noteBackup(notes, await writeAtomic(path, `${line}\n`, { backups: repo.backups, mode: 0o755 }));
    return { action: 'installed', path, notes };
  }
  const doc = splitLines(current);
  insertLines(doc, spec.first ? (doc.lines[0]?.startsWith('#!') ? 1 : 0) : doc.lines.length, [line]);
  noteBackup(notes, await writeAtomic(path, rawBytes(joinText(doc)), { backups: repo.backups }));
  return { action: 'updated', path, notes };
}

/** Remove exactly keyguard's line; a file left empty was keyguard's and goes, any other gets its own bytes back. */
export async function removeHuskyLine(repo: HookRepo, spec: HuskyLine): Promise<HuskyOutcome> {
  const path = join(repo.top, '.husky', spec.file);
  const notes: string[] = [];
  const current = await readRawIfExists(path);
  if (current === undefined) return { action: 'absent', path, notes };
  const doc = splitLines(current);
  const ours = doc.lines.flatMap((l, i) => (isOurs(spec, l) ? [i] : []));
  if (ours.length === 0) return { action: 'absent', path, notes };
  for (const i of ours.reverse()) removeLines(doc, i, i + 1);
  const rest = joinText(doc);
  // nothing left: the file was keyguard's (install creates it holding only its line); a user's file,
  // even one that is only a shebang or comments, gets its own bytes back
  if (rest === '') await unlink(path);
  else noteBackup(notes, await writeAtomic(path, rawBytes(rest), { backups: repo.backups }));
  return { action: 'removed', path, notes };
}

const PRE_COMMIT: HuskyLine = { file: 'pre-commit', args: 'scan --staged', runs: RUNS_KEYGUARD, first: false };

/** `keyguardAt`: where install found keyguard, relative to the top, when not in the top's node_modules/.bin (src/hook/locate.ts). */
export async function installHusky(repo: HookRepo, keyguardAt?: string): Promise<Outcome> {
  const rel = repo.hooksPath ? relative(repo.top, repo.hooksPath) : undefined;
  const outcome = await addHuskyLine(repo, PRE_COMMIT, keyguardAt);
  if (rel !== '.husky' && rel !== join('.husky', '_')) {
    outcome.notes.unshift(
      'husky is not active in this clone yet (core.hooksPath is not .husky/_): run `npx husky` (or `npm install`, if package.json runs husky in `prepare`)',
    );
  }
  return { via: 'husky', ...outcome };
}

export async function uninstallHusky(repo: HookRepo): Promise<Outcome> {
  return { via: 'husky', ...(await removeHuskyLine(repo, PRE_COMMIT)) };
}
