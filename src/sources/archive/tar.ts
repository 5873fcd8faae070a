// tar (`.tar`, and `.tar.gz`/`.tgz` through gzip.ts): backups, docker layers, npm tarballs. Read
// with tar-stream (ustar, pax and GNU long names), one pass, members reported as
// `backup.tar.gz!home/app/.env` and read like files (nested archives too, up to the depth limit).
// Links and devices are never followed: they are counted as skipped. A tar has no index to skip a bad
// member by, so a corrupt or truncated archive is reported and the members read before it are kept.
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import type { Chunk } from '../../types.js';
import type { ScanContext } from '../../scan/context.js';
import { ArchiveBombError, errorMessage } from '../../errors.js';
import { nameChunk } from '../../scan/names.js';
import { WHOLE_FILE_LIMIT, type FileRef } from '../files/file-ref.js';
import { ARCHIVE_LIMITS, archivePathOf, memoryRef, tooDeep, type ReadAny } from './limits.js';

type Entry = tar.Extract extends AsyncIterable<infer E> ? E : never;

const SKIPPED: Partial<Record<tar.Header['type'], string>> = {
  symlink: 'links in tar archives (not followed)',
  link: 'links in tar archives (not followed)',
  'block-device': 'special files (FIFO, socket, device)',
  'character-device': 'special files (FIFO, socket, device)',
  fifo: 'special files (FIFO, socket, device)',
};

async function whole(entry: Entry): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const piece of entry) parts.push(piece as Buffer);
  return Buffer.concat(parts);
}

/**
 * A member too large to hold, read once from the archive's single pass. The sniffer reads its head
 * and stops; what it took is given again to the next reader, so every reader sees the member whole.
 */
class LargeMember {
  private readonly pieces: AsyncIterator<Buffer>;
  private readonly taken: Buffer[] = [];
  private replays = 0;

  constructor(entry: Entry) {
    // next() only: iterator.return() would destroy the entry, and with it the whole archive
    this.pieces = entry[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  ref(displayPath: string, size: number): FileRef {
    return {
      displayPath,
      size,
      stream: () => Readable.from(this.read()),
      load: async () => {
        const parts: Buffer[] = [];
        for await (const piece of this.read()) parts.push(piece);
        return Buffer.concat(parts);
      },
    };
  }

  private async *read(): AsyncGenerator<Buffer> {
    // only the first reader's pieces are kept: later ones stream without holding the member
    const record = this.replays++ === 0;
    yield* this.taken;
    for (;;) {
      const next = await this.pieces.next();
      if (next.done) return;
      if (record) this.taken.push(next.value);
      yield next.value;
    }
  }

  /** Read past what the readers left, so the archive goes on to the next member. */
  async drain(): Promise<void> {
    this.taken.length = 0;
    while (!(await this.pieces.next()).done);
  }
}

export async function* readTar(file: FileRef, ctx: ScanContext, depth: number, readAny: ReadAny): AsyncGenerator<Chunk> {
  if (tooDeep(file, ctx, depth)) return;
  const archive = archivePathOf(file.displayPath);
  const extract = tar.extract();
  const source = file.stream();
  source.on('error', (err) => extract.destroy(err));
  source.pipe(extract);
  let total = 0;
  try {
    for await (const entry of extract) {
      const { header } = entry;
      if (header.type === 'directory') {
        entry.resume();
        continue;
      }
      const inner = `${archive}!${header.name}`;
      // a member that is not read still leaks a key in its name
      const named = nameChunk(inner, 'archive member name', { kind: 'file', path: inner }, ctx.needles);
      if (named) yield named;
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        ctx.skip(SKIPPED[header.type] ?? `tar members of type ${header.type}`);
        entry.resume();
        continue;
      }
      if (header.size > ARCHIVE_LIMITS.maxMemberBytes) {
        ctx.error(inner, `refused: ${header.size} bytes is past the ${ARCHIVE_LIMITS.maxMemberBytes}-byte limit for one archive member`);
        entry.resume();
        continue;
      }
      total += header.size;
      if (total > ARCHIVE_LIMITS.maxTotalBytes) {
        ctx.error(archive, `refused the rest of the archive: more than ${ARCHIVE_LIMITS.maxTotalBytes} bytes in its members`);
        break;
      }
      if (header.size <= WHOLE_FILE_LIMIT) {
        // a read failure here is the archive's (cut short): the outer catch reports it
        const buf = await whole(entry);
        try {
          yield* readAny(memoryRef(inner, buf), ctx, depth + 1);
        } catch (err) {
          ctx.error(inner, `cannot read tar member: ${errorMessage(err)}`);
        }
        continue;
      }
      const large = new LargeMember(entry);
      try {
        yield* readAny(large.ref(inner, header.size), ctx, depth + 1);
      } catch (err) {
        ctx.error(inner, `cannot read tar member: ${errorMessage(err)}`);
      }
      await large.drain();
    }
  } catch (err) {
    // a gzip layer that inflates past the limits ends the tar stream too
    const why = err instanceof ArchiveBombError ? `refused the rest: ${err.message}` : `corrupt or truncated tar archive: ${errorMessage(err)}`;
    ctx.error(archive, `${why}; the members before it were scanned`);
  } finally {
    source.destroy();
    extract.destroy();
  }
}
