// The plain git hook: hooks/pre-commit copied into the hooks directory. A hook that is already there
// and is not keyguard's is never overwritten: it is moved beside ours as pre-commit.keyguard-chained,
// our script runs it first (both run, either can block), and uninstall moves it back.
import { lstat, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { HookError } from '../errors.js';
import { noteBackup, readIfExists, writeAtomic } from './files.js';
import type { Outcome } from './outcome.js';
import type { HookRepo } from './repo.js';
import { hookScript, isKeyguardHook } from './script.js';

export const CHAINED_NAME = 'pre-commit.keyguard-chained';

async function present(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Content of a hook file; a symlink or directory counts as foreign content we must not read into. */
async function hookContent(path: string): Promise<string | undefined> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return undefined;
  if (!st.isFile()) return '';
  return (await readIfExists(path)) ?? '';
}

export async function installNative(repo: HookRepo): Promise<Outcome> {
  const hook = join(repo.hooksDir, 'pre-commit');
  const chained = join(repo.hooksDir, CHAINED_NAME);
  const script = await hookScript();
  const current = await hookContent(hook);
  const notes: string[] = [];
  if (current !== undefined && isKeyguardHook(current)) {
    const mode = (await lstat(hook)).mode & 0o777;
    if (current === script && (mode & 0o111) !== 0) return { via: 'git', action: 'unchanged', path: hook, notes };
    noteBackup(notes, await writeAtomic(hook, script, 0o755));
    return { via: 'git', action: 'updated', path: hook, notes };
  }
  if (current !== undefined) {
    if (await present(chained)) {
      throw new HookError(
        `${hook} is not keyguard's hook, and ${chained} (a hook keyguard chained earlier) is still there. ` +
          'Decide which of the two to keep (merge them into one file if both matter), delete the other, then run keyguard install again.',
      );
    }
    await rename(hook, chained);
    try {
      noteBackup(notes, await writeAtomic(hook, script, 0o755));
    } catch (err) {
      await rename(chained, hook).catch(() => undefined);
      throw err;
    }
    notes.push(`your existing pre-commit hook now runs from ${CHAINED_NAME}, before keyguard; either can block a commit, and keyguard uninstall puts it back`);
    return { via: 'git', action: 'installed', path: hook, notes };
  }
  noteBackup(notes, await writeAtomic(hook, script, 0o755));
  return { via: 'git', action: 'installed', path: hook, notes };
}

export async function uninstallNative(repo: HookRepo): Promise<Outcome> {
  const hook = join(repo.hooksDir, 'pre-commit');
  const chained = join(repo.hooksDir, CHAINED_NAME);
  const current = await hookContent(hook);
  const notes: string[] = [];
  if (current === undefined || !isKeyguardHook(current)) {
    if (await present(chained)) notes.push(`${chained} is left in place: the pre-commit hook is no longer keyguard's, so it is not restored over it`);
    return { via: 'git', action: 'absent', path: hook, notes };
  }
  if (await present(chained)) {
    await rename(chained, hook);
    notes.push('your earlier pre-commit hook is back in place');
    return { via: 'git', action: 'restored', path: hook, notes };
  }
  await unlink(hook);
  return { via: 'git', action: 'removed', path: hook, notes };
}
