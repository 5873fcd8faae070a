// Zip archives: members are streamed, never inflated whole past the limits, and reported as
// `archive.zip!inner/path`. A bomb is refused with a reason, not read until memory runs out.
import { close, fstat, open, read } from 'node:fs';
import { Readable, Transform, pipeline } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import type { Chunk } from '../../types.js';
import type { ScanContext } from '../../scan/context.js';
import { errorMessage } from '../../errors.js';
import { STREAM_BYTES, type FileRef } from '../files/file-ref.js';
import { nameChunk } from '../../scan/names.js';
import { ARCHIVE_LIMITS, archivePathOf, tooDeep, type ReadAny } from './limits.js';

export type { ReadAny };

export const ZIP_LIMITS = ARCHIVE_LIMITS;

const IN_MEMORY_ZIP = 256 * 1024 * 1024;

type ZipFile = yauzl.ZipFile;
type Entry = yauzl.Entry;

// One odd member must not cost the whole archive: yauzl refuses the rest of an archive when one name
// is `../x` or absolute (a check for extracting, and nothing is extracted here) or when a stored
// member declares a wrong size. So names are decoded here (memberName) and sizes are checked per
// member, on its stream (sizeChecked): that member is reported as unreadable, the others are read.
const OPEN_OPTIONS = { lazyEntries: true, autoClose: false, validateEntrySizes: false, strictFileNames: false, decodeStrings: false };

/** The member's name as the archive tool meant it (UTF-8 flag, CP437, Info-ZIP Unicode path), as given. */
export function memberName(entry: Entry): string {
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
}

/** Passes the member's bytes through; fails when there are more or fewer than its header declares. */
function sizeChecked(declared: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > declared) done(new Error(`member holds more than the ${declared} bytes its header declares`));
      else done(null, chunk);
    },
    flush(done) {
      done(seen === declared ? null : new Error(`member holds ${seen} bytes, its header declares ${declared}`));
    },
  });
}

/**
 * Bytes [pos, end) of an open descriptor, a megabyte a read. Not fs.createReadStream: destroying that
 * closes the descriptor, which every member's stream shares (yauzl destroys a stream read only in part).
 */
class RangeStream extends Readable {
  constructor(
    private readonly fd: number,
    private pos: number,
    private readonly end: number,
  ) {
    super({ highWaterMark: STREAM_BYTES });
  }

  override _read(): void {
    const n = Math.min(STREAM_BYTES, this.end - this.pos);
    if (n <= 0) {
      this.push(null);
      return;
    }
    const buf = Buffer.allocUnsafe(n);
    read(this.fd, buf, 0, n, this.pos, (err, got) => {
      if (err) this.destroy(err);
      else if (got === 0) this.destroy(new Error('the archive ends before this member does'));
      else {
        this.pos += got;
        this.push(got === n ? buf : buf.subarray(0, got));
      }
    });
  }
}

/**
 * A zip on disk, read through one open descriptor (yauzl closes it with the archive), a megabyte a
 * read: yauzl's own reader reads 16 KB at a time, a thread-pool round trip each.
 */
class FdReader extends yauzl.RandomAccessReader {
  constructor(private readonly fd: number) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return new RangeStream(this.fd, start, end);
  }

  // headers: one read each, not a stream each
  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    read(this.fd, buffer, offset, length, position, (err, bytesRead) => callback(err, bytesRead));
  }

  override close(callback: (err: Error | null) => void): void {
    close(this.fd, callback);
  }
}

/** A zip on disk, opened through one descriptor (see FdReader), with the options every reader here uses. */
export function openZipOnDisk(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => openOnDisk(path, (err, zip) => (err || !zip ? reject(err ?? new Error('cannot open')) : resolve(zip))));
}

function openOnDisk(path: string, done: (err: Error | null, zip?: ZipFile) => void): void {
  open(path, 'r', (err, fd) => {
    if (err) return done(err);
    fstat(fd, (err2, st) => {
      if (err2) return close(fd, () => done(err2));
      yauzl.fromRandomAccessReader(new FdReader(fd), st.size, OPEN_OPTIONS, (err3, zip) => (err3 ? close(fd, () => done(err3)) : done(null, zip)));
    });
  });
}

function openZip(file: FileRef): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip?: ZipFile) => (err || !zip ? reject(err ?? new Error('cannot open')) : resolve(zip));
    if (file.absPath) {
      openOnDisk(file.absPath, done);
    } else if (file.size <= IN_MEMORY_ZIP) {
      file.load().then((buf) => yauzl.fromBuffer(buf, OPEN_OPTIONS, done), reject);
    } else {
      reject(new Error(`nested archive of ${file.size} bytes is too large to open in memory`));
    }
  });
}

