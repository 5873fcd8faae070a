// The pre-push check in husky's form: one line in .husky/pre-push, which husky's wrapper runs with
// git's arguments and stdin (and node_modules/.bin on PATH). The line goes first, after a shebang:
// git writes the refs being pushed on stdin once, and a command before keyguard's could read them.
// Uninstall removes that line and nothing else (text-lines.ts gives back the user's exact bytes).
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { noteBackup, rawBytes, readRawIfExists, writeAtomic } from './files.js';
import type { PushHookOutcome } from './push-hooks.js';
import type { HookRepo } from './repo.js';
import { insertLines, joinText, removeLines, splitLines } from './text-lines.js';

export const HUSKY_PRE_PUSH_LINE = 'keyguard scan --pre-push "$@"';

/** A line that already runs keyguard's push check. */
const RUNS_KEYGUARD = /(?:^|[\s/])(?:keyguard|cli\.js)\s+scan\s+--pre-push\b/;

export async function installHuskyPrePush(repo: HookRepo): Promise<PushHookOutcome> {
  const path = join(repo.top, '.husky', 'pre-push');
  const notes: string[] = [];
  const current = await readRawIfExists(path);
  if (current !== undefined && current.split('\n').some((l) => RUNS_KEYGUARD.test(l))) return { hook: 'pre-push', action: 'unchanged', path, notes };
  if (current === undefined) {
    noteBackup(notes, await writeAtomic(path, `${HUSKY_PRE_PUSH_LINE}\n`, { backups: repo.backups, mode: 0o755 }));
    return { hook: 'pre-push', action: 'installed', path, notes };
  }
  const doc = splitLines(current);
  insertLines(doc, doc.lines[0]?.startsWith('#!') ? 1 : 0, [HUSKY_PRE_PUSH_LINE]);
  noteBackup(notes, await writeAtomic(path, rawBytes(joinText(doc)), { backups: repo.backups }));
  notes.push('keyguard\'s line runs first in .husky/pre-push: it reads the refs git writes on stdin, which a command before it could consume');
  return { hook: 'pre-push', action: 'updated', path, notes };
}

export async function uninstallHuskyPrePush(repo: HookRepo): Promise<PushHookOutcome> {
  const path = join(repo.top, '.husky', 'pre-push');
  const notes: string[] = [];
  const current = await readRawIfExists(path);
  if (current === undefined) return { hook: 'pre-push', action: 'absent', path, notes };
  const doc = splitLines(current);
  const ours = doc.lines.flatMap((l, i) => (l.trim() === HUSKY_PRE_PUSH_LINE ? [i] : []));
  if (ours.length === 0) return { hook: 'pre-push', action: 'absent', path, notes };
  for (const i of ours.reverse()) removeLines(doc, i, i + 1);
  const rest = joinText(doc);
  // nothing left: keyguard created the file
  if (rest === '') await unlink(path);
  else noteBackup(notes, await writeAtomic(path, rawBytes(rest), { backups: repo.backups }));
  return { hook: 'pre-push', action: 'removed', path, notes };
}
