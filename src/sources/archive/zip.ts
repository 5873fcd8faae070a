// Zip archives: members are streamed, never inflated whole past the limits, and reported as
// `archive.zip!inner/path`. A bomb is refused with a reason, not read until memory runs out.
import { Transform, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Chunk } from '../../types.js';
import type { ScanContext } from '../../scan/context.js';
import { errorMessage } from '../../errors.js';
import type { FileRef } from '../files/file-ref.js';
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
function memberName(entry: Entry): string {
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

function openZip(file: FileRef): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip?: ZipFile) => (err || !zip ? reject(err ?? new Error('cannot open')) : resolve(zip));
    if (file.absPath) {
      yauzl.open(file.absPath, OPEN_OPTIONS, done);
    } else if (file.size <= IN_MEMORY_ZIP) {
      file.load().then((buf) => yauzl.fromBuffer(buf, OPEN_OPTIONS, done), reject);
    } else {
      reject(new Error(`nested archive of ${file.size} bytes is too large to open in memory`));
    }
  });
}

async function* entriesOf(zip: ZipFile): AsyncGenerator<Entry> {
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

/** A member as a FileRef; its stream errors if it inflates past the declared size (or falls short of it). */
function memberRef(zip: ZipFile, entry: Entry, displayPath: string): FileRef {
  const stream = (): Readable => {
    const out = sizeChecked(entry.uncompressedSize);
    zip.openReadStream(entry, (err, rs) => {
      if (err || !rs) {
        out.destroy(err ?? new Error('cannot read member'));
        return;
      }
      rs.on('error', (e) => out.destroy(e));
      rs.pipe(out);
    });
    return out;
  };
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
