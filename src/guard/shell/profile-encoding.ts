// A profile's bytes as the text keyguard edits, and that text as bytes again. Most profiles are edited
// as latin1, one character per byte: any encoding round-trips (invalid UTF-8 included) and a UTF-8 BOM
// stays where it is. A UTF-16 file (Windows PowerShell writes its profile as UTF-16 LE with a BOM) is
// decoded and encoded again with its own BOM and byte order, so uninstall still gives back its exact bytes.
import { HookError } from '../../errors.js';
import { utf16ToString } from '../../sources/files/sniff.js';

export interface ProfileText {
  /** the text to edit (without a UTF-16 BOM) */
  text: string;
  /** `text` (edited or not) as the file's bytes, in the file's encoding */
  encode(text: string): Buffer;
}

const LATIN1: (text: string) => Buffer = (text) => Buffer.from(text, 'latin1');

function utf16(bigEndian: boolean): (text: string) => Buffer {
  const bom = Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]);
  return (text) => {
    const body = Buffer.from(text, 'utf16le');
    return Buffer.concat([bom, bigEndian ? body.swap16() : body]);
  };
}

/** The text of a profile's bytes, and how to write it back in the same encoding. */
export function profileText(buf: Buffer, path: string): ProfileText {
  const le = buf[0] === 0xff && buf[1] === 0xfe;
  const be = buf[0] === 0xfe && buf[1] === 0xff;
  if (!le && !be) return { text: buf.toString('latin1'), encode: LATIN1 };
  const text = utf16ToString(buf, be);
  const encode = utf16(be);
  // an odd byte, or anything else decoding would not give back as it was, is not edited
  if (buf.length % 2 !== 0 || !encode(text).equals(buf)) {
    throw new HookError(`${path} starts with a UTF-16 byte order mark but is not whole UTF-16 text: nothing was changed`);
  }
  return { text, encode };
}
