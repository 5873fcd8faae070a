// During a merge (or a cherry-pick or stopped rebase) the staged change relative to HEAD includes
// everything the other side already committed. A line is new only if it is added relative to every
// replayed commit too: what the resolution itself introduces, as git's combined diff marks `++`.
import type { Replayed } from '../../git/staged-state.js';
import type { PatchHandler, RawEntry } from './diff-parser.js';
import { parseStagedDiff, spawnStagedDiff } from '../../git/staged-diff.js';

interface SideChanges {
  /** false when git's output for this side could not be parsed: then nothing counts as already committed */
  trusted: boolean;
  /** staged paths (latin1 keys) whose blob differs from this side's */
  changed: Set<string>;
  /** of those, the ones git compared as binary: no line ranges */
  binary: Set<string>;
  /** added line ranges [start, end) in the staged version, ascending */
  ranges: Map<string, Array<[number, number]>>;
}

export interface ReplayFilter {
  kind: Replayed['kind'];
  /** the staged blob differs from every replayed commit's version of the path */
  changedFromAll(key: string): boolean;
  /** the staged line is added relative to every replayed commit */
  isNew(key: string, line: number): boolean;
}

function inRanges(ranges: ReadonlyArray<[number, number]> | undefined, line: number): boolean {
  if (!ranges) return false;
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [s, e] = ranges[mid]!;
    if (line < s) hi = mid - 1;
    else if (line >= e) lo = mid + 1;
    else return true;
  }
  return false;
}

async function sideChanges(cwd: string, env: NodeJS.ProcessEnv, sha: string, paths: readonly string[] | undefined): Promise<SideChanges> {
  const side: SideChanges = { trusted: true, changed: new Set(), binary: new Set(), ranges: new Map() };
  const problems: string[] = [];
  const handler: PatchHandler = {
    entries: () => undefined,
    hunk: (e: RawEntry, start: number, count: number) => {
      if (count === 0) return;
      const list = side.ranges.get(e.key);
      if (list) list.push([start, start + count]);
      else side.ranges.set(e.key, [[start, start + count]]);
    },
    added: () => undefined,
    sectionEnd: () => undefined,
    unexpected: (m: string) => void problems.push(m),
  };
  const diff = parseStagedDiff(spawnStagedDiff(cwd, env, sha, paths), handler);
  let r = await diff.next();
  while (!r.done) r = await diff.next();
  for (const e of r.value) {
    if (e.status === 'D') continue;
    side.changed.add(e.key);
    if (e.binary) side.binary.add(e.key);
  }
  side.trusted = problems.length === 0;
  return side;
}

export async function replayFilter(cwd: string, env: NodeJS.ProcessEnv, replayed: readonly Replayed[], paths?: readonly string[]): Promise<ReplayFilter> {
  const sides = await Promise.all(replayed.map((r) => sideChanges(cwd, env, r.sha, paths)));
  return {
    kind: replayed.some((r) => r.kind === 'merge') ? 'merge' : 'pick',
    changedFromAll: (key) => sides.every((s) => !s.trusted || s.changed.has(key)),
    isNew: (key, line) => sides.every((s) => !s.trusted || (s.changed.has(key) && (s.binary.has(key) || inRanges(s.ranges.get(key), line)))),
  };
}
