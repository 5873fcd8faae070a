// `.keyguardignore`: one micromatch-style glob per line, `#` comments, `!` negations.
// Every pattern is compiled once, when the file is loaded (glob-set.ts), into a matcher whose cost per
// path is bounded by the path's length: an ignore file in a cloned repository is untrusted input too.
import { GlobSet } from './glob-set.js';

export interface PathFilter {
  readonly patterns: readonly string[];
  ignores(path: string): boolean;
}

export function parseIgnoreFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * Patterns without a slash match at any depth, as in .gitignore; a trailing slash means a whole folder.
 * Every pattern also matches what lies below what it matches (the set is built with `orBelow`).
 */
function anchor(pattern: string): string {
  let p = pattern.startsWith('!') ? pattern.slice(1) : pattern;
  if (p.startsWith('./')) p = p.slice(2);
  if (p.endsWith('/')) p = `${p}**`;
  if (p.startsWith('/')) return p.slice(1);
  if (!p.includes('/') && !p.startsWith('**')) return `**/${p}`;
  return p;
}

export function pathFilter(patterns: readonly string[]): PathFilter {
  const positive = new GlobSet(patterns.filter((p) => !p.startsWith('!')).map(anchor), true);
  const negative = new GlobSet(patterns.filter((p) => p.startsWith('!')).map(anchor), true);
  return {
    patterns,
    ignores(path: string): boolean {
      if (positive.empty) return false;
      // archive members are ignored by the archive's own path too
      const p = path.replace(/\\/g, '/').replace(/^\.\//, '');
      const candidates = p.includes('!') ? [p, p.slice(0, p.indexOf('!'))] : [p];
      return candidates.some((c) => positive.matches(c) && !negative.matches(c));
    },
  };
}
