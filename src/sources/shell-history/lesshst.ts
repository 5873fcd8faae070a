// less: `.less-history-file:` then sections (`.search`, `.shell`, `.mark`); entries start with `"`.
import { NEW, SKIP, type EntryFormat, type LineParser, type Role, type StepOut } from './entries.js';
import { entryReader } from './reader.js';

function parser(): LineParser {
  return {
    next(buf: Buffer, start: number, _end: number, out: StepOut): Role {
      const c = buf[start];
      if (c === 0x2e /* . */) return SKIP;
      if (c === 0x22 /* " */) out.from = start + 1;
      return NEW;
    },
  };
}

export const lessHistory: EntryFormat = { name: 'less history', kind: 'repl-history', parser };
export const reader = entryReader(lessHistory);
