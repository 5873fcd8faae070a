// Just enough of YAML's block layout to add or remove one entry in a hand-written config file
// without reformatting anything else: lines, indentation, and where a top-level key's block ends.

export function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Not blank and not a comment. */
export function isContent(line: string): boolean {
  const t = line.trim();
  return t !== '' && !t.startsWith('#');
}

/** Line index of a top-level `key:` that opens a block (nothing after the colon but a comment). */
export function blockKey(lines: readonly string[], key: string): number {
  const re = new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}:\\s*(#.*)?$`);
  return lines.findIndex((l) => re.test(l));
}

/** A top-level `key:` with an inline (flow) value, which keyguard does not edit. */
export function inlineKey(lines: readonly string[], key: string): boolean {
  return lines.some((l) => l.startsWith(`${key}:`) && blockKey([l], key) < 0);
}

/**
 * The index just past the last content line of the block under line `start` whose lines are
 * indented deeper than `indent` (a sequence at the key's own column also belongs to a top-level key).
 */
export function blockEnd(lines: readonly string[], start: number, indent = 0): number {
  let end = start + 1;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (!isContent(l)) continue;
    const ind = indentOf(l);
    if (ind > indent || (indent === 0 && ind === 0 && l.startsWith('- '))) end = i + 1;
    else break;
  }
  return end;
}

/** The first content line after `start`, or -1. */
export function nextContent(lines: readonly string[], start: number): number {
  for (let i = start + 1; i < lines.length; i++) if (isContent(lines[i]!)) return i;
  return -1;
}

export function joinLines(lines: readonly string[]): string {
  const text = lines.join('\n');
  return text.endsWith('\n') ? text : `${text}\n`;
}
