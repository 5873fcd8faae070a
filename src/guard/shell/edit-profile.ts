// Put keyguard's block into a profile file and take it out: backed up first, written atomically, and
// through a symbolic link to the file it names (a dotfiles repository's ~/.zshrc stays a link).
import { lstat, readFile, realpath, unlink } from 'node:fs/promises';
import { backupDir, backupFile } from '../../fix/backup.js';
import { writeAtomic } from '../../fix/atomic-rewrite.js';
import { HookError } from '../../errors.js';
import { CREATED_NOTE, withBlock, withoutBlock, type BlockEdit } from './profile-block.js';
import { profileText, type ProfileText } from './profile-encoding.js';

export interface Where {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

export interface ProfileEdit {
  /** the profile as the shell names it */
  path: string;
  /** the file written, when `path` is a symbolic link */
  target?: string;
  action: 'installed' | 'updated' | 'unchanged' | 'removed' | 'deleted' | 'absent';
  backup?: string;
}

/** The file behind `path` (links followed) and its text in its own encoding, or undefined when there is none. */
async function load(path: string): Promise<{ target: string; file: ProfileText | undefined }> {
  const st = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (!st) return { target: path, file: undefined };
  let target = path;
  if (st.isSymbolicLink()) {
    target = await realpath(path).catch(() => {
      throw new HookError(`${path} is a symbolic link to a file that does not exist: nothing was changed`);
    });
  }
  return { target, file: profileText(await readFile(target), target) };
}

function edit(path: string, target: string, action: ProfileEdit['action'], backup?: string): ProfileEdit {
  return { path, action, ...(target !== path ? { target } : {}), ...(backup ? { backup } : {}) };
}

/** How the block goes into a file's text: appended (profiles), or placed where the format needs it (atuin's TOML). */
export type PlaceBlock = (text: string, body: readonly string[], path: string) => BlockEdit;

/** Add or refresh the block holding `body` in `path`; a missing file is created holding just the block. */
export async function installBlock(path: string, body: readonly string[], where: Where, place: PlaceBlock = withBlock): Promise<ProfileEdit> {
  const { target, file } = await load(path);
  if (file === undefined) {
    const made = place('', [CREATED_NOTE, ...body], path);
    await writeAtomic(target, Buffer.from(made.text, 'latin1'));
    return edit(path, target, 'installed');
  }
  const next = place(file.text, body, path);
  if (next.action === 'unchanged') return edit(path, target, 'unchanged');
  const backup = await backupFile(target, backupDir(where));
  await writeAtomic(target, file.encode(next.text));
  return edit(path, target, next.action === 'added' ? 'installed' : 'updated', backup);
}

/** Take the block out of `path`, giving back the bytes it had before; a file keyguard made and nothing else uses is deleted. */
export async function uninstallBlock(path: string, where: Where): Promise<ProfileEdit> {
  const { target, file } = await load(path);
  if (file === undefined) return edit(path, target, 'absent');
  const next = withoutBlock(file.text, path);
  if (next.action === 'absent') return edit(path, target, 'absent');
  const backup = await backupFile(target, backupDir(where));
  if (next.createdByKeyguard && next.text === '') {
    await unlink(target);
    return edit(path, target, 'deleted', backup);
  }
  await writeAtomic(target, file.encode(next.text));
  return edit(path, target, 'removed', backup);
}
