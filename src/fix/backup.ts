// Backups of files keyguard changes, in keyguard's data directory. A backup holds the key, so it is
// private from its first byte: created with O_CREAT|O_EXCL and mode 0600 (never copied with the
// original's mode and chmod-ed after), in a backups folder that is made 0700 whatever it was, under a
// name no other backup can have (time, then random; EEXIST means pick another). The folders above
// keyguard's own (~/.local, ~/.local/share) belong to the user and get the mode `mkdir -p` gives them.
import { chmod, lstat, mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { dataDir } from '../discover/home.js';
import { UsageError } from '../errors.js';
import { release, track } from './temp-files.js';

/** `backups` in keyguard's data directory ($XDG_DATA_HOME/keyguard, else ~/.local/share/keyguard). */
export function backupDir(where: { env: NodeJS.ProcessEnv; platform: NodeJS.Platform }): string {
  const data = dataDir(where.env, where.platform);
  if (!data) throw new UsageError('there is no home directory for backups (HOME is not set): set HOME or XDG_DATA_HOME, or pass --no-backup');
  return join(data, 'backups');
}

/** mkdir with mode 0700 (exactly: the umask could take more); an existing folder is left as it is. */
async function mkdirPrivate(dir: string): Promise<void> {
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw err;
  }
  await chmod(dir, 0o700);
}

/** The backups folder and keyguard's folder above it: 0700; the user's folders above: as mkdir -p makes them. */
export async function ensureBackupDir(dir: string): Promise<void> {
  const own = dirname(dir);
  await mkdir(dirname(own), { recursive: true });
  await mkdirPrivate(own);
  await mkdirPrivate(dir);
  const st = await lstat(dir);
  if (!st.isDirectory()) throw new Error(`the backups folder ${dir} is not a directory (a symbolic link?): no backup is written through it`);
  await chmod(dir, 0o700);
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

const NAME_TRIES = 8;

/** A new, empty, 0600 file in `dir` named after `name`; never one that existed. */
async function createBackup(dir: string, name: string): Promise<{ path: string; fh: FileHandle }> {
  for (let i = 0; ; i++) {
    const path = join(dir, `${name}.${stamp()}.${randomBytes(4).toString('hex')}.bak`);
    try {
      const fh = await open(path, 'wx', 0o600);
      track(path);
      return { path, fh };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || i + 1 >= NAME_TRIES) throw err;
    }
  }
}

const COPY_BYTES = 1024 * 1024;

/** Copy what `src` holds now into a new backup of `name`; returns the backup's path. */
export async function backupFrom(src: FileHandle, name: string, dir: string): Promise<string> {
  await ensureBackupDir(dir);
  const { path, fh } = await createBackup(dir, basename(name));
  try {
    await fh.chmod(0o600); // the umask may have taken the owner's bits too
    const buf = Buffer.allocUnsafe(COPY_BYTES);
    for (let pos = 0; ;) {
      const { bytesRead } = await src.read(buf, 0, COPY_BYTES, pos);
      if (bytesRead === 0) break;
      for (let done = 0; done < bytesRead;) done += (await fh.write(buf, done, bytesRead - done)).bytesWritten;
      pos += bytesRead;
    }
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    release(path);
    throw err;
  }
  await fh.close();
  release(path);
  return path;
}

/** Copy `path` into keyguard's backups (0600, in a 0700 folder); returns the copy's path. */
export async function backupFile(path: string, dir: string): Promise<string> {
  const src = await open(path, 'r');
  try {
    return await backupFrom(src, path, dir);
  } finally {
    await src.close();
  }
}
