// Which reader a file gets, decided by its name and first bytes, so `keyguard scan export.zip` or
// `keyguard scan ~/.zsh_history` does the right thing without flags. Readers load lazily: the hook
// never pays for a chat-export parser.
import type { Chunk } from '../../types.js';
import type { ScanContext } from '../../scan/context.js';
import type { FileRef } from './file-ref.js';
import type { Sniffed } from './sniff.js';
import { HISTORY_FORMAT_ENTRIES } from '../shell-history/registry.js';
import { CHAT_FORMAT_ENTRIES } from '../chat/registry.js';

export interface FormatReader {
  name: string;
  /** Read the file and yield chunks; count it with ctx.countFile. `head` holds the first bytes. */
  read(file: FileRef, ctx: ScanContext, head: Buffer): AsyncIterable<Chunk>;
}

export interface FormatEntry {
  name: string;
  /** cheap and synchronous: the base name, the sniffed kind and the first bytes */
  test(baseName: string, sniffed: Sniffed, head: Buffer): boolean;
  load(): Promise<FormatReader>;
}

/** Tried in order; the first whose test passes reads the file. Plain text is the fallback. */
export const FORMATS: FormatEntry[] = [
  // shell and REPL histories (src/sources/shell-history/registry.ts), by name or first bytes
  ...HISTORY_FORMAT_ENTRIES,
  // chat exports and agent transcripts (src/sources/chat/registry.ts); ends with the generic JSON/JSONL readers
  ...CHAT_FORMAT_ENTRIES,
];

function baseNameOf(displayPath: string): string {
  const bang = displayPath.lastIndexOf('!');
  const inner = displayPath.slice(bang + 1);
  // a gzip's content (`chat.jsonl.gz!`) is named by the gzip without `.gz`
  if (inner === '' && bang > 0) return baseNameOf(displayPath.slice(0, bang)).replace(/\.t?gz$/i, (ext) => (ext.length === 4 ? '.tar' : ''));
  return inner.slice(Math.max(inner.lastIndexOf('/'), inner.lastIndexOf('\\')) + 1);
}

/** The format whose test passes, without loading its reader (cheap and synchronous). */
export function formatFor(displayPath: string, sniffed: Sniffed, head: Buffer): FormatEntry | undefined {
  const base = baseNameOf(displayPath);
  return FORMATS.find((f) => f.test(base, sniffed, head));
}

export async function readerFor(displayPath: string, sniffed: Sniffed, head: Buffer): Promise<FormatReader | undefined> {
  return formatFor(displayPath, sniffed, head)?.load();
}
