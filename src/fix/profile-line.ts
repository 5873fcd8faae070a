// --fix for profiles, the pure part: which lines hold a key in a form keyguard can rewrite, and what
// each becomes. A line is rewritten only when it is one whole, simple assignment of the key
// (`export NAME=KEY`, fish `set -gx NAME KEY`, PowerShell `$env:NAME = 'KEY'`) AND the profile parser
// agrees that a statement setting NAME to KEY starts on that line: that rules out here-document
// bodies, continuation lines and multi-line strings, where the same text is not an assignment. Anything
// else is refused with the reason; it is never redacted to a value that is not the key (every new
// shell would export a bogus key and nothing would say so).
import type { ShellKind } from '../discover/profiles.js';
import { parseAssignments, type EnvAssignment } from '../sources/shell-profiles/assignments.js';

/** How the rewritten line gets the key when the shell starts. */
export type Reader = { kind: 'command'; argv: readonly string[] } | { kind: 'file'; path: string };

/** One line that holds a key, as the user wrote it. */
export interface KeyLine {
  /** 1-based */
  line: number;
  /** the variable it sets */
  name: string;
  secret: string;
  /** the physical line without its line end (latin1: one character per byte) */
  text: string;
  /** builds the line that reads the key at run time instead */
  rewrite(reader: Reader): string;
  /** the key is in a comment: the line sets nothing, so it is deleted */
  comment?: boolean;
}

export interface LineRefusal {
  line: number;
  why: string;
}

