// File access for hook installation. Writes go through writeAtomic (a temporary file beside the
// target, flushed, then renamed over it), so a crash never leaves a half-written hook or config behind.
import { readFile, stat } from 'node:fs/promises';

export { writeAtomic } from '../util/atomic-rewrite.js';

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
