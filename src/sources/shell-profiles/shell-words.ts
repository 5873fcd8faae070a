// Shell statements as words, enough to read assignments and `source` lines out of profiles: quotes,
// escapes, command substitutions ($(…), `…`, fish (…)), comments, line continuations and here-documents
// (whose bodies are not statements). Not a full shell grammar: it never evaluates anything.

export type Dialect = 'sh' | 'fish';

export interface WordPart {
  /** lit: characters as the shell sees them after unquoting; sub: a command substitution (raw inner text); var: an expansion (raw) */
  kind: 'lit' | 'sub' | 'var';
  text: string;
}

export interface Word {
  raw: string;
  start: number;
  end: number;
  parts: WordPart[];
}

export type Statement = Word[];

const SH_RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '{', '}', '!', 'time', 'exec', 'command', 'builtin']);
const FISH_RESERVED = new Set(['if', 'else', 'end', 'begin', 'and', 'or', 'not', 'while', 'command', 'builtin', 'exec']);

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r';
}

/** Index just past the `)` closing a substitution opened before `i`, skipping quoted text inside. */
function closeParen(text: string, i: number): number {
  let depth = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === "'") i = text.indexOf("'", i + 1) < 0 ? text.length : text.indexOf("'", i + 1) + 1;
    else if (c === '"') i = closeDouble(text, i + 1);
    else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      if (--depth === 0) return i + 1;
      i++;
    } else i++;
  }
  return text.length;
}

function closeDouble(text: string, i: number): number {
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if (c === '$' && text[i + 1] === '(') i = closeParen(text, i + 2);
    else i++;
  }
  return text.length;
}

function closeBrace(text: string, i: number): number {
  const j = text.indexOf('}', i);
  return j < 0 ? text.length : j + 1;
}

const NAME_CHAR = /[A-Za-z0-9_]/;
const ANSI_C: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

class WordReader {
  parts: WordPart[] = [];
  constructor(
    private readonly text: string,
    private readonly dialect: Dialect,
  ) {}

  private lit(s: string): void {
    const last = this.parts[this.parts.length - 1];
    if (last && last.kind === 'lit') last.text += s;
    else this.parts.push({ kind: 'lit', text: s });
  }

  /** `$…` at i: returns the index after it. */
  private dollar(i: number): number {
    const t = this.text;
    const next = t[i + 1];
    if (next === '(') {
      const end = closeParen(t, i + 2);
      this.parts.push({ kind: 'sub', text: t.slice(i + 2, end - 1) });
      return end;
    }
    if (next === '{' && this.dialect === 'sh') {
      const end = closeBrace(t, i + 2);
      this.parts.push({ kind: 'var', text: t.slice(i, end) });
      return end;
    }
    if (next === "'" && this.dialect === 'sh') return this.ansiC(i + 2);
    if (next !== undefined && (NAME_CHAR.test(next) || (this.dialect === 'sh' && '?@*#$!-'.includes(next)))) {
      let j = i + 2;
      if (NAME_CHAR.test(next)) while (j < t.length && NAME_CHAR.test(t[j]!)) j++;
      this.parts.push({ kind: 'var', text: t.slice(i, j) });
      return j;
    }
    this.lit('$');
    return i + 1;
  }

  private ansiC(i: number): number {
    const t = this.text;
    let s = '';
    while (i < t.length && t[i] !== "'") {
      if (t[i] === '\\' && i + 1 < t.length) {
        const e = t[i + 1]!;
        if (e === 'x') {
          const m = /^[0-9A-Fa-f]{1,2}/.exec(t.slice(i + 2, i + 4));
          s += m ? String.fromCharCode(parseInt(m[0], 16)) : '\\x';
          i += 2 + (m ? m[0].length : 0);
        } else if (e >= '0' && e <= '7') {
          const m = /^[0-7]{1,3}/.exec(t.slice(i + 1, i + 4))!;
          s += String.fromCharCode(parseInt(m[0], 8));
          i += 1 + m[0].length;
        } else {
          s += ANSI_C[e] ?? `\\${e}`;
          i += 2;
        }
      } else s += t[i++];
    }
    this.lit(s);
    return i + 1;
  }

  private double(i: number): number {
    const t = this.text;
    let s = '';
    while (i < t.length && t[i] !== '"') {
      const c = t[i]!;
      if (c === '\\') {
        const e = t[i + 1];
        if (e === '\n') i += 2;
        else if (e !== undefined && '$`"\\'.includes(e)) {
          s += e;
          i += 2;
        } else {
          s += c;
          i++;
        }
      } else if (c === '$' || (c === '`' && this.dialect === 'sh')) {
        if (s) this.lit(s);
        s = '';
        i = c === '$' ? this.dollar(i) : this.backtick(i);
      } else {
        s += c;
        i++;
      }
    }
    if (s || this.parts.length === 0) this.lit(s);
    return i + 1;
  }

