// keyguard's hook scripts as plain git hooks: hooks/<name> copied into a hooks directory (pre-commit
// and pre-push in a work tree's, pre-receive in a bare repository's). A hook that is already there
// and is not keyguard's is never overwritten: it is moved beside ours as `<name>.keyguard-chained`,
// our script runs it first (with the same arguments and input; both run, either can block), and
// uninstall renames it back, so the user gets the very same file (bytes and mode) back.
import { lstat, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { HookError } from '../errors.js';
import { noteBackup, readIfExists, writeAtomic, type BackupsAt } from './files.js';
import type { Action, Outcome } from './outcome.js';
import type { HookRepo } from './repo.js';
import { hookScript, isKeyguardHook, withInstalledKeyguard, type HookName } from './script.js';

export function chainedName(name: HookName): string {
  return `${name}.keyguard-chained`;
}

/** A hooks directory, and where backups of the files changed in it go. */
export interface HooksDir {
  hooksDir: string;
  backups: BackupsAt;
}

export interface ScriptHookOutcome {
  action: Action;
  /** the hook file written or removed */
  path: string;
  notes: string[];
}

async function present(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}

/** Content of a hook file; a symlink or directory counts as foreign content we must not read into. */
async function hookContent(path: string): Promise<string | undefined> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return undefined;
  if (!st.isFile()) return '';
  return (await readIfExists(path)) ?? '';
}

export async function installScriptHook(name: HookName, where: HooksDir, keyguardAt?: string): Promise<ScriptHookOutcome> {
  const path = join(where.hooksDir, name);
  const chained = join(where.hooksDir, chainedName(name));
  const script = withInstalledKeyguard(await hookScript(name), keyguardAt);
  const current = await hookContent(path);
  const notes: string[] = [];
  if (current !== undefined && isKeyguardHook(name, current)) {
    const mode = (await lstat(path)).mode & 0o777;
    if (current === script && (mode & 0o111) !== 0) return { action: 'unchanged', path, notes };
    noteBackup(notes, await writeAtomic(path, script, { backups: where.backups, mode: 0o755 }));
    return { action: 'updated', path, notes };
  }
  if (current !== undefined) {
    if (await present(chained)) {
      throw new HookError(
        `${path} is not keyguard's hook, and ${chained} (a hook keyguard chained earlier) is still there. ` +
          'Decide which of the two to keep (merge them into one file if both matter), delete the other, then run keyguard install again.',
      );
    }
    await rename(path, chained);
    try {
      noteBackup(notes, await writeAtomic(path, script, { backups: where.backups, mode: 0o755 }));
    } catch (err) {
      await rename(chained, path).catch(() => undefined);
      throw err;
    }
    notes.push(
      name === 'pre-commit'
        ? `your existing pre-commit hook now runs from ${chainedName(name)}, before keyguard; either can block a commit, and keyguard uninstall puts it back`
        : `your existing ${name} hook now runs from ${chainedName(name)}, before keyguard, with the same input; either can block, and keyguard uninstall puts it back`,
    );
    return { action: 'installed', path, notes };
  }
  noteBackup(notes, await writeAtomic(path, script, { backups: where.backups, mode: 0o755 }));
  return { action: 'installed', path, notes };
}

export async function uninstallScriptHook(name: HookName, where: HooksDir): Promise<ScriptHookOutcome> {
  const path = join(where.hooksDir, name);
  const chained = join(where.hooksDir, chainedName(name));
  const current = await hookContent(path);
  const notes: string[] = [];
  if (current === undefined || !isKeyguardHook(name, current)) {
    if (await present(chained)) notes.push(`${chained} is left in place: the ${name} hook is no longer keyguard's, so it is not restored over it`);
    return { action: 'absent', path, notes };
  }
  if (await present(chained)) {
    await rename(chained, path);
    notes.push(`your earlier ${name} hook is back in place`);
    return { action: 'restored', path, notes };
  }
  await unlink(path);
  return { action: 'removed', path, notes };
}

/** `keyguardAt`: where the hook should look for keyguard besides its usual places (src/hook/locate.ts). */
export async function installNative(repo: HookRepo, keyguardAt?: string): Promise<Outcome> {
  return { via: 'git', ...(await installScriptHook('pre-commit', repo, keyguardAt)) };
}

export async function uninstallNative(repo: HookRepo): Promise<Outcome> {
  return { via: 'git', ...(await uninstallScriptHook('pre-commit', repo)) };
}
