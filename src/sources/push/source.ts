// `keyguard scan --pre-push` / `--pre-receive`: the keys a push brings, commit by commit. The
// commits are listed first (src/sources/push/commits.ts), then walked by the history scan's own patch
// walker, which reports each key at the commit that introduced it.
import type { ScanContext } from '../../scan/context.js';
import type { Source } from '../../scan/source.js';
import { walkHistory } from '../git-history/walk.js';

export interface PushSourceOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** the new commits, in git's order */
  commits: readonly string[];
}

export function pushSource(opts: PushSourceOptions): Source {
  return async function* push(ctx: ScanContext) {
    if (opts.commits.length === 0) return;
    yield* walkHistory({ cwd: opts.cwd, env: opts.env, revs: {}, commits: opts.commits }, ctx);
  };
}
