// `.keyguardignore`: one micromatch glob per line, `#` comments, `!` negations.
import micromatch from 'micromatch';

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

/** Patterns without a slash match at any depth, as in .gitignore; a trailing slash means a whole folder. */
function expand(pattern: string): string[] {
  const neg = pattern.startsWith('!');
  let p = neg ? pattern.slice(1) : pattern;
  if (p.endsWith('/')) p = `${p}**`;
  if (p.startsWith('/')) p = p.slice(1);
  else if (!p.includes('/') || p.startsWith('**')) p = p.startsWith('**') ? p : `**/${p}`;
  const out = [p, p.endsWith('/**') ? p : `${p}/**`];
  return neg ? out.map((x) => `!${x}`) : out;
}

export function pathFilter(patterns: readonly string[]): PathFilter {
  const positive = patterns.filter((p) => !p.startsWith('!')).flatMap(expand);
  const negative = patterns.filter((p) => p.startsWith('!')).flatMap(expand).map((p) => p.slice(1));
  const opts = { dot: true };
  return {
    patterns,
    ignores(path: string): boolean {
      if (positive.length === 0) return false;
      // archive members are ignored by the archive's own path too
      const p = path.replace(/\\/g, '/').replace(/^\.\//, '');
      const candidates = p.includes('!') ? [p, p.slice(0, p.indexOf('!'))] : [p];
      return candidates.some((c) => micromatch.isMatch(c, positive, opts) && !(negative.length > 0 && micromatch.isMatch(c, negative, opts)));
    },
  };
}
