// lefthook: a `keyguard` command under `pre-commit: commands:` in the repository's lefthook config.
// lefthook runs commands with the shell's PATH, which need not include node_modules/.bin, so a
// repository that has keyguard as a dev dependency gets that path written out.
import { access, unlink } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { HookError } from '../errors.js';
import { noteBackup, readIfExists, writeAtomic } from './files.js';
import type { Outcome } from './outcome.js';
import type { HookRepo } from './repo.js';
import { blockEnd, blockKey, indentOf, inlineKey, isContent, joinLines, nextContent } from './yaml-lines.js';

const CONFIG_NAMES = ['lefthook.yml', '.lefthook.yml', 'lefthook.yaml', '.lefthook.yaml'];

const HAS_KEYGUARD = /^\s+keyguard:\s*(?:#.*)?$/m;

async function configPath(top: string): Promise<{ path: string; text: string | undefined }> {
  for (const name of CONFIG_NAMES) {
    const text = await readIfExists(join(top, name));
    if (text !== undefined) return { path: join(top, name), text };
  }
  return { path: join(top, CONFIG_NAMES[0]!), text: undefined };
}

async function command(top: string): Promise<string> {
  try {
    await access(join(top, 'node_modules', '.bin', 'keyguard'), constants.X_OK);
    return 'node_modules/.bin/keyguard scan --staged';
  } catch {
    return 'keyguard scan --staged';
  }
}

function entry(indent: string, unit: string, run: string): string[] {
  return [`${indent}keyguard:`, `${indent}${unit}run: ${run}`];
}

export async function installLefthook(repo: HookRepo): Promise<Outcome> {
  const { path, text } = await configPath(repo.top);
  const run = await command(repo.top);
  const notes = ['run `lefthook install` once in each clone if you have not yet: that is what makes git run lefthook'];
  if (text === undefined) {
    noteBackup(notes, await writeAtomic(path, joinLines(['pre-commit:', '  commands:', ...entry('    ', '  ', run)])));
    return { via: 'lefthook', action: 'installed', path, notes };
  }
  const lines = text.replace(/\n$/, '').split('\n');
  const at = blockKey(lines, 'pre-commit');
  if (at < 0) {
    if (inlineKey(lines, 'pre-commit')) throw new HookError(`${path} writes 'pre-commit:' inline; add a command running \`${run}\` to it by hand`);
    noteBackup(notes, await writeAtomic(path, joinLines([...lines, 'pre-commit:', '  commands:', ...entry('    ', '  ', run)])));
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
    const cmdEnd = blockEnd(lines, cmds, unit.length);
    noteBackup(notes, await writeAtomic(path, joinLines([...lines.slice(0, cmdEnd), ...entry(childIndent, unit, run), ...lines.slice(cmdEnd)])));
  } else {
    noteBackup(notes, await writeAtomic(path, joinLines([...lines.slice(0, end), `${unit}commands:`, ...entry(unit + unit, unit, run), ...lines.slice(end)])));
  }
  return { via: 'lefthook', action: 'updated', path, notes };
}

export async function uninstallLefthook(repo: HookRepo): Promise<Outcome> {
  const { path, text } = await configPath(repo.top);
  const notes: string[] = [];
  if (text === undefined) return { via: 'lefthook', action: 'absent', path, notes: [] };
  const lines = text.replace(/\n$/, '').split('\n');
  const at = blockKey(lines, 'pre-commit');
  if (at < 0) return { via: 'lefthook', action: 'absent', path, notes: [] };
  const end = blockEnd(lines, at);
  const k = lines.findIndex((l, i) => i > at && i < end && HAS_KEYGUARD.test(l));
  if (k < 0) return { via: 'lefthook', action: 'absent', path, notes: [] };
  const kEnd = blockEnd(lines, k, indentOf(lines[k]!));
  const kept = [...lines.slice(0, k), ...lines.slice(kEnd)];
  // drop a `commands:` and then a `pre-commit:` that keyguard's entry was the only child of
  const cmds = kept.findIndex((l, i) => i > at && i < blockEnd(kept, at) && l.trim() === 'commands:');
  if (cmds >= 0 && blockEnd(kept, cmds, indentOf(kept[cmds]!)) === cmds + 1) kept.splice(cmds, 1);
  if (blockEnd(kept, at) === at + 1) kept.splice(at, 1);
  if (!kept.some(isContent)) await unlink(path);
  else noteBackup(notes, await writeAtomic(path, joinLines(kept)));
  return { via: 'lefthook', action: 'removed', path, notes };
}
