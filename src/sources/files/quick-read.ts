// The hot path of a tree scan: a small plain file, read and prefiltered without an async step, an
// extra system call or a buffer of its own. Most files in a tree are plain text (or binary) holding no
// key; they cost one open, one fstat, one read and one close, into one buffer reused for every file:
// the prefilter's own read area, which its SIMD pass searches where the read left the bytes.
// Anything else (archives, histories, chat exports, UTF-16, large files, special files, read errors)
// is handed back to the full reader (read-any.ts), which reads it again: rare enough not to matter.
// The reading half runs on worker threads too (read-pool.ts), so it knows nothing of the scan's
// context; the counting half (`takePlain`) runs where the context is.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { Chunk } from '../../types.js';
import type { ScanContext } from '../../scan/context.js';
import { mayContainKey, readAreaFor } from '../../engine/prefilter.js';
import { nameChunk, pathHolder } from '../../scan/names.js';
import { formatFor } from './formats.js';
import { sniff } from './sniff.js';
import { bufferChunks } from './text-reader.js';

const HEAD_BYTES = 8000;
/**
 * Files up to this size are read here, into one buffer per thread (so a minified bundle or a source map
 * is prefiltered on a worker too); larger ones by the full reader. Bounded: every thread holds one, and
 * memory must stay flat with --jobs. It is the prefilter's read area (one SIMD window), or without
 * WebAssembly SIMD a buffer that grows to the largest file read.
 */
const SHARED_MAX_BYTES = 4 * 1024 * 1024;
const SHARED_MIN_BYTES = 1024 * 1024;
let shared: Buffer | undefined;

/** The prefilter's read area where it has one (77 MB of small files searched without copying them saved 50 ms), else this thread's buffer. */
let areaOf: { needles: readonly string[]; area: Buffer | undefined } | undefined;

function sharedBuffer(size: number, needles: readonly string[]): Buffer {
  // (asked once per set of needles, not once per file)
  if (areaOf?.needles !== needles) areaOf = { needles, area: readAreaFor(needles) };
  const area = areaOf.area;
  if (area && area.length >= size) return area;
  if (!shared || shared.length < size) shared = Buffer.allocUnsafeSlow(Math.max(SHARED_MIN_BYTES, 2 ** Math.ceil(Math.log2(size))));
  return shared;
}
/** Formats whose reader does nothing but count a file without a key's trace (src/sources/chat/generic.ts). */
const PREFILTERED = new Set(['json', 'jsonl']);

// Opened with O_NOFOLLOW (a symbolic link is refused: the full reader then says it is one) and
// O_NONBLOCK (a FIFO swapped in for a listed file cannot stop the scan), then fstat: only a regular file
// is read, so a FIFO or a device is never read from, whatever happened to the path since it was listed.
// One open, one fstat, one read, one close: what readFileSync costs, without its buffer per file.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * The whole file in the shared buffer, or undefined when it is not a small regular file with content
 * (empty, too large for the buffer, not a regular file: the full reader decides). Throws what the system says.
 */
function readSmall(path: string, needles: readonly string[]): Buffer | undefined {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const st = fstatSync(fd);
    // (a size of 0 may be a file whose size the system does not know: the full reader reads to the end)
    if (!st.isFile() || st.size === 0 || st.size > SHARED_MAX_BYTES) return undefined;
    const buf = sharedBuffer(st.size, needles);
    let n = 0;
    while (n < st.size) {
      const got = readSync(fd, buf, n, st.size - n, null);
      if (got === 0) break;
      n += got;
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** What reading a listed file found, without the scan's context. */
export type Plain =
  /** the full reader must take it (nothing was counted) */
  | { kind: 'full' }
  | { kind: 'binary' }
  /** text of `size` bytes; `trace` is a copy of it when it may hold a key */
  | { kind: 'text'; size: number; trace?: Uint8Array };

const FULL: Plain = { kind: 'full' };
const BINARY: Plain = { kind: 'binary' };

export function readPlain(path: string, display: string, needles: readonly string[]): Plain {
  let buf: Buffer | undefined;
  try {
    buf = readSmall(path, needles);
  } catch {
    // a link, a directory (a submodule), an unreadable file: the full reader looks again and says what it is
    return FULL;
  }
  if (!buf) return FULL;
  const head = buf.length > HEAD_BYTES ? buf.subarray(0, HEAD_BYTES) : buf;
  const kind = sniff(head);
  if (kind !== 'text' && kind !== 'binary') return FULL;
  const format = formatFor(display, kind, head);
  if (format && !PREFILTERED.has(format.name)) return FULL;
  if (kind === 'binary') return BINARY;
  if (!mayContainKey(buf, needles)) return { kind: 'text', size: buf.length };
  // a JSON file with a trace goes to its reader, which names the place by its JSON path
  return format ? FULL : { kind: 'text', size: buf.length, trace: new Uint8Array(buf) };
}

/**
 * A plain file's chunks (usually none), counted in the context; undefined when the full reader must
 * take it, with nothing counted, so no file is counted twice. `nameMayHoldKey` false: the caller's
 * look at several names together found nothing, so this one is not looked at again.
 */
export function takePlain(plain: Plain, display: string, ctx: ScanContext, nameMayHoldKey = true): readonly Chunk[] | undefined {
  if (plain.kind === 'full') return undefined;
  const named = nameMayHoldKey ? nameChunk(display, pathHolder(display), { kind: 'file', path: display }, ctx.needles) : undefined;
  if (plain.kind === 'binary') ctx.skip('binary');
  else ctx.countFile(plain.size);
  // (the lines around its traces: most of a traced file is not looked at again)
  const found =
    plain.kind === 'text' && plain.trace
      ? bufferChunks(Buffer.from(plain.trace.buffer, plain.trace.byteOffset, plain.trace.byteLength), { kind: 'file', path: display }, ctx)
      : NONE;
  return named ? [named, ...found] : found;
}

/** What most files hold: shared, so a file without a key's trace costs no array. */
const NONE: readonly Chunk[] = [];
