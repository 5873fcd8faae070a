// irb (Reline): the lines of a multi-line entry are joined with `\` + newline.
import type { EntryFormat } from './entries.js';
import { continuationParser } from './continuation.js';
import { entryReader } from './reader.js';

export const irbHistory: EntryFormat = { name: 'irb history', kind: 'repl-history', parser: continuationParser({ marker: 0x5c, rawEnd: true }) };
export const reader = entryReader(irbHistory);
