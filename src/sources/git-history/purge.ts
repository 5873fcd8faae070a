// How to get keys out of history: a replacements file for `git filter-repo --replace-text` that holds
// patterns, not keys, and the exact commands for what a pattern cannot reach.
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { MARKER } from '../../engine/rules.js';
import type { Finding } from '../../types.js';
import { archiveOf } from './archives.js';
import { MESSAGE_PATH } from './introduced.js';

const KEY_CLASS = '[A-Za-z0-9_-]';

function pyEscape(s: string): string {
  return s.replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`);
}

/**
 * A `regex:` line matching exactly this key, built only from what the redacted form already shows
 * (prefix, first and last four characters) plus its length and the public `T3BlbkFJ` marker: it
 * names the key without containing it. Undefined when no such pattern can be built.
 */
export function replacementLine(f: Finding): string | undefined {
  if (f.decoded) return undefined;
  const cut = f.redacted.indexOf('…');
  if (cut < 0) return undefined;
  const head = f.redacted.slice(0, cut);
  const tail = f.redacted.slice(cut + 1);
  const s = f.secret;
  if (head.includes('*') || tail.length === 0 || !s.startsWith(head) || !s.endsWith(tail) || s.length < head.length + tail.length) return undefined;
  const middle = s.slice(head.length, s.length - tail.length);
  const cls = /^[A-Za-z0-9_-]*$/.test(middle) ? KEY_CLASS : '[^\\r\\n]';
  const at = middle.indexOf(MARKER);
  const body = at >= 0 ? `${repeat(cls, at)}${MARKER}${repeat(cls, middle.length - at - MARKER.length)}` : repeat(cls, middle.length);
  return `regex:${pyEscape(head)}${body}${pyEscape(tail)}==>***REMOVED-OPENAI-KEY-${f.fingerprint}***`;
}

function repeat(cls: string, n: number): string {
  return n === 0 ? '' : `${cls}{${n}}`;
}

/** POSIX-shell single quoting, for paths in printed commands. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface PurgePlan {
  /** the replacements file content (sorted, one line per key), empty when no pattern applies */
  lines: string[];
  /** keys in messages: the same file also goes to --replace-message */
  inMessages: boolean;
  /** paths whose keys no text pattern reaches, and how each key is written there: the file has to go, by path */
  encodedPaths: { path: string; how: string[] }[];
}

/** How a key that no pattern reaches is written: what the purge advice says happened to it. */
function howWritten(f: Finding): string {
  if (f.decoded === 'joined') return 'split into pieces across lines or strings (keyguard joined them to find it)';
  return f.decoded ? `${f.decoded}-encoded` : 'written in a way no pattern matches';
}

export function purgePlan(findings: readonly Finding[]): PurgePlan {
  const lines = new Set<string>();
  const encoded = new Map<string, Set<string>>();
  const add = (path: string, how: string): void => {
    const set = encoded.get(path) ?? new Set<string>();
    set.add(how);
    encoded.set(path, set);
  };
  let inMessages = false;
  for (const f of findings) {
    if (f.kind !== 'commit') continue;
    if (f.location.path === MESSAGE_PATH) inMessages = true;
    // inside a committed archive the key is compressed: no text pattern reaches it, the archive goes
    const archive = archiveOf(f.location.path);
    if (archive) {
      add(archive, 'compressed inside the archive');
      continue;
    }
    const line = replacementLine(f);
    if (line) lines.add(line);
    else if (f.location.path !== MESSAGE_PATH) add(f.location.path, howWritten(f));
  }
  const encodedPaths = [...encoded.keys()].sort().map((path) => ({ path, how: [...encoded.get(path)!] }));
  return { lines: [...lines].sort(), inMessages, encodedPaths };
}

/** A symbolic link at `path` (a dangling one too); false when nothing is there. */
async function isLink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Write the replacements file into the git dir (never into the work tree); its path, or an error
 * text. Never through a symbolic link planted at the file or its folder (it would make keyguard
 * overwrite whatever the link names): a new file is written beside it, opened O_EXCL|O_NOFOLLOW,
 * and renamed over the old one, which replaces a link instead of following it; a link is refused.
 */
export async function writeReplacements(gitDir: string, lines: readonly string[]): Promise<{ path: string } | { error: string }> {
  const dir = join(gitDir, 'keyguard');
  const path = join(dir, 'filter-repo-replacements.txt');
  let temp: string | undefined;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (await isLink(dir)) return { error: `${dir} is a symbolic link: refusing to write through it` };
    if (await isLink(path)) return { error: `${path} is a symbolic link: refusing to write through it` };
    temp = join(dir, `.filter-repo-replacements.${randomBytes(6).toString('hex')}.tmp`);
    const f = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      await f.writeFile(`${lines.join('\n')}\n`);
    } finally {
      await f.close();
    }
    await rename(temp, path);
    temp = undefined;
    return { path };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  } finally {
    if (temp) await unlink(temp).catch(() => undefined);
  }
}

/** The commands, in the order to run them, as notes under the findings. */
export function purgeNotes(plan: PurgePlan, file: { path: string } | { error: string } | undefined, remote?: boolean): string[] {
  const notes: string[] = [];
  if (plan.lines.length > 0 && file) {
    if ('path' in file) {
      const p = shellQuote(file.path);
      notes.push(
        `purge: ${file.path} holds one git filter-repo pattern per key (built from what the redacted form shows, the prefix and first and last four characters, plus the length: not the key). ` +
          `In a fresh clone (git clone --mirror), after revoking: git filter-repo --replace-text ${p}${plan.inMessages ? ` --replace-message ${p}` : ''}; ` +
          (remote === false
            ? 'check with keyguard scan --history. This repository has no remote: there is nothing to force-push.'
            : `check with keyguard scan --history; then force-push every branch and tag (git push --force --all && git push --force --tags; filter-repo removes the origin remote, so add it back first) and have collaborators re-clone.`),
      );
    } else {
      notes.push(
        `purge: could not write the filter-repo replacements file (${file.error}); these lines are patterns, not keys: save them to a file and run git filter-repo --replace-text FILE: ${plan.lines.join('  ')}`,
      );
    }
  }
  for (const { path, how } of plan.encodedPaths) {
    notes.push(
      `purge: the key in ${path} is ${how.join(', and ')}, which a text pattern cannot reach: ` +
        `remove the file from all history with git filter-repo --invert-paths --path ${shellQuote(path)} (then add a clean version back).`,
    );
  }
  return notes;
}
