// `[history] persistence = "none"` in a Codex config.toml (`keyguard install --codex --codex-history none`):
// Codex then writes no $CODEX_HOME/history.jsonl, where its TUI keeps every prompt typed, a blocked
// one included (reference/prevention.md A3 [EXP-CX t7,t8]). The trade-off: no recall of earlier
// prompts (up arrow, Ctrl-R) across sessions. Text is edited as in codex-config.ts: comments and other
// tables stay, and the result must parse to the old config with only that one setting changed.
import { parse } from 'smol-toml';
import { HookError } from '../../errors.js';
import { canonical, isTable, parseToml, type Table, type TomlEdit } from './codex-config.js';

export type HistoryPersistence = 'none' | 'save-all';

export const HISTORY_VALUES: readonly HistoryPersistence[] = ['none', 'save-all'];

const HEADER = /^[ \t]*\[[ \t]*history[ \t]*\][ \t]*(?:#.*)?\r?$/;
const ANY_HEADER = /^[ \t]*\[/;
const PERSISTENCE = /^([ \t]*)persistence[ \t]*=/;

function expected(before: Table, value: HistoryPersistence): Table {
  const history = isTable(before.history) ? before.history : {};
  return { ...before, history: { ...history, persistence: value } };
}

function means(candidate: string, want: Table): boolean {
  try {
    return canonical(parse(candidate)) === canonical(want);
  } catch {
    return false;
  }
}

/** The config with `[history] persistence = value`: set in an existing [history] table, or a new one at the end. */
export function setHistoryPersistence(path: string, text: string, value: HistoryPersistence): TomlEdit {
  const before = parseToml(path, text);
  const history = before.history;
  if (isTable(history) && history.persistence === value) return { text: undefined, notes: [] };
  const want = expected(before, value);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const setting = `persistence = "${value}"`;
  const lines = text.split('\n');
  const header = lines.findIndex((l) => HEADER.test(l));
  let next: string | undefined;
  if (header >= 0) {
    let at = header + 1;
    let replace = false;
    for (let i = header + 1; i < lines.length && !ANY_HEADER.test(lines[i]!); i++) {
      const m = PERSISTENCE.exec(lines[i]!);
      if (m) {
        at = i;
        replace = true;
        lines[i] = `${m[1]}${setting}${lines[i]!.endsWith('\r') ? '\r' : ''}`;
        break;
      }
    }
    if (!replace) lines.splice(at, 0, `${setting}${eol === '\r\n' ? '\r' : ''}`);
    next = lines.join('\n');
  } else if (history === undefined) {
    const sep = text === '' ? '' : text.endsWith('\n') ? eol : eol + eol;
    const why = value === 'none' ? `# keyguard install --codex-history none: no history.jsonl of prompts (and no recall of earlier ones)${eol}` : '';
    next = `${text}${sep}${why}[history]${eol}${setting}${eol}`;
  }
  if (next === undefined || !means(next, want)) {
    throw new HookError(
      `${path}: keyguard cannot set [history] persistence there without changing what the rest of the file means ` +
        `(is "history" written as dotted keys or an inline table?); nothing changed. Set it by hand: [history] ${setting}`,
    );
  }
  return { text: next, notes: [] };
}
