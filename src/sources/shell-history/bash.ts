// bash: one command per line; with HISTTIMEFORMAT each entry follows a `#<epoch>` line, and then the
// lines up to the next marker are one entry (lithist and here-documents keep real newlines). Files
// often mix marked and unmarked sessions. Unmarked, a line that ends in an unescaped `\` goes on
// on the next line: that is how bash writes a `\`-continued command whose newline it kept (inside
// quotes with cmdhist, or every line with cmdhist off); the shell itself read them as one command.
// Joining them only groups lines into one entry: the engine joins a key's pieces only into exactly
// one key shape, so an entry that was really two commands costs at most an `entryLine` note.
import { MORE, NEW, SKIP, type EntryFormat, type LineParser, type Role, type StepOut } from './entries.js';
import { entryReader } from './reader.js';
import { digitsAt } from './time.js';

/** The line ends in `\` that is not itself escaped (bash looks at the one character before, too). */
function endsInContinuation(buf: Buffer, start: number, to: number): boolean {
  return to > start && buf[to - 1] === 0x5c && (to - 1 === start || buf[to - 2] !== 0x5c);
}

function parser(): LineParser {
  let pending: number | undefined;
  let marked = false;
  let continued = false;
  return {
    next(buf: Buffer, start: number, _end: number, out: StepOut): Role {
      const wasContinued = continued;
      continued = endsInContinuation(buf, start, out.to);
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
      return marked || wasContinued ? MORE : NEW;
    },
  };
}

export const bashHistory: EntryFormat = { name: 'bash history', kind: 'shell-history', parser };
export const reader = entryReader(bashHistory);
