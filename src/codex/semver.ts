// Codex versions as numbers we can compare. Only major.minor.patch matter for the rules.
export interface Version {
  major: number;
  minor: number;
  patch: number;
}

/** The first x.y.z in `text` (`codex-cli 0.34.0`, `0.1.2505161800`, `codex 0.171.0-alpha.2`). */
export function parseVersion(text: string): Version | undefined {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function versionText(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** `v >= x.y.0` */
export function atLeast(v: Version, minor: number, major = 0): boolean {
  return compareVersions(v, { major, minor, patch: 0 }) >= 0;
}
