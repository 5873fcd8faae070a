// Reading and replacing an agent's config file: a symbolic link is followed (a dotfiles repository's
// settings.json stays a link), the old bytes are backed up before anything changes, and the new ones
// appear atomically. A file keyguard wrote from nothing and that ends up empty again is removed.
import { realpath, unlink } from 'node:fs/promises';
import { readSmallFile } from '../../small-file.js';
import { backupDir, backupFile } from '../../fix/backup.js';
import { writeAtomic } from '../../fix/atomic-rewrite.js';
import { HookError, errorMessage } from '../../errors.js';

export interface ConfigFile {
  /** the path as shown to the user */
  path: string;
  /** where the bytes really are (the link's target) */
  real: string;
  /** undefined: the file does not exist */
  text: string | undefined;
}

export async function readConfig(path: string): Promise<ConfigFile> {
  let real = path;
  try {
    real = await realpath(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new HookError(`cannot read ${path}: ${errorMessage(err)}`);
  }
  // a FIFO or a device under the config's name is not read (it would wait, or never end), nor rewritten
  const f = readSmallFile(real);
  if (f.state === 'absent') return { path, real, text: undefined };
  if (f.state === 'not-a-file') throw new HookError(`${path} is not a regular file: keyguard does not rewrite it; nothing changed`);
  if (f.state !== 'read') throw new HookError(`cannot read ${path}: ${f.state === 'unreadable' ? f.error : 'too large'}`);
  const text = f.bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(f.bytes)) {
    throw new HookError(`${path} is not UTF-8 text: keyguard does not rewrite a file it cannot read; nothing changed`);
  }
  return { path, real, text };
}

export interface Where {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

/** Replace the file's bytes (backing up the old ones); `undefined` removes the file. Returns the backup's path. */
export async function replaceConfig(file: ConfigFile, next: string | undefined, where: Where): Promise<string | undefined> {
  const backup = file.text === undefined ? undefined : await backupFile(file.real, backupDir(where));
  if (next === undefined) await unlink(file.real);
  else await writeAtomic(file.real, next);
  return backup;
}
