// Files keyguard writes whole: hook scripts and hook configs it installs, and the redacted copies
// of exports. They appear only once complete: a temporary file beside the target, fsync, rename. A
// temporary file is removed on failure and on Ctrl-C (temp-files.ts).
//
// Never used to redact a file the user already has (a history, a profile, a transcript): a rename
// puts a new file at the path, and every process that holds the old one open (a running shell or
// agent appending to it) goes on writing into the deleted copy, and every other hard link keeps the
// key. Those files are redacted in place: see in-place.ts.
import { mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { nodeCrypto } from '../builtin.js';
import { release, track } from './temp-files.js';

/** A fresh temporary path in the same directory (so the final rename stays on one file system). */
function tempPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.keyguard-${nodeCrypto().randomBytes(6).toString('hex')}.tmp`);
}

/** A complete, flushed temporary file, waiting to be renamed over its target or dropped. */
export interface TempFile {
  path: string;
  /** rename it over the target */
  commit(): Promise<void>;
  /** remove it */
  discard(): Promise<void>;
}

/**
 * Fill a new temporary file beside `target` (created with `mode`), flush it to disk, and return it
 * for the caller to commit or discard. On failure the temporary file is removed.
 */
export async function writeTemp(target: string, mode: number, fill: (fh: FileHandle) => Promise<unknown>): Promise<TempFile> {
  const tmp = tempPathBeside(target);
  const fh = await open(tmp, 'wx', mode);
  track(tmp);
  const discard = async () => {
    await unlink(tmp).catch(() => undefined);
    release(tmp);
  };
  try {
    await fill(fh);
    await fh.chmod(mode); // open() applied the umask
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await discard();
    throw err;
  }
  await fh.close();
  return {
    path: tmp,
    commit: async () => {
      try {
        await rename(tmp, target);
      } catch (err) {
        await discard();
        throw err;
      }
      release(tmp);
    },
    discard,
  };
}

/**
 * Replace `path` with `content` atomically; keeps the old mode unless `mode` is given (new files:
 * 0644) and the old owner, or changes nothing and says why when the owner cannot be kept.
 */
export async function writeAtomic(path: string, content: string | Buffer, mode?: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const old = await stat(path).catch(() => undefined);
  const finalMode = mode ?? (old ? old.mode & 0o7777 : 0o644);
  const tmp = await writeTemp(path, finalMode, async (fh) => {
    await fh.writeFile(content);
    const now = await fh.stat();
    if (old && (now.uid !== old.uid || now.gid !== old.gid)) {
      await fh.chown(old.uid, old.gid).catch(() => {
        throw new Error(`${path} belongs to uid ${old.uid} (gid ${old.gid}) and keyguard cannot give its new version that owner; it was left unchanged`);
      });
    }
  });
  await tmp.commit();
}
