// Python's REPL history: readline (≤3.12) writes one line per entry; the 3.13 REPL (pyrepl) writes
// the newlines inside an entry as CR LF and ends the entry with a bare LF.
import type { EntryFormat } from './entries.js';
import { continuationParser } from './continuation.js';
import { entryReader } from './reader.js';

export const pythonHistory: EntryFormat = { name: 'python history', kind: 'repl-history', parser: continuationParser({ marker: 0x0d, rawEnd: true }) };
export const reader = entryReader(pythonHistory);
