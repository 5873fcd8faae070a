// keyguard's marked block in a shell profile: put in, replaced in place, taken out. Pure text in, text
// out, so that uninstall gives back exactly the bytes install found (CRLF, a missing final newline),
// and a file whose markers do not pair up is refused rather than guessed at.
import { HookError } from '../../errors.js';
import { insertLines, joinText, removeLines, splitLines, type TextLines } from '../../hook/text-lines.js';

export const BLOCK_BEGIN = '# >>> keyguard shell guard >>>';
export const BLOCK_END = '# <<< keyguard shell guard <<<';
/** Inside a block that made its file: uninstall deletes the file again when nothing else is left. */
export const CREATED_NOTE = "# (keyguard created this file; 'keyguard uninstall --shell' deletes it when only this block is in it)";

interface Span {
  /** the begin marker's line index */
  from: number;
  /** one past the end marker's line index */
  to: number;
}

/** The block's lines, or undefined when there is none; throws when the markers do not pair up. */
function findBlock(doc: TextLines, path: string): Span | undefined {
  const begins: number[] = [];
  const ends: number[] = [];
  doc.lines.forEach((l, i) => {
    const t = l.trim();
    if (t === BLOCK_BEGIN) begins.push(i);
    else if (t === BLOCK_END) ends.push(i);
  });
  if (begins.length === 0 && ends.length === 0) return undefined;
  if (begins.length === 1 && ends.length === 1 && begins[0]! < ends[0]!) return { from: begins[0]!, to: ends[0]! + 1 };
  const at = (name: string, lines: number[]) => (lines.length === 0 ? `no ${name} line` : `${name} on line ${lines.map((i) => i + 1).join(', ')}`);
  throw new HookError(
    `${path}: keyguard's markers do not pair up (${at(`'${BLOCK_BEGIN}'`, begins)}; ${at(`'${BLOCK_END}'`, ends)}): ` +
      'nothing was changed. Remove the stray marker lines (or the whole keyguard block) by hand and run the command again.',
  );
}

/** Whether `text` holds keyguard's block (throws on unbalanced markers). */
export function hasBlock(text: string, path: string): boolean {
  return findBlock(splitLines(text), path) !== undefined;
}

export type BlockEdit = { action: 'added' | 'replaced' | 'unchanged'; text: string };

/**
 * `text` with keyguard's block holding `body`: put before line `at` (default: appended at the end)
 * when there is none, replaced in place when there is one (a newer keyguard's snippet), the same
 * text when it is already there.
 */
export function withBlock(text: string, body: readonly string[], path: string, at?: number): BlockEdit {
  const doc = splitLines(text);
  const lines = [BLOCK_BEGIN, ...body, BLOCK_END];
  const span = findBlock(doc, path);
  if (!span) {
    insertLines(doc, Math.min(at ?? doc.lines.length, doc.lines.length), lines);
    return { action: 'added', text: joinText(doc) };
  }
  const old = doc.lines.slice(span.from, span.to);
  // a note that the file was made by keyguard stays with the block while it is replaced
  const kept = old.includes(CREATED_NOTE) && !body.includes(CREATED_NOTE) ? [BLOCK_BEGIN, CREATED_NOTE, ...body, BLOCK_END] : lines;
  if (old.length === kept.length && old.every((l, i) => l === kept[i])) return { action: 'unchanged', text };
  removeLines(doc, span.from, span.to);
  insertLines(doc, span.from, kept);
  return { action: 'replaced', text: joinText(doc) };
}

export type BlockRemoval = { action: 'removed'; text: string; createdByKeyguard: boolean } | { action: 'absent'; text: string };

/** `text` without keyguard's block: the bytes it had before the block went in. */
export function withoutBlock(text: string, path: string): BlockRemoval {
  const doc = splitLines(text);
  const span = findBlock(doc, path);
  if (!span) return { action: 'absent', text };
  const created = doc.lines.slice(span.from, span.to).includes(CREATED_NOTE);
  removeLines(doc, span.from, span.to);
  return { action: 'removed', text: joinText(doc), createdByKeyguard: created };
}
