// The keys at HEAD do not depend on the rest of the walk: ask git while the walk is still streaming,
// on the core git log leaves idle.
import type { OwnKeyIndex } from '../../engine/own-keys.js';
import type { ScanContext } from '../../scan/context.js';
import { headFingerprints } from './exposure.js';
import type { RepoFacts } from '../../git/repo-facts.js';

export class ExposurePrefetch {
  private head: Promise<Set<string>> | undefined;

  constructor(
    readonly facts: Promise<RepoFacts>,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Start on the HEAD tree's keys once the repository is known. */
  startHead(needles: readonly string[], ownKeys?: OwnKeyIndex): void {
    this.head ??= this.facts.then((f) => headFingerprints(f, this.env, needles, ownKeys)).catch(() => new Set<string>());
  }

  headKeys(needles: readonly string[], ownKeys?: OwnKeyIndex): Promise<Set<string>> {
    this.startHead(needles, ownKeys);
    return this.head!;
  }
}
const byContext = new WeakMap<ScanContext, ExposurePrefetch>();

export function prefetchFor(ctx: ScanContext, make: () => ExposurePrefetch): ExposurePrefetch {
  let p = byContext.get(ctx);
  if (!p) {
    p = make();
    byContext.set(ctx, p);
  }
  return p;
}