export interface LinePlan {
  lines: KeyLine[];
  refused: LineRefusal[];
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
/** what may follow the value: spaces, a `;`, a comment */
const TAIL = '((?:[ \\t]*;)?(?:[ \\t]+#.*)?[ \\t]*)';
const VALUE = `('[A-Za-z0-9_-]+'|"[A-Za-z0-9_-]+"|[A-Za-z0-9_-]+)`;
const SH_LINE = new RegExp(`^([ \\t]*)((?:export[ \\t]+)?)(${NAME})=${VALUE}${TAIL}$`);
// fish: only session-global exported variables; `-U` would copy the key into fish_variables on every start
const FISH_SET = new RegExp(`^([ \\t]*)(set[ \\t]+(?:(?:-[gx]+|--global|--export)[ \\t]+)+)(${NAME})[ \\t]+${VALUE}${TAIL}$`);
const FISH_EXPORT = new RegExp(`^([ \\t]*)(export[ \\t]+)(${NAME})=${VALUE}${TAIL}$`);
const PWSH_LINE = new RegExp(`^([ \\t]*)(\\$env:)(${NAME})([ \\t]*=[ \\t]*)('[A-Za-z0-9_-]+'|"[A-Za-z0-9_-]+")${TAIL}$`, 'i');

/** POSIX shell single quotes, only when needed. */
export function shWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** fish: inside single quotes only `\\` and `\'` are escapes. */
export function fishWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** PowerShell single quotes: a quote is doubled. */
export function pwshWord(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The run-time read, in the shell's own syntax, as the value of an assignment. */
export function readerExpression(reader: Reader, shell: ShellKind): string {
  switch (shell) {
    case 'fish':
      return reader.kind === 'file' ? `(cat ${fishWord(reader.path)})` : `(${reader.argv.map(fishWord).join(' ')})`;
    case 'pwsh':
      return reader.kind === 'file'
        ? `(Get-Content -Raw -LiteralPath ${pwshWord(reader.path)})`
        : `(& ${reader.argv.map(pwshWord).join(' ')} | Out-String).Trim()`;
    default:
      return reader.kind === 'file' ? `"$(cat ${shWord(reader.path)})"` : `"$(${reader.argv.map(shWord).join(' ')})"`;
  }
}

function unquote(v: string): string {
  return v.startsWith("'") || v.startsWith('"') ? v.slice(1, -1) : v;
}

/** Why keyguard cannot make this kind of file read a key at run time, or undefined when it can. */
export function fileRefusal(shell: ShellKind, baseName: string): string | undefined {
  if (shell === 'env') {
    return (
      'a dotenv file cannot run a command or read another file, so keyguard cannot make it fetch the key at run time; ' +
      'set the variable in your shell profile instead (keyguard audit --fix can then move it to your secret store), ' +
      'or delete the line with --fix --remove'
    );
  }
  if (baseName === 'fish_variables') {
    return (
      'fish_variables is fish’s own store of universal variables (fish rewrites it): run `set -Ue NAME` in fish, then set it in ' +
      'config.fish with `set -gx NAME (…)` reading your secret store'
    );
  }
  return undefined;
}

/** The lines of `text` (one character per byte) holding the keys found there, and the ones refused. */
export function planLines(text: string, path: string, shell: ShellKind, found: readonly { line: number; secret: string }[]): LinePlan {
  const physical = text.split('\n');
  const byLine = new Map<number, Set<string>>();
  for (const f of found) {
    const set = byLine.get(f.line) ?? new Set<string>();
    set.add(f.secret);
    byLine.set(f.line, set);
  }
  const assignments = parseAssignments(text, path, shell);
  const plan: LinePlan = { lines: [], refused: [] };
  for (const [line, secrets] of [...byLine].sort((a, b) => a[0] - b[0])) {
    const raw = physical[line - 1];
    if (raw === undefined) {
      plan.refused.push({ line, why: 'the file changed since it was read' });
      continue;
    }
    const cr = raw.endsWith('\r') ? '\r' : '';
    const body = cr ? raw.slice(0, -1) : raw;
    if (secrets.size === 1 && commentLine(physical, line, path, shell, assignments)) {
      const secret = [...secrets][0]!;
      plan.lines.push({ line, name: /([A-Za-z_][A-Za-z0-9_]*)[ \t]*=/.exec(body)?.[1] ?? 'a comment', secret, text: body, rewrite: () => '', comment: true });
      continue;
    }
    const keyLine = simpleAssignment(body, shell, secrets, cr);
    if (typeof keyLine === 'string') {
      plan.refused.push({ line, why: keyLine });
      continue;
    }
    const parsed = assignments.some((a) => a.name === keyLine.name && a.line === line && a.value === keyLine.secret);
    if (!parsed) {
      plan.refused.push({ line, why: 'the line is not a statement of its own (inside a here-document, a multi-line string or a continued line)' });
      continue;
    }
    plan.lines.push({ ...keyLine, line });
  }
  return plan;
}

/**
 * A line that is only a comment, and deleting it changes no statement: not inside a here-document or
 * here-string (none opens before it), nor a multi-line string (every assignment parses the same without it).
 */
function commentLine(physical: readonly string[], line: number, path: string, shell: ShellKind, assignments: readonly EnvAssignment[]): boolean {
  if (!/^[ \t]*#/.test(physical[line - 1]!)) return false;
  const before = physical.slice(0, line - 1).join('\n');
  if (/<<|@["']/.test(before)) return false;
  const without = parseAssignments([...physical.slice(0, line - 1), ...physical.slice(line)].join('\n'), path, shell);
  const same = (a: EnvAssignment, b: EnvAssignment): boolean => a.name === b.name && a.value === b.value && a.raw === b.raw;
  return without.length === assignments.length && without.every((a, i) => same(a, assignments[i]!));
}

/** The assignment on a line, or why it is not one keyguard rewrites. */
function simpleAssignment(body: string, shell: ShellKind, secrets: ReadonlySet<string>, cr: string): Omit<KeyLine, 'line'> | string {
  if (secrets.size > 1) return 'the line holds more than one key';
  const secret = [...secrets][0]!;
  const m = shell === 'fish' ? (FISH_SET.exec(body) ?? FISH_EXPORT.exec(body)) : shell === 'pwsh' ? PWSH_LINE.exec(body) : SH_LINE.exec(body);
  if (!m || unquote(m[shell === 'pwsh' ? 5 : 4]!) !== secret) {
    return shell === 'fish'
      ? 'it is not a simple `set -gx NAME KEY` line (a function, a universal variable, several statements…)'
      : shell === 'pwsh'
        ? "it is not a simple `$env:NAME = 'KEY'` line"
        : 'it is not a simple `export NAME=KEY` line (a function body on one line, several statements, an alias…)';
  }
  const [, indent, prefix, name] = m as unknown as [string, string, string, string];
  const rewrite = (reader: Reader): string => {
    const value = readerExpression(reader, shell);
    if (shell === 'pwsh') return `${indent}${prefix}${name}${m[4]!}${value}${m[6]!}${cr}`;
    const sep = shell === 'fish' && prefix.startsWith('set') ? ' ' : '=';
    return `${indent}${prefix}${name}${sep}${value}${m[5]!}${cr}`;
  };
  return { name, secret, text: body, rewrite };
}
