// Formats with one entry per line and no escaping (node, MariaDB mysql, sqlite3 with readline,
// rediscli, …), and the two that differ only in their escape: psql (0x01 newlines) and nushell
// (`<\n>` newlines).
import { NEW, type EntryFormat, type LineParser } from './entries.js';
import { nushellUnescape, psqlUnescape } from './escapes.js';
import { entryReader } from './reader.js';

const everyLine = (): LineParser => ({ next: () => NEW });

export const replLines: EntryFormat = { name: 'REPL history', kind: 'repl-history', parser: everyLine };
export const shellLines: EntryFormat = { name: 'shell history', kind: 'shell-history', parser: everyLine };
export const psqlHistory: EntryFormat = { name: 'psql history', kind: 'repl-history', parser: everyLine, decode: psqlUnescape, escapesBreaks: true };
export const nushellText: EntryFormat = { name: 'nushell history', kind: 'shell-history', parser: everyLine, decode: nushellUnescape, escapesBreaks: true };

export const replReader = entryReader(replLines);
export const shellReader = entryReader(shellLines);
export const psqlReader = entryReader(psqlHistory);
export const nushellReader = entryReader(nushellText);
