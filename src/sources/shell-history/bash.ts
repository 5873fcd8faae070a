// bash: one command per line; with HISTTIMEFORMAT each entry follows a `#<epoch>` line, and then the
// lines up to the next marker are one entry (lithist and here-documents keep real newlines). Files
// often mix marked and unmarked sessions.
import { MORE, NEW, SKIP, type EntryFormat, type LineParser, type Role, type StepOut } from './entries.js';
import { entryReader } from './reader.js';
import { digitsAt } from './time.js';

function parser(): LineParser {
  let pending: number | undefined;
  let marked = false;
  return {
    next(buf: Buffer, start: number, _end: number, out: StepOut): Role {
      if (buf[start] === 0x23 /* # */) {
        let to = out.to;
        while (to > start + 1 && (buf[to - 1] === 0x20 || buf[to - 1] === 0x09)) to--;
        const t = digitsAt(buf, start + 1, to);
        if (t !== undefined) {
          pending = t;
          return SKIP;
        }
      }
      if (pending !== undefined) {
        out.time = pending;
        pending = undefined;
        marked = true;
        return NEW;
      }
      return marked ? MORE : NEW;
    },
  };
}

export const bashHistory: EntryFormat = { name: 'bash history', kind: 'shell-history', parser };
export const reader = entryReader(bashHistory);
