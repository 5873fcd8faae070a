// The exposure questions (refs containing a commit, keys at HEAD) do not depend on the rest of the
// walk: ask git while the walk is still streaming, on the core git log leaves idle.
import type { OwnKeyIndex } from '../../engine/own-keys.js';
import type { ScanContext } from '../../scan/context.js';
import { EXPOSURE_LIMITS, headFingerprints, refsContaining, type RefExposure } from './exposure.js';
import type { RepoFacts } from '../../git/repo-facts.js';

const PARALLEL = 2;

export class ExposurePrefetch {
  private readonly refs = new Map<string, Promise<RefExposure | undefined>>();
  private readonly waiting: Array<() => void> = [];
  private running = 0;
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

  /** Refs containing `sha`, asked at most once, a few questions at a time; undefined past the per-commit limit. */
  refsOf(sha: string): Promise<RefExposure | undefined> {
    let p = this.refs.get(sha);
    if (!p) {
      if (this.refs.size >= EXPOSURE_LIMITS.perCommit) return Promise.resolve(undefined);
      p = this.slot().then(async (release) => {
        try {
          const f = await this.facts;
          return await refsContaining(sha, f.cwd, this.env);
        } catch {
          return undefined;
        } finally {
          release();
        }
      });
      this.refs.set(sha, p);
    }
    return p;
  }

  /** A turn among at most PARALLEL; the returned function hands the turn to the next in line. */
  private async slot(): Promise<() => void> {
    if (this.running >= PARALLEL) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    return () => {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    };
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