/** The archive's entries, one at a time (lazily: an entry is read when the last one is done with). */
export async function* entriesOf(zip: ZipFile): AsyncGenerator<Entry> {
  for (;;) {
    const entry = await new Promise<Entry | null>((resolve, reject) => {
      const onEntry = (e: Entry) => {
        cleanup();
        resolve(e);
      };
      const onEnd = () => {
        cleanup();
        resolve(null);
      };
      const onError = (err: Error) => {
        cleanup();
        reject(err);
      };
      const cleanup = () => {
        zip.off('entry', onEntry);
        zip.off('end', onEnd);
        zip.off('error', onError);
      };
      zip.on('entry', onEntry);
      zip.on('end', onEnd);
      zip.on('error', onError);
      zip.readEntry();
    });
    if (!entry) return;
    yield entry;
  }
}

/**
 * A member's bytes, inflated a megabyte at a time; the stream errors if they come to more or fewer
 * than its header declares (yauzl says what it cannot read: another compression method).
 */
export function memberData(zip: ZipFile, entry: Entry): Readable {
  const out = sizeChecked(entry.uncompressedSize);
  const deflated = entry.compressionMethod === 8;
  zip.openReadStream(entry, deflated ? { decompress: false } : {}, (err, rs) => {
    if (err || !rs) {
      out.destroy(err ?? new Error('cannot read member'));
      return;
    }
    const fail = (e: Error | null) => {
      if (e) out.destroy(e);
    };
    if (deflated) pipeline(rs, createInflateRaw({ chunkSize: STREAM_BYTES }), out, fail);
    else pipeline(rs, out, fail);
  });
  return out;
}

/** A member as a FileRef (memberData as its stream). */
function memberRef(zip: ZipFile, entry: Entry, displayPath: string): FileRef {
  const stream = (): Readable => memberData(zip, entry);
  return {
    displayPath,
    size: entry.uncompressedSize,
    stream,
    async load() {
      const parts: Buffer[] = [];
      for await (const b of stream()) parts.push(b as Buffer);
      return Buffer.concat(parts);
    },
  };
}

export async function* readZip(file: FileRef, ctx: ScanContext, depth: number, readAny: ReadAny): AsyncGenerator<Chunk> {
  if (tooDeep(file, ctx, depth)) return;
  let zip: ZipFile;
  try {
    zip = await openZip(file);
  } catch (err) {
    ctx.error(file.displayPath, `corrupt or unreadable zip archive: ${errorMessage(err)}`);
    return;
  }
  let total = 0;
  try {
    for await (const entry of entriesOf(zip)) {
      const name = memberName(entry);
      if (name.endsWith('/')) continue;
      const inner = `${archivePathOf(file.displayPath)}!${name}`;
      // a member that cannot be read still leaks a key in its name
      const named = nameChunk(inner, 'archive member name', { kind: 'file', path: inner }, ctx.needles);
      if (named) yield named;
      if (entry.isEncrypted()) {
        ctx.error(inner, 'encrypted zip member: cannot be read');
        continue;
      }
      const ratio = entry.compressedSize > 0 ? entry.uncompressedSize / entry.compressedSize : Infinity;
      if (entry.uncompressedSize > ZIP_LIMITS.maxMemberBytes || (entry.uncompressedSize > 1048576 && ratio > ZIP_LIMITS.maxRatio)) {
        ctx.error(
          inner,
          `refused: ${entry.uncompressedSize} bytes uncompressed at a ${Math.round(ratio)}:1 ratio looks like a zip bomb (limits: ${ZIP_LIMITS.maxMemberBytes} bytes, ${ZIP_LIMITS.maxRatio}:1)`,
        );
        continue;
      }
      total += entry.uncompressedSize;
      if (total > ZIP_LIMITS.maxTotalBytes) {
        ctx.error(file.displayPath, `refused the rest of the archive: more than ${ZIP_LIMITS.maxTotalBytes} bytes uncompressed`);
        break;
      }
      try {
        yield* readAny(memberRef(zip, entry, inner), ctx, depth + 1);
      } catch (err) {
        ctx.error(inner, `cannot read zip member: ${errorMessage(err)}`);
      }
    }
  } catch (err) {
    ctx.error(file.displayPath, `corrupt zip archive: ${errorMessage(err)}`);
  } finally {
    zip.close();
  }
}
