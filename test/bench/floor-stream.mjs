// The Node floor for one large file: stream it a megabyte at a time and search each piece for one
// needle (carrying the needle's length less one across pieces). Less than this no scanner in Node does.
import { createReadStream } from 'node:fs';

const needle = Buffer.from(['T3Bl', 'bkFJ'].join(''));
let hits = 0;
let tail = Buffer.alloc(0);
for await (const piece of createReadStream(process.argv[2], { highWaterMark: 1 << 20 })) {
  const buf = tail.length > 0 ? Buffer.concat([tail, piece]) : piece;
  for (let i = buf.indexOf(needle); i >= 0; i = buf.indexOf(needle, i + 1)) hits++;
  tail = buf.subarray(Math.max(0, buf.length - needle.length + 1));
}
console.log(`${hits} with the needle`);
