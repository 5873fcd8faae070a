// The filters stage: what the user said not to report, applied to every finding of every source the
// same way, as small functions tried in order. The first that claims a finding names why it was
// suppressed, and the summary counts it under that reason.
//
// The files source also skips ignored paths before reading them: a path the user excluded is then
// never opened (it may be huge, or a FIFO someone planted), and it is counted as skipped. That early
// skip is an optimisation only; this stage is what guarantees an ignored path is never reported,
// for files, staged blobs and commits alike.
import { relative, resolve, sep } from 'node:path';
import type { Finding, ScanSummary } from '../types.js';
import type { Baseline } from './baseline.js';
import type { PathFilter } from './ignore-paths.js';

export type Suppression = keyof ScanSummary['suppressed'];

/** One filter: the reason to drop the finding, or undefined to let it through. */
export type Filter = (finding: Finding, allowed: boolean) => Suppression | undefined;

/** `keyguard:allow` on the line (the engine marks the match; only this stage acts on it). */
export const allowComments: Filter = (_finding, allowed) => (allowed ? 'allow' : undefined);

export interface IgnoreScope {
  /** the directory `.keyguardignore` patterns are relative to (the repository root) */
  root: string;
  /** the directory finding paths are relative to: cwd for files on disk, the root for git paths */
  pathsFrom: string;
}

function toPosix(p: string): string {
  return sep === '\\' ? p.split(sep).join('/') : p;
}

/** `.keyguardignore`: paths are matched as the patterns see them, relative to the root. */
export function ignoredPaths(filter: PathFilter, scope: IgnoreScope): Filter {
  const same = resolve(scope.root) === resolve(scope.pathsFrom);
  return (finding) => {
    const rel = same ? finding.location.path : toPosix(relative(scope.root, resolve(scope.pathsFrom, finding.location.path)));
    return !rel.startsWith('../') && filter.ignores(rel) ? 'ignored' : undefined;
  };
}

/** The baseline file: findings already known, by fingerprint. */
export function knownFindings(baseline: Baseline): Filter {
  return (finding) => (baseline.has(finding.fingerprint) ? 'baseline' : undefined);
}

export interface FilterStage {
  /** why this finding is suppressed, or undefined to report it */
  suppress: Filter;
  /** baseline entries that matched nothing in this run */
  unusedBaseline(): string[];
}

export interface FilterConfig {
  ignore?: { filter: PathFilter; scope: IgnoreScope };
  baseline?: Baseline;
}

export function filterStage(config: FilterConfig = {}): FilterStage {
  const filters: Filter[] = [allowComments];
  if (config.ignore) filters.push(ignoredPaths(config.ignore.filter, config.ignore.scope));
  if (config.baseline) filters.push(knownFindings(config.baseline));
  const baseline = config.baseline;
  return {
    suppress: (finding, allowed) => {
      for (const f of filters) {
        const why = f(finding, allowed);
        if (why) return why;
      }
      return undefined;
    },
    unusedBaseline: () => baseline?.unused() ?? [],
  };
}
