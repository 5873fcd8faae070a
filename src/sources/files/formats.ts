// Which reader a file gets, decided by its name and first bytes, so `keyguard scan export.zip` or
// `keyguard scan ~/.zsh_history` does the right thing without flags. Readers load lazily: the hook
// never pays for a chat-export parser.
import type { Chunk } from '../../types.js';
import type { ScanContext } from '../../scan/context.js';
import type { FileRef } from './file-ref.js';
import type { Sniffed } from './sniff.js';
import { historyFormatEntry } from '../shell-history/registry.js';
import { chatFormatEntry } from '../chat/registry.js';

export interface FormatReader {
  name: string;
  /** Read the file and yield chunks; count it with ctx.countFile. `head` holds the first bytes. */
  read(file: FileRef, ctx: ScanContext, head: Buffer): AsyncIterable<Chunk>;
}

export interface FormatEntry {
  name: string;
  load(): Promise<FormatReader>;
}

/**
 * One kind of format: the entry a file's base name, sniffed kind and first bytes say it is, or
 * undefined. Cheap and synchronous: it runs on every file of a tree, once per kind.
 */
export type FormatFinder = (baseName: string, sniffed: Sniffed, head: Buffer) => FormatEntry | undefined;

/** Asked in order; the first that names a format reads the file. Plain text is the fallback. */
const FINDERS: readonly FormatFinder[] = [
  // shell and REPL histories (src/sources/shell-history/registry.ts), by name or first bytes
  historyFormatEntry,
  // chat exports and agent transcripts (src/sources/chat/registry.ts); ends with the generic JSON/JSONL readers
  chatFormatEntry,
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
  for (const find of FINDERS) {
    const entry = find(base, sniffed, head);
    if (entry) return entry;
  }
  return undefined;
}

export async function readerFor(displayPath: string, sniffed: Sniffed, head: Buffer): Promise<FormatReader | undefined> {
  return formatFor(displayPath, sniffed, head)?.load();
}
