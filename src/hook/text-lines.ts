// A user's hook or config file as lines that remember their own line ends, so that keyguard's edits
// are exactly undone: uninstall gives back the same bytes install found, CRLF and a missing final
// newline included.
//
// The text is the file's bytes read as latin1 (one character per byte), so whatever the encoding,
// invalid UTF-8 included, writing it back gives the same bytes; the lines keyguard adds are ASCII.

export interface TextLines {
  /** each line without its end */
  readonly lines: string[];
  /** each line's end: '\n', '\r\n', or '' for a last line without one */
  readonly ends: string[];
}

export function splitLines(text: string): TextLines {
  const lines: string[] = [];
  const ends: string[] = [];
  const re = /\r?\n/g;
  let from = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    lines.push(text.slice(from, m.index));
    ends.push(m[0]);
    from = m.index + m[0].length;
  }
  if (from < text.length) {
    lines.push(text.slice(from));
    ends.push('');
  }
  return { lines, ends };
}

export function joinText(doc: TextLines): string {
  let out = '';
  for (let i = 0; i < doc.lines.length; i++) out += `${doc.lines[i]}${doc.ends[i]}`;
  return out;
}

/** The line end most of the file uses (a CRLF file gets CRLF lines). */
function eolOf(doc: TextLines): string {
  const crlf = doc.ends.filter((e) => e === '\r\n').length;
  return crlf > doc.ends.length - crlf ? '\r\n' : '\n';
}

/**
 * Insert `added` before line `at`. Appended after a last line that has no end, the last added line has
 * none either (the file keeps "no final newline"), which is what lets `removeLines` restore it.
 */
export function insertLines(doc: TextLines, at: number, added: readonly string[]): void {
  if (added.length === 0) return;
  const eol = eolOf(doc);
  const ends = added.map(() => eol);
  const last = doc.lines.length - 1;
  if (at > last && last >= 0 && doc.ends[last] === '') {
    doc.ends[last] = eol;
    ends[ends.length - 1] = '';
  }
  doc.lines.splice(at, 0, ...added);
  doc.ends.splice(at, 0, ...ends);
}

/** Remove lines [from, to): the inverse of `insertLines` (a removed unterminated last line passes that on). */
export function removeLines(doc: TextLines, from: number, to: number): void {
  if (to <= from) return;
  const lastRemoved = to === doc.lines.length && doc.ends[to - 1] === '';
  doc.lines.splice(from, to - from);
  doc.ends.splice(from, to - from);
  if (lastRemoved && from > 0) doc.ends[from - 1] = '';
}
