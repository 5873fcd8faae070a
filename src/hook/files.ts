// File writes for hook installation: a temporary file beside the target, flushed, then renamed over
// it, so a crash never leaves a half-written hook or config behind.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Replace `path` with `content`; keeps the old mode unless `mode` is given. */
export async function writeAtomic(path: string, content: string, mode?: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  let finalMode = mode;
  if (finalMode === undefined) {
    try {
      finalMode = (await stat(path)).mode & 0o7777;
    } catch {
      finalMode = 0o644;
    }
  }
  const tmp = join(dirname(path), `.${basename(path)}.keyguard-${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', finalMode);
  try {
    await fh.writeFile(content);
    await fh.chmod(finalMode);
    await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
