// fish: `set -gx A …` / `set -Ux A …` / `set --export A …` (exported variables only), `export A=…`,
// and the universal-variable store `fish_variables` (`SETUVAR --export A:…`, \xHH-escaped).
import type { EnvAssignment } from './assignments.js';
import { assignmentFrom } from './sh-assignments.js';
import { lineIndex, statements, type Word, type WordPart } from './shell-words.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NOT_SETTING = /^-[a-zA-Z]*[eqnS]|^--(?:erase|query|names|show)$/;

function setStatement(st: Word[], path: string, at: ReturnType<typeof lineIndex>): EnvAssignment | undefined {
  let exported = false;
  let i = 1;
  for (; i < st.length && st[i]!.raw.startsWith('-'); i++) {
    const flag = st[i]!.raw;
    if (NOT_SETTING.test(flag)) return undefined;
    if (flag === '--export' || (!flag.startsWith('--') && flag.includes('x'))) exported = true;
  }
  const nameWord = st[i];
  if (!exported || !nameWord || !NAME.test(nameWord.raw)) return undefined;
  const valueWords = st.slice(i + 1);
  const parts: WordPart[] = [];
  valueWords.forEach((w, k) => {
    if (k > 0) parts.push({ kind: 'lit', text: ' ' });
    parts.push(...w.parts);
  });
  const rawValue = valueWords.map((w) => w.raw).join(' ');
  const a = assignmentFrom(nameWord.raw, parts, rawValue, nameWord, path, at);
  const { line, column } = at(st[0]!.start);
  return { ...a, line, column, raw: st.map((w) => w.raw).join(' ') };
}

function unescapeUniversal(v: string): string {
  return v.replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/\x1e/g, ' ');
}

export function fishAssignments(text: string, path: string): EnvAssignment[] {
  const at = lineIndex(text);
  const out: EnvAssignment[] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const m = /^SETUVAR\s+--export\s+([A-Za-z_][A-Za-z0-9_]*):(.*)$/.exec(line.replace(/\r$/, ''));
    if (m) out.push({ name: m[1]!, value: unescapeUniversal(m[2]!), ...at(lineStart), path, raw: line });
    lineStart += line.length + 1;
  }
  for (const st of statements(text, 'fish')) {
    const head = st[0]!.raw;
    if (head === 'set') {
      const a = setStatement(st, path, at);
      if (a) out.push(a);
    } else if (head === 'export') {
      for (const w of st.slice(1)) {
        const eq = w.raw.indexOf('=');
        const first = w.parts[0];
        if (eq <= 0 || !first || first.kind !== 'lit' || !NAME.test(w.raw.slice(0, eq))) continue;
        const rest = first.text.slice(eq + 1);
        const parts: WordPart[] = [...(rest ? [{ kind: 'lit' as const, text: rest }] : []), ...w.parts.slice(1)];
        out.push(assignmentFrom(w.raw.slice(0, eq), parts, w.raw.slice(eq + 1), w, path, at));
      }
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
