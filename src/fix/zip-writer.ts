// Write a zip archive member by member, streaming: each member is deflated as it comes and its
// sizes and CRC follow it in a data descriptor, so no member is ever held whole. No zip64: an
// archive or member of 4 GiB or more is refused rather than written wrong.
import { createDeflateRaw, crc32 as nodeCrc32 } from 'node:zlib';
import type { FileHandle } from 'node:fs/promises';
import { STREAM_BYTES } from '../sources/files/file-ref.js';

const LIMIT = 0xffffffff;

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** zlib.crc32 where Node has it (20.15+), else a table. */
export function crc32(buf: Buffer, prev: number): number {
  if (typeof nodeCrc32 === 'function') return nodeCrc32(buf, prev);
  let c = (prev ^ 0xffffffff) >>> 0;
  for (const b of buf) c = TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface Written {
  name: Buffer;
  offset: number;
  crc: number;
  compressed: number;
  size: number;
  time: number;
  date: number;
}

function dosTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export class ZipWriter {
  private offset = 0;
  private readonly members: Written[] = [];

  constructor(private readonly fh: FileHandle) {}

  private async put(buf: Buffer): Promise<void> {
    let done = 0;
    while (done < buf.length) done += (await this.fh.write(buf, done, buf.length - done, this.offset + done)).bytesWritten;
    this.offset += buf.length;
    if (this.offset > LIMIT) throw new Error('the redacted archive would be 4 GiB or more, which needs zip64: not supported');
  }

  /** One file member from its content pieces (already transformed). */
  async add(name: string, pieces: AsyncIterable<Buffer>, modified: Date): Promise<void> {
    const nameBuf = Buffer.from(name, 'utf8');
    const { time, date } = dosTime(modified);
    const offset = this.offset;
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x0808, 6); // data descriptor follows; UTF-8 name
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt16LE(time, 10);
    header.writeUInt16LE(date, 12);
    header.writeUInt16LE(nameBuf.length, 26);
    await this.put(Buffer.concat([header, nameBuf]));

    // Level 1: a redacted copy of a 320 MB export took 14 s to compress at zlib's default level 6 and
    // takes 3 s at level 1, for a copy about a quarter larger (of about the size of the export it
    // copies). STREAM_BYTES of output at a time: each piece is a thread-pool round trip and a write.
    const deflate = createDeflateRaw({ level: 1, chunkSize: STREAM_BYTES });
    let crc = 0;
    let size = 0;
    let compressed = 0;
    const out: Buffer[] = [];
    deflate.on('data', (b: Buffer) => out.push(b));
    const flush = async () => {
      for (const b of out.splice(0)) {
        compressed += b.length;
        await this.put(b);
      }
    };
    for await (const piece of pieces) {
      crc = crc32(piece, crc);
      size += piece.length;
      if (size > LIMIT) throw new Error(`member ${name} is 4 GiB or more, which needs zip64: not supported`);
      if (!deflate.write(piece)) await new Promise((r) => deflate.once('drain', r));
      await flush();
    }
    await new Promise<void>((resolve, reject) => {
      deflate.once('end', resolve);
      deflate.once('error', reject);
      deflate.end();
    });
    await flush();
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc, 4);
    descriptor.writeUInt32LE(compressed, 8);
    descriptor.writeUInt32LE(size, 12);
    await this.put(descriptor);
    this.members.push({ name: nameBuf, offset, crc, compressed, size, time, date });
  }

  async finish(): Promise<void> {
    const start = this.offset;
    for (const m of this.members) {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(20, 4);
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(0x0808, 8);
      c.writeUInt16LE(8, 10);
      c.writeUInt16LE(m.time, 12);
      c.writeUInt16LE(m.date, 14);
      c.writeUInt32LE(m.crc, 16);
      c.writeUInt32LE(m.compressed, 20);
      c.writeUInt32LE(m.size, 24);
      c.writeUInt16LE(m.name.length, 28);
      c.writeUInt32LE(m.offset, 42);
      await this.put(Buffer.concat([c, m.name]));
    }
    if (this.members.length > 0xffff) throw new Error('more than 65535 members needs zip64: not supported');
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.members.length, 8);
    end.writeUInt16LE(this.members.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.put(end);
  }
}
