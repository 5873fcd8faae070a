// libedit's `_HiStOrY_V2_` files (macOS python, psql, mysql, sqlite3): one vis-encoded entry per line.
import { NEW, SKIP, type EntryFormat, type LineParser, type Role } from './entries.js';
import { unvis } from './escapes.js';
import { entryReader } from './reader.js';

export const LIBEDIT_HEADER = '_HiStOrY_V2_';

function parser(): LineParser {
  let first = true;
  return {
    next(buf: Buffer, start: number): Role {
      const header = first && buf.toString('latin1', start, start + LIBEDIT_HEADER.length) === LIBEDIT_HEADER;
      first = false;
      return header ? SKIP : NEW;
    },
  };
}

export const libeditHistory: EntryFormat = { name: 'libedit history', kind: 'repl-history', parser, decode: unvis, escapesBreaks: true };
export const reader = entryReader(libeditHistory);
