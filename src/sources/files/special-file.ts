// A FIFO, a device or /dev/stdin named on the command line (`keyguard scan /dev/stdin`, a pipe made with
// mkfifo, `<(cmd)`): the user asked for it, so it is read; walking a tree still never opens one. Such a
// file can be read once only and its size is unknown, so it is read here, once: into memory up to the
// whole-file limit, past that into a private temporary file; then it is scanned like any file (sniffed,
// archives opened, UTF-16 decoded). A stream that starts like binary data (/dev/zero, /dev/urandom) is
// counted as binary and not read further.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { release, track } from '../../fix/temp-files.js';
import type { ScanContext } from '../../scan/context.js';
import type { Chunk } from '../../types.js';
import { WHOLE_FILE_LIMIT, diskRef, type FileRef } from './file-ref.js';
import { readAny } from './read-any.js';
import { sniff } from './sniff.js';

const HEAD_BYTES = 8000;

/** Names of this process's stdin. */
const STDIN_PATHS = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

/**
 * The file, opened for reading. A socket cannot be opened by its path (ENXIO), and stdin is a socket
 * when keyguard is started by some programs (Node's own child processes, for one): stdin named as
 * /dev/stdin is then read from the descriptor the process already holds.
 */
async function openSpecial(absPath: string): Promise<Readable> {
  try {
    return (await open(absPath, 'r')).createReadStream();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENXIO' && STDIN_PATHS.has(absPath)) return createReadStream('', { fd: 0, autoClose: false });
    throw err;
  }
}

function memoryRef(displayPath: string, buf: Buffer): FileRef {
  return { displayPath, size: buf.length, load: async () => buf, stream: () => Readable.from([buf]) };
}

export async function* readSpecialFile(absPath: string, displayPath: string, ctx: ScanContext, limit = WHOLE_FILE_LIMIT): AsyncGenerator<Chunk> {
  const source = await openSpecial(absPath);
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const parts: Buffer[] = [];
  let held = 0;
  let ended = false;
  try {
    while (held <= limit) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      parts.push(next.value);
      held += next.value.length;
      // decide on binary once, as soon as there is a head to look at
      if (held >= HEAD_BYTES && held - next.value.length < HEAD_BYTES && sniff(Buffer.concat(parts).subarray(0, HEAD_BYTES)) === 'binary') {
        ctx.skip('binary');
        return;
      }
    }
    if (ended) {
      yield* readAny(memoryRef(displayPath, Buffer.concat(parts)), ctx);
      return;
    }
    yield* readSpilled(parts, iterator, displayPath, ctx);
  } finally {
    source.destroy();
  }
}

/** The rest of a large stream, copied into a temporary file (0600 in a 0700 folder) and scanned from there. */
async function* readSpilled(parts: Buffer[], rest: AsyncIterator<Buffer>, displayPath: string, ctx: ScanContext): AsyncGenerator<Chunk> {
  const dir = await mkdtemp(join(tmpdir(), 'keyguard-stream-'));
  const path = join(dir, 'content');
  track(path); // what was piped in may hold keys: Ctrl-C must not leave a copy behind
  try {
    const out = createWriteStream(path, { mode: 0o600 });
    const write = (b: Buffer) => new Promise<void>((resolve, reject) => out.write(b, (err) => (err ? reject(err) : resolve())));
    for (const b of parts) await write(b);
    parts.length = 0;
    for (let next = await rest.next(); !next.done; next = await rest.next()) await write(next.value);
    out.end();
    await finished(out);
    const { size } = await stat(path);
    yield* readAny(diskRef(path, displayPath, size), ctx);
  } finally {
    await rm(dir, { recursive: true, force: true });
    release(path);
  }
}
