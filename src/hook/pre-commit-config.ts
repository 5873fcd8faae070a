// The pre-commit framework: keyguard as a `repo: local` hook in .pre-commit-config.yaml. A keyguard
// installed in the project (a tarball, a git URL: keyguard is not on the npm registry yet) runs as a
// `language: system` hook from where install found it; only a keyguard that npm installed from the
// registry gets the `language: node` form, which has pre-commit install it from npm into its own
// environment, pinned to the installing version. File names are passed so `pre-commit run
// --all-files` scans the files it lists instead of an empty index diff.
import { readFile, unlink } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { HookError } from '../errors.js';
import { noteBackup, rawBytes, readRawIfExists, writeAtomic } from './files.js';
import type { KeyguardLocation } from './locate.js';
import type { Outcome } from './outcome.js';
import type { HookRepo } from './repo.js';
import { insertLines, joinText, removeLines, splitLines } from './text-lines.js';
import { blockEnd, blockKey, indentOf, inlineKey, joinLines, nextContent } from './yaml-lines.js';

export const PRE_COMMIT_CONFIG = '.pre-commit-config.yaml';

const HAS_KEYGUARD = /^\s*(?:-\s+)?id:\s*['"]?keyguard['"]?\s*(?:#.*)?$/m;

/** How the entry runs keyguard: from the registry (pre-commit installs it), or the one already installed. */
export type PreCommitForm = { registry: string } | { command: string };

/** A path as one word of pre-commit's `entry` (which pre-commit splits like a POSIX shell). */
function shellWord(path: string): string {
  return /^[\w./@+-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\"'\"'")}'`;
}

/** The form for the keyguard install found: the registry one only for a registry install. */
export async function preCommitForm(where: KeyguardLocation, version: string): Promise<PreCommitForm> {
  if (where.found && (await fromRegistry(where.found))) return { registry: version };
  // pre-commit runs hooks from the top of the work tree, where a relative recorded path starts
  if (where.found) return { command: (where.recorded ?? 'node_modules/.bin/keyguard').split(sep).join('/') };
  return { command: 'keyguard' };
}

/** Whether npm installed the package behind `<dir>/node_modules/.bin/keyguard` from a registry (its lockfile says where from). */
async function fromRegistry(bin: string): Promise<boolean> {
  const modules = dirname(dirname(bin));
  const lock = await readFile(join(modules, '.package-lock.json'), 'utf8').catch(() => undefined);
  if (lock === undefined) return false;
  try {
    const entry = (JSON.parse(lock) as { packages?: Record<string, { resolved?: unknown }> }).packages?.['node_modules/keyguard'];
    return typeof entry?.resolved === 'string' && /^https?:\/\/[^ ]+\/keyguard\/-\/keyguard-[^/]+\.tgz$/.test(entry.resolved);
  } catch {
    return false;
  }
}

export function preCommitEntry(indent: string, form: PreCommitForm): string[] {
  const head = [`${indent}- repo: local`, `${indent}  hooks:`, `${indent}    - id: keyguard`, `${indent}      name: keyguard (OpenAI API keys)`];
  const run =
    'registry' in form
      ? [
          `${indent}      entry: keyguard scan --staged`,
          `${indent}      language: node`,
          `${indent}      additional_dependencies: ['keyguard@${form.registry}']`,
        ]
      : [`${indent}      entry: ${shellWord(form.command)} scan --staged`, `${indent}      language: system`];
  return [...head, ...run, `${indent}      pass_filenames: true`];
}

/** Our entry at `at`, in either form, whatever it runs or pins; returns its length in lines, or 0. */
function entryAt(lines: readonly string[], at: number): number {
  const m = /^(\s*)- repo: local\s*$/.exec(lines[at] ?? '');
  if (!m) return 0;
  const i = m[1]!;
  const item = `${i}      `;
  const head = [`${i}  hooks:`, `${i}    - id: keyguard`, `${item}name: keyguard (OpenAI API keys)`];
  const shapes: Array<Array<string | RegExp>> = [
    [
      ...head,
      `${item}entry: keyguard scan --staged`,
      `${item}language: node`,
      /^additional_dependencies: \['keyguard@[^']*'\]\s*$/,
      `${item}pass_filenames: true`,
    ],
    [...head, /^entry: \S.* scan --staged$/, `${item}language: system`, `${item}pass_filenames: true`],
  ];
  for (const shape of shapes) {
    const ok = shape.every((want, k) => {
      const got = lines[at + 1 + k];
      if (got === undefined) return false;
      return typeof want === 'string' ? got === want : got.startsWith(item) && want.test(got.slice(item.length));
    });
    if (ok) return shape.length + 1;
  }
  return 0;
}

export async function installPreCommit(repo: HookRepo, form: PreCommitForm): Promise<Outcome> {
  const path = join(repo.top, PRE_COMMIT_CONFIG);
  const notes = ['run `pre-commit install` once in each clone if you have not yet: that is what makes git run the framework'];
  const text = await readRawIfExists(path);
  if (text === undefined) {
    noteBackup(notes, await writeAtomic(path, joinLines(['repos:', ...preCommitEntry('  ', form)]), { backups: repo.backups }));
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
      throw new HookError(`${PRE_COMMIT_CONFIG} writes 'repos:' inline; add this entry to its list by hand:\n${preCommitEntry('  ', form).join('\n')}`);
    }
    await edit(lines.length, ['repos:', ...preCommitEntry('  ', form)]);
    return { via: 'pre-commit', action: 'updated', path, notes };
  }
  const first = nextContent(lines, at);
  const firstLine = first >= 0 ? lines[first]! : '';
  const indent = first >= 0 && firstLine.trimStart().startsWith('- ') ? ' '.repeat(indentOf(firstLine)) : '  ';
  await edit(blockEnd(lines, at), preCommitEntry(indent, form));
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
  if (HAS_KEYGUARD.test(text))
    notes.push(`${PRE_COMMIT_CONFIG} has a keyguard hook keyguard install did not write; remove it by hand if you no longer want it`);
  return { via: 'pre-commit', action: 'absent', path, notes };
}
