// The pre-commit framework: keyguard as a `repo: local` node hook in .pre-commit-config.yaml, pinned
// to the installing version (pre-commit installs it from npm into its own environment). File names
// are passed so `pre-commit run --all-files` scans the files it lists instead of an empty index diff.
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { HookError } from '../errors.js';
import { noteBackup, rawBytes, readRawIfExists, writeAtomic } from './files.js';
import type { Outcome } from './outcome.js';
import type { HookRepo } from './repo.js';
import { insertLines, joinText, removeLines, splitLines } from './text-lines.js';
import { blockEnd, blockKey, indentOf, inlineKey, joinLines, nextContent } from './yaml-lines.js';

export const PRE_COMMIT_CONFIG = '.pre-commit-config.yaml';

const HAS_KEYGUARD = /^\s*(?:-\s+)?id:\s*['"]?keyguard['"]?\s*(?:#.*)?$/m;

export function preCommitEntry(indent: string, version: string): string[] {
  return [
    `${indent}- repo: local`,
    `${indent}  hooks:`,
    `${indent}    - id: keyguard`,
    `${indent}      name: keyguard (OpenAI API keys)`,
    `${indent}      entry: keyguard scan --staged`,
    `${indent}      language: node`,
    `${indent}      additional_dependencies: ['keyguard@${version}']`,
    `${indent}      pass_filenames: true`,
  ];
}

/** Our entry at `at`, whatever version it pins; returns its length in lines, or 0. */
function entryAt(lines: readonly string[], at: number): number {
  const m = /^(\s*)- repo: local\s*$/.exec(lines[at] ?? '');
  if (!m) return 0;
  const expected = preCommitEntry(m[1]!, '\0');
  for (let k = 1; k < expected.length; k++) {
    const want = expected[k]!;
    const got = lines[at + k];
    if (got === undefined) return 0;
    const ok = want.includes('\0') ? /^\s*additional_dependencies: \['keyguard@[^']*'\]\s*$/.test(got) && indentOf(got) === indentOf(want) : got === want;
    if (!ok) return 0;
  }
  return expected.length;
}

export async function installPreCommit(repo: HookRepo, version: string): Promise<Outcome> {
  const path = join(repo.top, PRE_COMMIT_CONFIG);
  const notes = ['run `pre-commit install` once in each clone if you have not yet: that is what makes git run the framework'];
  const text = await readRawIfExists(path);
  if (text === undefined) {
    noteBackup(notes, await writeAtomic(path, joinLines(['repos:', ...preCommitEntry('  ', version)]), { backups: repo.backups }));
    return { via: 'pre-commit', action: 'installed', path, notes };
  }
  if (HAS_KEYGUARD.test(text)) return { via: 'pre-commit', action: 'unchanged', path, notes };
  const doc = splitLines(text);
  const lines = doc.lines;
  const edit = async (at: number, added: string[]) => {
    insertLines(doc, at, added);
    noteBackup(notes, await writeAtomic(path, rawBytes(joinText(doc)), { backups: repo.backups }));
  };
  const at = blockKey(lines, 'repos');
  if (at < 0) {
    if (inlineKey(lines, 'repos')) {
      throw new HookError(`${PRE_COMMIT_CONFIG} writes 'repos:' inline; add this entry to its list by hand:\n${preCommitEntry('  ', version).join('\n')}`);
    }
    await edit(lines.length, ['repos:', ...preCommitEntry('  ', version)]);
    return { via: 'pre-commit', action: 'updated', path, notes };
  }
  const first = nextContent(lines, at);
  const firstLine = first >= 0 ? lines[first]! : '';
  const indent = first >= 0 && firstLine.trimStart().startsWith('- ') ? ' '.repeat(indentOf(firstLine)) : '  ';
  await edit(blockEnd(lines, at), preCommitEntry(indent, version));
  return { via: 'pre-commit', action: 'updated', path, notes };
}

export async function uninstallPreCommit(repo: HookRepo): Promise<Outcome> {
  const path = join(repo.top, PRE_COMMIT_CONFIG);
  const notes: string[] = [];
  const text = await readRawIfExists(path);
  if (text === undefined) return { via: 'pre-commit', action: 'absent', path, notes: [] };
  const doc = splitLines(text);
  const lines = doc.lines;
  for (let i = 0; i < lines.length; i++) {
    const n = entryAt(lines, i);
    if (n === 0) continue;
    // a `repos:` right above the entry with no other item is the one install added with it (an empty
    // `repos:` is null to YAML, which pre-commit rejects, so it was never the user's alone)
    const at = blockKey(lines, 'repos');
    const from = at >= 0 && at === i - 1 && blockEnd(lines, at) === i + n ? at : i;
    removeLines(doc, from, i + n);
    const rest = joinText(doc);
    if (rest === '') await unlink(path);
    else noteBackup(notes, await writeAtomic(path, rawBytes(rest), { backups: repo.backups }));
    return { via: 'pre-commit', action: 'removed', path, notes };
  }
  if (HAS_KEYGUARD.test(text)) notes.push(`${PRE_COMMIT_CONFIG} has a keyguard hook keyguard install did not write; remove it by hand if you no longer want it`);
  return { via: 'pre-commit', action: 'absent', path, notes };
}
