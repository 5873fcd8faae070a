// Every history format by name: how to recognise it from a file name or its first bytes (for
// `keyguard scan ~/.zsh_history` and `keyguard audit PATH`), and how to load its reader (lazily).
// Discovery (src/audit) knows the format of what it finds and asks for the reader by name.
import type { FormatEntry, FormatReader } from '../files/formats.js';
import type { Sniffed } from '../files/sniff.js';

export type HistoryFormat =
  'bash' | 'zsh' | 'fish' | 'pwsh' | 'nushell' | 'python' | 'libedit' | 'psql' | 'irb' | 'less' | 'repl-lines' | 'shell-lines' | 'sqlite';

export const HISTORY_READERS: Record<HistoryFormat, () => Promise<FormatReader>> = {
  bash: async () => (await import('./bash.js')).reader,
  zsh: async () => (await import('./zsh.js')).reader,
  fish: async () => (await import('./fish.js')).reader,
  pwsh: async () => (await import('./pwsh.js')).reader,
  nushell: async () => (await import('./lines.js')).nushellReader,
  python: async () => (await import('./python.js')).reader,
  libedit: async () => (await import('./libedit.js')).reader,
  psql: async () => (await import('./lines.js')).psqlReader,
  irb: async () => (await import('./irb.js')).reader,
  less: async () => (await import('./lesshst.js')).reader,
  'repl-lines': async () => (await import('./lines.js')).replReader,
  'shell-lines': async () => (await import('./lines.js')).shellReader,
  sqlite: async () => (await import('./sqlite-stores.js')).reader,
};

const ZSH_NAMES = /^(?:\.zsh_history|zsh_history|\.zhistory|\.histfile)(?:\.new|\.LOCK)?$/;
const ZSH_EXTENDED = /^: \d{9,11}:\d+;/;
const BASH_MARKER = /^#\d{9,11}\r?\n/;

function headText(head: Buffer): string {
  return head.toString('latin1', 0, Math.min(head.length, 512));
}

/** zsh or bash, from content, for a history whose name does not say (HISTFILE=~/.hist). */
export function shellHistoryFormat(head: Buffer): 'zsh' | 'bash' {
  const text = headText(head);
  if (ZSH_EXTENDED.test(text) || /\n: \d{9,11}:\d+;/.test(text) || head.includes(0x83)) return 'zsh';
  return 'bash';
}

/** Every name below holds one of these: a name without says nothing of history. */
const HISTORY_NAME_HINT = /hist|lesshst/;

/** The format a file's name or first bytes say it is, or undefined. */
export function historyFormatOf(baseName: string, sniffed: Sniffed, head: Buffer): HistoryFormat | undefined {
  if (sniffed === 'sqlite') {
    return /^(?:history\.db|history\.sqlite3?|history\.sqlite)$/.test(baseName) ? 'sqlite' : undefined;
  }
  if (sniffed !== 'text' && sniffed !== 'binary') return undefined;
  // the head as text only for the few files whose name or first byte asks for it
  const text = (): string => headText(head);
  // this runs on every file of a tree, and most names say nothing of history: then only the first
  // bytes can say, and seldom do (a Markdown file starts with `#` too)
  if (!HISTORY_NAME_HINT.test(baseName)) return formatByFirstBytes(sniffed, head, text);
  if (head[0] === 0x5f && text().startsWith('_HiStOrY_V2_')) return 'libedit';
  if (ZSH_NAMES.test(baseName)) return 'zsh';
  if (/^\.?bash_history$/.test(baseName)) return 'bash';
  if (/^(?:.*_)?history$/.test(baseName) && text().startsWith('- cmd: ')) return 'fish';
  if (/_history\.txt$/.test(baseName)) return 'pwsh';
  if (baseName === 'history.txt' && text().includes('<\\n>')) return 'nushell';
  if (/^\.?python_history$/.test(baseName)) return 'python';
  if (/^\.?psql_history(?:-.*)?$/.test(baseName)) return 'psql';
  if (/^\.?irb_history$/.test(baseName)) return 'irb';
  if (/^[._]?lesshst$/.test(baseName) || (head[0] === 0x2e && text().startsWith('.less-history-file:'))) return 'less';
  if (/^\.(?:node_repl|mysql|sqlite|rediscli)_history$/.test(baseName)) return 'repl-lines';
  return formatByFirstBytes(sniffed, head, text);
}

/** The formats whose first bytes say what they are, whatever the file's name: `_HiStOrY_V2_`, `.less-history-file:`, `: <time>:0;` (zsh), `#<time>` (bash). */
function formatByFirstBytes(sniffed: Sniffed, head: Buffer, text: () => string): HistoryFormat | undefined {
  if (head[0] === 0x5f && text().startsWith('_HiStOrY_V2_')) return 'libedit';
  if (head[0] === 0x2e && text().startsWith('.less-history-file:')) return 'less';
  if (sniffed === 'text' && head[0] === 0x3a && ZSH_EXTENDED.test(text())) return 'zsh';
  if (sniffed === 'text' && head[0] === 0x23 && BASH_MARKER.test(text())) return 'bash';
  return undefined;
}

/** One entry per history format. */
const HISTORY_ENTRIES = Object.fromEntries(
  (Object.keys(HISTORY_READERS) as HistoryFormat[]).map((format) => [format, { name: `${format} history`, load: HISTORY_READERS[format] }]),
) as Record<HistoryFormat, FormatEntry>;

/** The history format a file's name or first bytes say it is (a FormatFinder). */
export function historyFormatEntry(baseName: string, sniffed: Sniffed, head: Buffer): FormatEntry | undefined {
  const format = historyFormatOf(baseName, sniffed, head);
  return format && HISTORY_ENTRIES[format];
}
