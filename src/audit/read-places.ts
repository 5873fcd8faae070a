// The audit's Source: every place read with its own reader (profiles as text, histories with the
// format discovery named, anything else by name and content like `keyguard scan`). A place that
// cannot be read is reported and the audit goes on.
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage } from '../errors.js';
import type { ScanContext } from '../scan/context.js';
import type { Source } from '../scan/source.js';
import { diskRef, type FileRef } from '../sources/files/file-ref.js';
import { HISTORY_READERS, shellHistoryFormat, type HistoryFormat } from '../sources/shell-history/registry.js';
import { LIBEDIT_HEADER } from '../sources/shell-history/libedit.js';
import { readAny } from '../sources/files/read-any.js';
import { readText } from '../sources/files/text-reader.js';
import { utf16AsUtf8, utf16KindOf, utf8Head } from '../sources/files/utf16-ref.js';
import type { Chunk } from '../types.js';
import type { AuditPlace } from './places.js';

const HEAD_BYTES = 8000;

async function headOf(absPath: string): Promise<Buffer> {
  const fh = await open(absPath, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The history format to read with: what discovery said, unless the content says libedit (or zsh vs bash). */
function formatFor(declared: HistoryFormat | 'shell', head: Buffer): HistoryFormat {
  if (declared === 'sqlite') return declared;
  if (head.toString('latin1', 0, LIBEDIT_HEADER.length) === LIBEDIT_HEADER) return 'libedit';
  return declared === 'shell' ? shellHistoryFormat(head) : declared;
}

async function* readPlace(place: AuditPlace, ref: FileRef, ctx: ScanContext): AsyncGenerator<Chunk> {
  if (place.format === undefined) {
    yield* readAny(ref, ctx);
    return;
  }
  const rawHead = await headOf(ref.absPath!);
  // a UTF-16 profile or history (PowerShell's on Windows) is read as the same text in UTF-8
  const utf16 = place.format === 'sqlite' ? undefined : utf16KindOf(rawHead);
  const text = utf16 ? utf16AsUtf8(ref, utf16) : ref;
  const head = utf16 ? utf8Head(rawHead, utf16) : rawHead;
  if (place.format === 'profile') {
    yield* readText(text, ctx, 'profile');
    return;
  }
  const reader = await HISTORY_READERS[formatFor(place.format, head)]();
  yield* reader.read(text, ctx, head);
}

export function placesSource(places: readonly AuditPlace[], cwd: string): Source {
  return async function* audit(ctx: ScanContext): AsyncGenerator<Chunk> {
    for (const place of places) {
      const abs = resolve(cwd, place.path);
      let st;
      try {
        st = await stat(abs);
      } catch (err) {
        ctx.error(place.path, errorMessage(err));
        continue;
      }
      if (st.isDirectory()) {
        ctx.error(place.path, 'is a directory (keyguard audit takes files; run it with HOME=DIR to audit another home directory)');
        continue;
      }
      if (!st.isFile()) {
        ctx.skip('special files (FIFO, socket, device)');
        continue;
      }
      try {
        yield* readPlace(place, diskRef(abs, place.path, st.size), ctx);
      } catch (err) {
        ctx.error(place.path, errorMessage(err));
      }
    }
  };
}
