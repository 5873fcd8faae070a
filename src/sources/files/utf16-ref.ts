// A UTF-16 file (with its BOM: PowerShell profiles and histories on Windows) seen as UTF-8 bytes, so
// that the byte-based readers (profiles, every line-based history format) read it unchanged: same
// lines, same entries, keys found at the same line. Decoding is sniff.ts's, as for `keyguard scan`.
import { Transform, pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { FileRef } from './file-ref.js';
import { sniff, utf16ToString } from './sniff.js';

export type Utf16Kind = 'utf16le' | 'utf16be';

export function utf16KindOf(head: Buffer): Utf16Kind | undefined {
  const kind = sniff(head);
  return kind === 'utf16le' || kind === 'utf16be' ? kind : undefined;
}

/** Text of a file's bytes: decoded when it is UTF-16 with a BOM, else one character per byte. */
export function textOfBytes(buf: Buffer): string {
  const kind = utf16KindOf(buf.subarray(0, 8000));
  return kind ? utf16ToString(buf, kind === 'utf16be') : buf.toString('latin1');
}

/** The first bytes of a UTF-16 file's head, as the UTF-8 view of it starts (a cut character is dropped). */
export function utf8Head(head: Buffer, kind: Utf16Kind): Buffer {
  return Buffer.from(utf16ToString(head, kind === 'utf16be'), 'utf8');
}

/**
 * `file` decoded. `size` stays the UTF-16 size: readers use it only to choose between loading whole and
 * streaming, and the UTF-8 text is never larger than 1.5 times it. Not on disk as such: no `absPath`.
 */
export function utf16AsUtf8(file: FileRef, kind: Utf16Kind): FileRef {
  const bigEndian = kind === 'utf16be';
  return {
    displayPath: file.displayPath,
    size: file.size,
    load: async () => Buffer.from(utf16ToString(await file.load(), bigEndian), 'utf8'),
    stream: () => pipeline(file.stream(), decoder(bigEndian), () => undefined),
  };
}

/** UTF-16 bytes in, UTF-8 bytes out, across chunk edges (odd bytes and surrogate pairs wait). */
function decoder(bigEndian: boolean): Transform {
  const text = new StringDecoder('utf16le');
  let bomLeft = 2;
  let odd: Buffer | undefined;
  // StringDecoder may hand out the first half of a surrogate pair alone: it waits here for the second
  let high = '';
  const utf8 = (decoded: string, final: boolean): Buffer => {
    let s = high + decoded;
    high = '';
    const last = s.charCodeAt(s.length - 1);
    if (!final && last >= 0xd800 && last <= 0xdbff) {
      high = s.slice(-1);
      s = s.slice(0, -1);
    }
    return Buffer.from(s, 'utf8');
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let buf = odd ? Buffer.concat([odd, chunk]) : chunk;
      odd = undefined;
      if (bomLeft > 0) {
        const cut = Math.min(bomLeft, buf.length);
        bomLeft -= cut;
        buf = buf.subarray(cut);
      }
      if (bigEndian) {
        const even = buf.length - (buf.length % 2);
        if (even < buf.length) odd = Buffer.from(buf.subarray(even));
        buf = Buffer.from(buf.subarray(0, even)).swap16();
      }
      done(null, utf8(text.write(buf), false));
    },
    flush(done) {
      done(null, utf8(text.end(), true));
    },
  });
}
