// File access for hook installation. Writes are atomic (a temporary file beside the target, flushed,
// then renamed over it), so a crash never leaves a half-written hook or config behind; a file that
// was already there is the user's, and is backed up first.
import { readFile, unlink } from 'node:fs/promises';
import { writeAtomic as replaceAtomically } from '../fix/atomic-rewrite.js';
import { backupFile } from '../fix/backup.js';
import { exists } from '../exists.js';

/** Where backups of the user's files go, asked only when there is a file to back up (src/fix/backup.ts backupDir). */
export type BackupsAt = () => string;

export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** A user's file as latin1 text (one character per byte), so that editing lines keeps every other byte. */
export async function readRawIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'latin1');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Write text read with `readRawIfExists` back as the same bytes. */
export function rawBytes(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** Write `path` atomically; when it already existed, back it up first and return the backup's path. */
export async function writeAtomic(path: string, content: string | Buffer, opts: { backups: BackupsAt; mode?: number }): Promise<string | undefined> {
  const backup = (await exists(path)) ? await backupFile(path, opts.backups()) : undefined;
  try {
    await replaceAtomically(path, content, opts.mode);
  } catch (err) {
    // the file was not changed: its backup is not needed
    if (backup) await unlink(backup).catch(() => undefined);
    throw err;
  }
  return backup;
}

/** Tell the user where the previous version of a file keyguard changed is kept. */
export function noteBackup(notes: string[], backup: string | undefined): void {
  if (backup) notes.push(`the previous version is backed up at ${backup}`);
}
