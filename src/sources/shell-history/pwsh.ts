// PowerShell PSReadLine: one entry per line (CRLF on Windows); each non-final line of a multi-line
// entry ends with a backtick before a bare LF. No timestamps.
import type { EntryFormat } from './entries.js';
import { continuationParser } from './continuation.js';
import { entryReader } from './reader.js';

export const pwshHistory: EntryFormat = { name: 'PowerShell history', kind: 'shell-history', parser: continuationParser({ marker: 0x60 }) };
export const reader = entryReader(pwshHistory);
