// Rewriting a file the user owns (a history, a profile, a transcript) without ever losing a byte:
// back up first (0600, in keyguard's data directory), write a temporary file beside it, fsync,
// keep owner and mode, rename over. If the file changed while we worked (a shell appended to it),
// start again from the new content.
import { constants } from 'node:fs';
import { chmod, chown, copyFile, mkdir, open, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface RewriteOptions {
  /** directory for backups; default keyguard's data directory */
  backupDir?: string;
  /** false with --no-backup */
  backup: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface RewriteResult {
  changed: boolean;
  backupPath?: string;
  /** how many times the content changed under us and the work was redone */
  retries: number;
}

/** keyguard's own data directory: $XDG_DATA_HOME/keyguard, else ~/.local/share/keyguard. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_DATA_HOME;
  const home = env.HOME || env.USERPROFILE || homedir();
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'share'), 'keyguard');
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

const MAX_RETRIES = 5;

/** A fresh temporary path in the same directory (so the final rename stays on one file system). */
function tempPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.keyguard-${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Fill a new temporary file beside `path` (created with `mode`), flush it to disk, and return its
 * path for the caller to rename or drop. On failure the temporary file is removed.
 */
export async function writeTemp(path: string, mode: number, fill: (fh: FileHandle) => Promise<unknown>): Promise<string> {
  const tmp = tempPathBeside(path);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fill(fh);
    await fh.chmod(mode); // open() applied the umask
    await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  return tmp;
}

/** Replace `path` with `content` atomically; keeps the old mode unless `mode` is given (new files: 0644). */
export async function writeAtomic(path: string, content: string | Buffer, mode?: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  let finalMode = mode;
  if (finalMode === undefined) {
    try {
      finalMode = (await stat(path)).mode & 0o7777;
    } catch {
      finalMode = 0o644;
    }
  }
  const tmp = await writeTemp(path, finalMode, (fh) => fh.writeFile(content));
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** Copy `path` into keyguard's backup directory (0600, in a 0700 directory); returns the copy's path. */
export async function backupFile(path: string, env?: NodeJS.ProcessEnv, dir = join(dataDir(env), 'backups')): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const backupPath = join(dir, `${basename(path)}.${stamp()}.bak`);
  await copyFile(path, backupPath, constants.COPYFILE_EXCL);
  await chmod(backupPath, 0o600);
  return backupPath;
}

/**
 * Apply `transform` to the file's bytes and replace it atomically. `transform` returns undefined
 * when nothing needs to change.
 */
export async function rewriteFile(path: string, transform: (content: Buffer) => Buffer | undefined, opts: RewriteOptions): Promise<RewriteResult> {
  let retries = 0;
  let backupPath: string | undefined;
  for (;;) {
    const before = await stat(path);
    const content = await readFile(path);
    const next = transform(content);
    if (next === undefined) return { changed: false, retries, ...(backupPath ? { backupPath } : {}) };
    if (opts.backup && backupPath === undefined) backupPath = await backupFile(path, opts.env, opts.backupDir);
    const tmp = await writeTemp(path, before.mode & 0o7777, (fh) => fh.writeFile(next));
    if (typeof process.getuid === 'function') await chown(tmp, before.uid, before.gid).catch(() => undefined);
    // A writer that appended between our read and now would lose its entry: compare and redo.
    const now = await stat(path);
    if (now.size !== before.size || now.mtimeMs !== before.mtimeMs) {
      await unlink(tmp);
      if (++retries > MAX_RETRIES) throw new Error(`${path} keeps changing; try again when nothing is writing to it`);
      continue;
    }
    await rename(tmp, path);
    return { changed: true, retries, ...(backupPath ? { backupPath } : {}) };
  }
}
