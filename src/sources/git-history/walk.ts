// Stream `git log` through the patch parser as git writes it, and keep going past a bad object.
import { availableParallelism } from 'node:os';
import { UsageError } from '../../errors.js';
import { mayContainKey } from '../../engine/prefilter.js';
import type { ScanContext } from '../../scan/context.js';
import type { Chunk } from '../../types.js';
import { revisionArgs, startLog, type Revisions } from '../../git/log.js';
import { archiveChunks } from './archives.js';
import { IntroducedKeys } from './introduced.js';
import { PatchParser } from './log-parser.js';
import { gitComplaint, runGit } from '../../git/process.js';

/** Mutable for tests only. */
export const WALK_LIMITS = {
  /** a longer patch line is scanned up to here and the rest skipped: memory stays bounded */
  maxLine: 64 * 1024 * 1024,
};

const BAD_REVISION = /unknown revision|ambiguous argument|bad revision|invalid revision range|bad flag|needed a single revision|not a valid/i;

export interface WalkOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  revs: Revisions;
  /** awaited once git log is running: checks that may reject (not a repository) overlap its start */
  ready?: Promise<unknown>;
  /** exactly these commits, already listed in git's order (a push's new commits): `revs` is not walked */
  commits?: readonly string[];
}

/** Below this many commits one git process is as fast as several. */
const MIN_PARALLEL = 256;

/**
 * How many git processes share the walk. git log is single-threaded and is nearly the whole cost of
 * a history scan, so several processes, each given every n-th commit, finish the same patches
 * sooner: measured, two on two cores take about the time of one `git log | grep`, and on a loaded
 * machine they are no slower than one. At most 4. KEYGUARD_HISTORY_JOBS overrides (1: one streaming
 * git log, no commit list up front).
 */
export function jobsFor(env: NodeJS.ProcessEnv): { jobs: number; forced: boolean } {
  const forced = Number(env.KEYGUARD_HISTORY_JOBS);
  if (Number.isInteger(forced) && forced >= 1) return { jobs: Math.min(forced, 16), forced: true };
  return { jobs: Math.min(4, availableParallelism()), forced: false };
}

/** Added lines and messages that may hold a key, commit by commit, as chunks for the pipeline. */
export async function* walkHistory(opts: WalkOptions, ctx: ScanContext): AsyncGenerator<Chunk> {
  const { jobs, forced } = jobsFor(opts.env);
  let order: string[];
  if (opts.commits) {
    order = [...opts.commits];
  } else {
    if (jobs <= 1) {
      yield* walkCommits(opts, ctx, undefined);
      return;
    }
    if (opts.ready) await opts.ready;
    const list = await runGit(opts.cwd, opts.env, ['rev-list', ...revisionArgs(opts.revs)]);
    if (list.code !== 0) {
      if (BAD_REVISION.test(list.stderr)) throw new UsageError(`--history${opts.revs.range ? ` ${opts.revs.range}` : ''}: ${gitComplaint(list.stderr)}`);
      // a commit that cannot be read stops rev-list as it stops log: the single walk reports it
      yield* walkCommits(opts, ctx, undefined);
      return;
    }
    order = list.stdout
      .toString('latin1')
      .split('\n')
      .filter((s) => s !== '');
  }
  if (ctx.progress) ctx.progress.total = order.length;
  if (order.length === 0) return;
  if (jobs <= 1 || (!forced && order.length < MIN_PARALLEL)) {
    yield* walkCommits(opts, ctx, order);
    return;
  }
  // every n-th commit to each process balances the load; chunks are few, so they wait and come
  // out in git's order, as a single walk would give them
  const parts = Array.from({ length: Math.min(jobs, order.length) }, (_, j) => order.filter((_, i) => i % jobs === j));
  const done = await Promise.all(
    parts.map(async (part) => {
      const out: Chunk[] = [];
      for await (const chunk of walkCommits(opts, ctx, part)) out.push(chunk);
      return out;
    }),
  );
  const chunks = done.flat();
  // positions of the few commits that have chunks (a map of every commit would cost memory in a huge history)
  const wanted = new Set(chunks.map((c) => c.origin.commit?.sha ?? ''));
  const position = new Map<string, number>();
  order.forEach((sha, i) => {
    if (wanted.has(sha)) position.set(sha, i);
  });
  const at = (c: Chunk): number => position.get(c.origin.commit?.sha ?? '') ?? 0;
  yield* chunks.sort((a, b) => at(a) - at(b));
}

