// POSIX-family assignments: `export A=…`, `A=…`, `declare -x A=…`, `typeset`, `readonly`,
// `export A=1 B=2`, and macOS `launchctl setenv A …`.
import type { EnvAssignment } from './assignments.js';
import { runtimeFetchOf } from './runtime-fetch.js';
import { lineIndex, literalOf, statements, type Word, type WordPart } from './shell-words.js';

const DECLARERS = new Set(['export', 'declare', 'typeset', 'readonly', 'local']);
const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)\+?=/;

/** The parts after `NAME=` in an assignment word, or undefined when the word is not one. */
function splitAssignment(word: Word): { name: string; parts: WordPart[] } | undefined {
  const first = word.parts[0];
  const m = ASSIGN.exec(word.raw);
  if (!m || !first || first.kind !== 'lit' || !first.text.startsWith(m[0])) return undefined;
  const rest = first.text.slice(m[0].length);
  return { name: m[1]!, parts: [...(rest ? [{ kind: 'lit' as const, text: rest }] : []), ...word.parts.slice(1)] };
}

export function assignmentFrom(
  name: string,
  parts: readonly WordPart[],
  rawValue: string,
  word: Word,
  path: string,
  at: ReturnType<typeof lineIndex>,
): EnvAssignment {
  const value = parts.length === 0 ? '' : literalOf(parts);
  const { line, column } = at(word.start);
  const a: EnvAssignment = { name, value, line, column, path, raw: word.raw };
  if (value === null) {
    const fetch = runtimeFetchOf(rawValue);
    if (fetch) a.runtimeFetch = fetch;
  }
  return a;
}

export function shAssignments(text: string, path: string): EnvAssignment[] {
  const at = lineIndex(text);
  const out: EnvAssignment[] = [];
  for (const st of statements(text, 'sh')) {
    const head = st[0]!;
    if (head.raw === 'launchctl' && st[1]?.raw === 'setenv' && st[2] && st[3]) {
      const name = literalOf(st[2].parts);
      if (name)
        out.push({
          ...assignmentFrom(name, st[3].parts, st[3].raw, st[3], path, at),
          ...at(head.start),
          raw: st
            .slice(0, 4)
            .map((w) => w.raw)
            .join(' '),
        });
      continue;
    }
    let words: Word[] = st;
    if (DECLARERS.has(head.raw)) {
      words = st.slice(1).filter((w) => !w.raw.startsWith('-') && !w.raw.startsWith('+'));
    }
    for (const w of words) {
      const split = splitAssignment(w);
      // leading assignments only: `A=1 cmd B=2` sets A (for cmd), and B is an argument
      if (!split) {
        if (words === st) break;
        continue;
      }
      out.push(assignmentFrom(split.name, split.parts, w.raw.slice(w.raw.indexOf('=') + 1), w, path, at));
    }
  }
  return out;
}
