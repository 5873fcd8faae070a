// lefthook: a `keyguard` command under `pre-commit: commands:` (and, for the push check, under
// `pre-push: commands:`, with git's stdin passed on) in the repository's lefthook config.
// lefthook runs commands with the shell's PATH, which need not include node_modules/.bin, so a
// repository that has keyguard as a dev dependency gets that path written out.
import { access, unlink } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { HookError } from '../errors.js';
import { noteBackup, rawBytes, readRawIfExists, writeAtomic } from './files.js';
import type { Outcome } from './outcome.js';
import type { HookRepo } from './repo.js';
import { insertLines, joinText, removeLines, splitLines } from './text-lines.js';
import { blockEnd, blockKey, indentOf, inlineKey, joinLines, nextContent } from './yaml-lines.js';

const CONFIG_NAMES = ['lefthook.yml', '.lefthook.yml', 'lefthook.yaml', '.lefthook.yaml'];

const HAS_KEYGUARD = /^\s+keyguard:\s*(?:#.*)?$/m;

async function configPath(top: string): Promise<{ path: string; text: string | undefined }> {
  for (const name of CONFIG_NAMES) {
    const text = await readRawIfExists(join(top, name));
    if (text !== undefined) return { path: join(top, name), text };
  }
  return { path: join(top, CONFIG_NAMES[0]!), text: undefined };
}

/** Which git hook keyguard's command runs in, with what arguments, and what else lefthook must do for it. */
export interface LefthookEntry {
  hook: 'pre-commit' | 'pre-push';
  args: string;
  /** more keys of the command: the pre-push check reads the refs git writes on stdin */
  extra: string[];
}

export const PRE_COMMIT_ENTRY: LefthookEntry = { hook: 'pre-commit', args: 'scan --staged', extra: [] };
export const PRE_PUSH_ENTRY: LefthookEntry = { hook: 'pre-push', args: 'scan --pre-push {1} {2}', extra: ['use_stdin: true'] };

async function command(top: string, spec: LefthookEntry): Promise<string> {
  try {
    await access(join(top, 'node_modules', '.bin', 'keyguard'), constants.X_OK);
    return `node_modules/.bin/keyguard ${spec.args}`;
  } catch {
    return `keyguard ${spec.args}`;
  }
}

function entry(indent: string, unit: string, run: string, spec: LefthookEntry): string[] {
  return [`${indent}keyguard:`, `${indent}${unit}run: ${run}`, ...spec.extra.map((l) => `${indent}${unit}${l}`)];
}

/** `keyguardAt`: where install found keyguard, relative to the top (a monorepo package's; src/hook/locate.ts), where lefthook runs commands. */
export async function installLefthook(repo: HookRepo, keyguardAt?: string, spec: LefthookEntry = PRE_COMMIT_ENTRY): Promise<Outcome> {
  const { path, text } = await configPath(repo.top);
  const run = keyguardAt && /^[\w./@+-]+$/.test(keyguardAt) ? `${keyguardAt} ${spec.args}` : await command(repo.top, spec);
  const notes = ['run `lefthook install` once in each clone if you have not yet: that is what makes git run lefthook'];
  if (text === undefined) {
    noteBackup(notes, await writeAtomic(path, joinLines([`${spec.hook}:`, '  commands:', ...entry('    ', '  ', run, spec)]), { backups: repo.backups }));
    return { via: 'lefthook', action: 'installed', path, notes };
  }
  const doc = splitLines(text);
  const lines = doc.lines;
  const edit = async (at: number, added: string[]) => {
    insertLines(doc, at, added);
    noteBackup(notes, await writeAtomic(path, rawBytes(joinText(doc)), { backups: repo.backups }));
  };
  const at = blockKey(lines, spec.hook);
  if (at < 0) {
    if (inlineKey(lines, spec.hook)) throw new HookError(`${path} writes '${spec.hook}:' inline; add a command running \`${run}\` to it by hand`);
    await edit(lines.length, [`${spec.hook}:`, '  commands:', ...entry('    ', '  ', run, spec)]);
    return { via: 'lefthook', action: 'updated', path, notes };
  }
  const end = blockEnd(lines, at);
  if (lines.slice(at, end).some((l) => HAS_KEYGUARD.test(l))) return { via: 'lefthook', action: 'unchanged', path, notes };
  const first = nextContent(lines, at);
  const unitWidth = first >= 0 && first < end ? indentOf(lines[first]!) : 2;
  const unit = ' '.repeat(unitWidth || 2);
  const cmds = lines.findIndex((l, i) => i > at && i < end && l === `${unit}commands:`);
  if (cmds >= 0) {
    const child = nextContent(lines, cmds);
    const childIndent = child >= 0 && child < end && indentOf(lines[child]!) > unit.length ? ' '.repeat(indentOf(lines[child]!)) : unit + unit;
    await edit(blockEnd(lines, cmds, unit.length), entry(childIndent, unit, run, spec));
  } else {
    await edit(end, [`${unit}commands:`, ...entry(unit + unit, unit, run, spec)]);
  }
  return { via: 'lefthook', action: 'updated', path, notes };
}

export async function uninstallLefthook(repo: HookRepo, spec: LefthookEntry = PRE_COMMIT_ENTRY): Promise<Outcome> {
  const { path, text } = await configPath(repo.top);
  const notes: string[] = [];
  if (text === undefined) return { via: 'lefthook', action: 'absent', path, notes: [] };
  const doc = splitLines(text);
  const lines = doc.lines;
  const at = blockKey(lines, spec.hook);
  if (at < 0) return { via: 'lefthook', action: 'absent', path, notes: [] };
  const end = blockEnd(lines, at);
  const k = lines.findIndex((l, i) => i > at && i < end && HAS_KEYGUARD.test(l));
  if (k < 0) return { via: 'lefthook', action: 'absent', path, notes: [] };
  const kEnd = blockEnd(lines, k, indentOf(lines[k]!));
  // the `commands:` and hook keys right above keyguard's entry, with no other child, are the
  // ones install added with it: they go with it (install writes all three as one run of lines)
  let from = k;
  const cmds = k - 1;
  if (cmds > at && lines[cmds]!.trim() === 'commands:' && blockEnd(lines, cmds, indentOf(lines[cmds]!)) === kEnd) {
    from = cmds;
    if (cmds - 1 === at && end === kEnd) from = at;
  }
  removeLines(doc, from, kEnd);
  const rest = joinText(doc);
  // nothing left: keyguard created the file; a user's file (comments only, as `lefthook install`
  // writes it) gets its own bytes back
  if (rest === '') await unlink(path);
  else noteBackup(notes, await writeAtomic(path, rawBytes(rest), { backups: repo.backups }));
  return { via: 'lefthook', action: 'removed', path, notes };
}