/** One git log over `commits` (all of `opts.revs` when undefined), resumed past objects it cannot read. */
async function* walkCommits(opts: WalkOptions, ctx: ScanContext, commits: string[] | undefined): AsyncGenerator<Chunk> {
  let resume = commits;
  for (let attempt = 0; ; attempt++) {
    const keys = new IntroducedKeys(ctx);
    const parser = new PatchParser(keys);
    const run = startLog(opts.cwd, opts.env, opts.revs, resume);
    let sawOutput = false;
    let read = false;
    try {
      if (attempt === 0 && !commits && opts.ready) await opts.ready;
      // Each read is parsed as it comes: git flushes after every commit, so reads are a few KB and
      // their strings die young (large batches cost more in garbage collection than they save).
      // Only text after the last line end waits for the next read, so the prefilter sees whole lines.
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let skipping = false;
      let carry = '';
      const feed = (text: string): void => {
        // a key split across lines may go on in a read that holds no trace of its own
        carry = text.slice(parser.feed(text, keys.wantsLines || mayContainKey(text, ctx.needles)));
      };
      for await (const chunk of run.stdout as AsyncIterable<Buffer>) {
        sawOutput = true;
        ctx.bytes += chunk.length;
        let piece = chunk;
        if (skipping) {
          const end = piece.indexOf(10);
          if (end < 0) continue;
          skipping = false;
          piece = piece.subarray(end + 1);
        }
        const nl = piece.lastIndexOf(10);
        if (nl < 0) {
          pending.push(piece);
          pendingBytes += piece.length;
          if (pendingBytes > WALK_LIMITS.maxLine) {
            // one line longer than the limit (a minified bundle, a data dump): its first part is
            // scanned as the whole line, the rest is dropped up to the line end, and counted
            feed(`${carry}${Buffer.concat(pending).toString('latin1')}\n`);
            pending = [];
            pendingBytes = 0;
            skipping = true;
            ctx.skip(`lines cut at ${WALK_LIMITS.maxLine / 1048576} MB`);
          }
          continue;
        }
        const head = pending.length > 0 ? Buffer.concat([...pending, piece.subarray(0, nl + 1)]) : piece.subarray(0, nl + 1);
        pending = nl + 1 < piece.length ? [piece.subarray(nl + 1)] : [];
        pendingBytes = piece.length - nl - 1;
        feed(carry + head.toString('latin1'));
        ctx.progress?.update(ctx);
        if (keys.ready.length > 0) yield* keys.ready.splice(0);
      }
      if (pending.length > 0 || carry !== '') feed(carry + Buffer.concat(pending).toString('latin1'));
      parser.end();
      read = true;
    } finally {
      // stopped early (an error, or the consumer is gone): git must not outlive the walk; after
      // the whole output git is exiting by itself and its exit code still counts
      if (!read) run.end();
    }
    const { code, stderr } = await run.exit;
    keys.finish();
    // what git printed before it stopped is real history: it is scanned either way
    yield* keys.ready.splice(0);
    if (keys.archives.length > 0) yield* archiveChunks(opts.cwd, opts.env, keys.archives.splice(0), ctx);
    if (code === 0) return;
    if (attempt === 0 && !commits && !sawOutput && BAD_REVISION.test(stderr))
      throw new UsageError(`--history${opts.revs.range ? ` ${opts.revs.range}` : ''}: ${gitComplaint(stderr)}`);
    const next = await resumeAfterFailure(opts, ctx, resume, parser.current, gitComplaint(stderr));
    if (!next || next.length === 0) return;
    resume = next;
  }
}

/**
 * git stops at the first object it cannot read. Find the commit that failed, report it, and return
 * the commits still to walk (in git's own order), or undefined when the walk cannot go on.
 */
async function resumeAfterFailure(
  opts: WalkOptions,
  ctx: ScanContext,
  previous: string[] | undefined,
  current: string | undefined,
  complaint: string,
): Promise<string[] | undefined> {
  let order = previous;
  if (!order) {
    const list = await runGit(opts.cwd, opts.env, ['rev-list', ...revisionArgs(opts.revs)]);
    if (list.code !== 0) {
      ctx.error('history', `${complaint}; the rest of history cannot be walked (${gitComplaint(list.stderr)}): run \`git fsck\``);
      return undefined;
    }
    order = list.stdout
      .toString('latin1')
      .split('\n')
      .filter((s) => s !== '');
  }
  // git prints a commit's header before reading its blobs, so the failure is usually in `current`;
  // when `current` turns out readable, it failed before printing the next commit's header
  let failed = current;
  let at = current ? order.indexOf(current) : -1;
  if (current && at >= 0 && (await commitReadable(opts, current))) {
    at++;
    failed = order[at];
  } else if (!current) {
    at = 0;
    failed = order[0];
  }
  if (at < 0 || failed === undefined) {
    ctx.error('history', `${complaint}: run \`git fsck\``);
    return undefined;
  }
  ctx.error(`commit ${failed}`, `${complaint} (a corrupt or missing object; \`git fsck\` tells more); the other commits were scanned`);
  return order.slice(at + 1);
}

async function commitReadable(opts: WalkOptions, sha: string): Promise<boolean> {
  const r = await runGit(opts.cwd, opts.env, [
    '-c',
    'log.showSignature=false',
    'log',
    '-1',
    '-p',
    '--cc',
    '--no-ext-diff',
    '--no-textconv',
    '--format=%H',
    sha,
  ]);
  return r.code === 0;
}
