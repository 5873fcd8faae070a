// fish's YAML-like history (not YAML): `- cmd: <escaped>`, `  when: <epoch>`, `  paths:` and
// `    - <escaped path>`. Only `\\` and `\n` are escapes.
import { MORE, NEW, SKIP, type EntryFormat, type LineParser, type Role, type StepOut } from './entries.js';
import { fishUnescape } from './escapes.js';
import { entryReader } from './reader.js';
import { digitsAt } from './time.js';

const CMD = Buffer.from('- cmd:');
const WHEN = Buffer.from('  when:');
const PATH_ITEM = Buffer.from('    - ');

function startsWith(buf: Buffer, start: number, to: number, prefix: Buffer): boolean {
  return to - start >= prefix.length && buf.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0;
}

function parser(): LineParser {
  return {
    next(buf: Buffer, start: number, _end: number, out: StepOut): Role {
      if (startsWith(buf, start, out.to, CMD)) {
        out.from = start + CMD.length + (buf[start + CMD.length] === 0x20 ? 1 : 0);
        return NEW;
      }
      if (startsWith(buf, start, out.to, WHEN)) {
        let from = start + WHEN.length;
        while (buf[from] === 0x20) from++;
        out.time = digitsAt(buf, from, out.to);
        return SKIP;
      }
      if (startsWith(buf, start, out.to, PATH_ITEM)) {
        out.from = start + PATH_ITEM.length;
        return MORE;
      }
      return SKIP;
    },
  };
}

export const fishHistory: EntryFormat = { name: 'fish history', kind: 'shell-history', parser, decode: fishUnescape, escapesBreaks: true };
export const reader = entryReader(fishHistory);