  private single(i: number): number {
    const t = this.text;
    if (this.dialect === 'sh') {
      const j = t.indexOf("'", i);
      const end = j < 0 ? t.length : j;
      this.lit(t.slice(i, end));
      return end + 1;
    }
    // fish: \' and \\ are the only escapes inside single quotes
    let s = '';
    while (i < t.length && t[i] !== "'") {
      if (t[i] === '\\' && (t[i + 1] === "'" || t[i + 1] === '\\')) {
        s += t[i + 1];
        i += 2;
      } else s += t[i++];
    }
    this.lit(s);
    return i + 1;
  }

  private backtick(i: number): number {
    const t = this.text;
    let j = i + 1;
    while (j < t.length && t[j] !== '`') j += t[j] === '\\' ? 2 : 1;
    this.parts.push({ kind: 'sub', text: t.slice(i + 1, j) });
    return j + 1;
  }

  /** Read one word starting at i; returns the index after it. */
  read(i: number): number {
    const t = this.text;
    while (i < t.length) {
      const c = t[i]!;
      if (isSpace(c) || c === '\n' || c === ';' || c === '&' || c === '|' || c === '<' || c === '>') break;
      if (this.dialect === 'sh' && (c === '(' || c === ')')) break;
      if (this.dialect === 'fish' && c === ')') break;
      if (c === "'") i = this.single(i + 1);
      else if (c === '"') i = this.double(i + 1);
      else if (c === '$') i = this.dollar(i);
      else if (c === '`' && this.dialect === 'sh') i = this.backtick(i);
      else if (c === '(' && this.dialect === 'fish') {
        const end = closeParen(t, i + 1);
        this.parts.push({ kind: 'sub', text: t.slice(i + 1, end - 1) });
        i = end;
      } else if (c === '\\') {
        const e = t[i + 1];
        if (e === '\n') i += 2;
        else if (e === undefined) i++;
        else {
          this.lit(this.dialect === 'fish' && e === 'n' ? '\n' : this.dialect === 'fish' && e === 't' ? '\t' : e);
          i += 2;
        }
      } else {
        this.lit(c);
        i++;
      }
    }
    return i;
  }
}

/** Skip here-document bodies that start at `i` (the line after `<<WORD`). */
function skipHeredocs(text: string, i: number, delims: string[]): number {
  while (delims.length > 0) {
    const d = delims.shift()!;
    for (;;) {
      if (i >= text.length) return i;
      const nl = text.indexOf('\n', i);
      const line = text.slice(i, nl < 0 ? text.length : nl).replace(/\r$/, '');
      i = nl < 0 ? text.length : nl + 1;
      if (line.replace(/^\t+/, '') === d) break;
    }
  }
  return i;
}

/** The statements of a profile, each as its words, reserved words at the start removed. */
export function statements(text: string, dialect: Dialect): Statement[] {
  const out: Statement[] = [];
  const reserved = dialect === 'sh' ? SH_RESERVED : FISH_RESERVED;
  let cur: Word[] = [];
  let redirect = false;
  const heredocs: string[] = [];
  const end = (): void => {
    while (cur.length > 0 && cur[0]!.parts.length === 1 && cur[0]!.parts[0]!.kind === 'lit' && reserved.has(cur[0]!.raw)) cur.shift();
    if (cur.length > 0) out.push(cur);
    cur = [];
    redirect = false;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c)) i++;
    else if (c === '\\' && text[i + 1] === '\n') i += 2;
    else if (c === '\\' && text[i + 1] === '\r' && text[i + 2] === '\n') i += 3;
    else if (c === '\n') {
      end();
      i = skipHeredocs(text, i + 1, heredocs);
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (dialect === 'sh' && c === '<' && text[i + 1] === '<' && text[i + 2] !== '<') {
      i += text[i + 2] === '-' ? 3 : 2;
      while (isSpace(text[i])) i++;
      const r = new WordReader(text, dialect);
      const endW = r.read(i);
      heredocs.push(r.parts.map((p) => p.text).join(''));
      i = endW;
    } else if (c === '<' || c === '>') {
      redirect = true;
      i++;
      if (text[i] === '&') i++;
    } else if (c === ';' || c === '&' || c === '|' || c === ')' || (c === '(' && dialect === 'sh')) {
      end();
      i++;
    } else {
      const r = new WordReader(text, dialect);
      const endW = r.read(i);
      if (endW === i) {
        i++;
        continue;
      }
      if (redirect) redirect = false;
      else cur.push({ raw: text.slice(i, endW), start: i, end: endW, parts: r.parts });
      i = endW;
    }
  }
  end();
  return out;
}

/** The word's value when it is literal, or null when it depends on an expansion or a substitution. */
export function literalOf(parts: readonly WordPart[]): string | null {
  let s = '';
  for (const p of parts) {
    if (p.kind !== 'lit') return null;
    s += p.text;
  }
  return s;
}

/** 1-based line and column of an offset, from a table of line starts. */
export function lineIndex(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}
