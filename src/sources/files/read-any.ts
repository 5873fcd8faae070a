// One file, whatever it is: sniff it, then hand it to the archive reader, a format reader, the UTF-16
// decoder or the plain-text reader; binary files are skipped and counted.
import type { Chunk } from '../../types.js';
import type { ScanContext } from '../../scan/context.js';
import { mayContainKey } from '../../engine/prefilter.js';
import { nameChunk, pathHolder } from '../../scan/names.js';
import { WHOLE_FILE_LIMIT, type FileRef } from './file-ref.js';
import { readerFor } from './formats.js';
import { sniff, utf16ToString } from './sniff.js';
import { bufferChunks, readText, readUtf16 } from './text-reader.js';

const HEAD_BYTES = 8000;

async function headOf(file: FileRef): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  const stream = file.stream();
  try {
    for await (const b of stream) {
      parts.push(b as Buffer);
      n += (b as Buffer).length;
      if (n >= HEAD_BYTES) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, HEAD_BYTES);
}

/** Keep a loaded buffer so a format reader that loads again does not read twice. */
function withBuffer(file: FileRef, buf: Buffer): FileRef {
  return { ...file, size: buf.length, load: async () => buf };
}

export async function* readAny(file: FileRef, ctx: ScanContext, depth = 0): AsyncGenerator<Chunk> {
  // a key in the file's own name is reported whatever its content (src/scan/names.ts); a gzip's content
  // (`file.gz!`) has no name of its own
  const named = file.displayPath.endsWith('!')
    ? undefined
    : nameChunk(file.displayPath, pathHolder(file.displayPath), { kind: 'file', path: file.displayPath }, ctx.needles);
  if (named) yield named;
  const whole = file.size <= WHOLE_FILE_LIMIT ? await file.load() : undefined;
  const head = whole ? whole.subarray(0, HEAD_BYTES) : await headOf(file);
  const kind = sniff(head);
  if (kind === 'empty' && (whole?.length ?? file.size) === 0) {
    ctx.countFile(0);
    return;
  }
  if (kind === 'zip') {
    const { readZip } = await import('../archive/zip.js');
    yield* readZip(file, ctx, depth, readAny);
    return;
  }
  if (kind === 'gzip') {
    const { readGzip } = await import('../archive/gzip.js');
    yield* readGzip(whole ? withBuffer(file, whole) : file, ctx, depth, readAny);
    return;
  }
  if (kind === 'tar') {
    const { readTar } = await import('../archive/tar.js');
    yield* readTar(whole ? withBuffer(file, whole) : file, ctx, depth, readAny);
    return;
  }
  const ref = whole ? withBuffer(file, whole) : file;
  const reader = await readerFor(file.displayPath, kind, head);
  if (reader) {
    yield* reader.read(ref, ctx, head);
    return;
  }
  if (kind === 'binary' || kind === 'sqlite') {
    ctx.skip('binary');
    return;
  }
  if (kind === 'utf16le' || kind === 'utf16be') {
    if (!whole) {
      yield* readUtf16(file, ctx, kind === 'utf16be');
      return;
    }
    const buf = whole;
    const text = utf16ToString(buf, kind === 'utf16be');
    ctx.countFile(buf.length);
    if (mayContainKey(text, ctx.needles)) yield { text, origin: { kind: 'file', path: file.displayPath } };
    return;
  }
  if (whole) {
    ctx.countFile(whole.length);
    yield* bufferChunks(whole, { kind: 'file', path: file.displayPath }, ctx);
    return;
  }
  yield* readText(file, ctx);
}
