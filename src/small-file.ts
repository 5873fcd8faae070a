// A small file of the user's or of a tool's (a profile, a .env file, keyguard's settings, Codex's
// config and login), read whole in one synchronous call. Only a regular file is read, and only up to a
// bound: a FIFO under such a name would stop the run waiting for a writer, and a link to a device would
// never end. Synchronous: a thread-pool round trip costs the hooks more than such a read.
import { readFileSync, statSync } from 'node:fs';
import { errorMessage } from './errors.js';

export type SmallFile =
  | { state: 'read'; bytes: Buffer }
  /** nothing at the path (ENOENT) */
  | { state: 'absent' }
  /** a directory, a FIFO, a device, a socket */
  | { state: 'not-a-file' }
  | { state: 'too-large'; size: number }
  /** `code`: the system's error code (ENOTDIR, EACCES …) */
  | { state: 'unreadable'; code: string | undefined; error: string };

export function readSmallFile(path: string, maxBytes = Infinity): SmallFile {
  try {
    const st = statSync(path);
    if (!st.isFile()) return { state: 'not-a-file' };
    if (st.size > maxBytes) return { state: 'too-large', size: st.size };
    const bytes = readFileSync(path);
    // (it may have grown since)
    return bytes.length > maxBytes ? { state: 'too-large', size: bytes.length } : { state: 'read', bytes };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { state: 'absent' } : { state: 'unreadable', code, error: errorMessage(err) };
  }
}
