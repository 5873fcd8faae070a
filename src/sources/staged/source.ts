// `keyguard scan --staged`: exactly what the next commit adds. The index (GIT_INDEX_FILE when git
// sets it for `commit -a` / `commit <path>`) is compared with HEAD, or with the empty tree before the
// first commit; only added lines are scanned, at their line in the staged version. Every staged path
// ends up scanned, skipped for a stated reason, or reported as unreadable: a hook never passes
// because something went unread.
import type { Chunk } from '../../types.js';
import type { ScanContext } from '../../scan/context.js';
import type { Source } from '../../scan/source.js';
import { errorMessage } from '../../errors.js';
import type { RawEntry } from './diff-parser.js';
import { parseStagedDiff, spawnStagedDiff, type StagedDiff } from '../../git/staged-diff.js';
import { emptyTree, isUnbornHead, missingIndexFile, stagedState } from '../../git/staged-state.js';
import type { WholeBlob } from './blobs.js';
import { AddedLines, SUBMODULE_MODE } from './lines.js';
import type { ReplayFilter } from './replay.js';

export interface StagedOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /**
   * Limit to these paths (relative to cwd). A listed path without a staged change is scanned whole
   * as it is in the index (the pre-commit framework's `run --all-files` / `--files`).
   */
  paths?: string[];
  /** the diff against HEAD, already started by startStagedDiff; the source takes it over */
  started?: StagedDiff;
}

function pathsOf(opts: StagedOptions): string[] | undefined {
  return opts.paths && opts.paths.length > 0 ? opts.paths : undefined;
}

/**
 * Start the diff against HEAD now (every commit but the first has a HEAD), so that git works while
 * the command is still setting up: every pre-commit hook waits for both.
 */
export function startStagedDiff(opts: StagedOptions): StagedDiff {
  return spawnStagedDiff(opts.cwd, opts.env, 'HEAD', pathsOf(opts));
}

/** Where errors about the change as a whole are filed. */
const DIFF_PLACE = '(staged changes)';

function alreadyCommitted(replay: ReplayFilter): string {
  return replay.kind === 'merge' ? 'already committed on the merged branch' : 'already committed in the picked commit';
}

/** Decide what happened to one staged path; returns it when its blob must be read whole. */
function account(e: RawEntry, lines: AddedLines, ctx: ScanContext, replay: ReplayFilter | undefined): WholeBlob | undefined {
  if (e.status === 'U') {
    ctx.error(e.path, 'unmerged: resolve the conflict and stage the result before committing');
    return undefined;
  }
  if (e.status === 'D') {
    ctx.skip('deleted');
    return undefined;
  }
  if (!'AMRCT'.includes(e.status)) {
    ctx.error(e.path, `git reports an unknown kind of change ('${e.status}')`);
    return undefined;
  }
  if (e.dstMode === SUBMODULE_MODE) {
    ctx.skip('submodule pointers');
    return undefined;
  }
  if (e.sections === 0) {
    ctx.error(e.path, 'git printed no patch for this staged change');
    return undefined;
  }
  if (replay && !replay.changedFromAll(e.key)) {
    ctx.skip(alreadyCommitted(replay));
    return undefined;
  }
  if (e.binary) return { path: e.path, sha: e.dstSha };
  const s = lines.statsOf(e);
  if (s.scanned > 0) ctx.countFile(s.bytes);
  else if (s.added > 0) ctx.skip(replay ? alreadyCommitted(replay) : 'no added lines');
  else if (e.hunks > 0) ctx.skip('only lines removed');
  else if (e.status === 'R') ctx.skip('renamed without changes');
  else if (e.status === 'C') ctx.skip('copied without changes');
  else if (e.status === 'A') ctx.skip('empty');
  else if (e.srcMode !== e.dstMode) ctx.skip('mode changes only');
  else ctx.skip('no added lines');
  return undefined;
}

/** The diff's added lines as chunks, as they are parsed; returns git's list of staged paths. */
async function* chunksOf(diff: StagedDiff, lines: AddedLines): AsyncGenerator<Chunk, readonly RawEntry[]> {
  const parsed = parseStagedDiff(diff, lines);
  for (let r = await parsed.next(); ; r = await parsed.next()) {
    yield* lines.drain();
    if (r.done) return r.value;
  }
}

export function stagedSource(opts: StagedOptions): Source {
  const { cwd, env } = opts;
  const paths = pathsOf(opts);
  return async function* staged(ctx: ScanContext): AsyncGenerator<Chunk> {
    // Nearly every commit has a HEAD: that diff runs (if it is not running yet) while the state is read.
    let diff: StagedDiff = opts.started ?? spawnStagedDiff(cwd, env, 'HEAD', paths);
    try {
      const missing = await missingIndexFile(cwd, env);
      if (missing) {
        ctx.error(missing, 'GIT_INDEX_FILE names an index that does not exist; nothing staged could be read');
        return;
      }
      const state = await stagedState(cwd, env);
      let replay: ReplayFilter | undefined;
      if (state.replayed.length > 0 && state.unborn !== true) {
        try {
          const { replayFilter } = await import('./replay.js');
          replay = await replayFilter(cwd, env, state.replayed, paths);
        } catch (err) {
          // without it every line added relative to HEAD is scanned: more, never less
          ctx.note(
            `could not compare with the ${state.replayed[0]!.kind === 'merge' ? 'merged branch' : 'picked commit'} (${errorMessage(err)}); scanning everything added relative to HEAD`,
          );
        }
      }
      const lines = new AddedLines(replay);
      let entries: readonly RawEntry[];
      try {
        if (state.unborn === true) {
          diff.end();
          diff = spawnStagedDiff(cwd, env, await emptyTree(cwd, env), paths);
        }
        try {
          entries = yield* chunksOf(diff, lines);
        } catch (err) {
          if (state.unborn !== undefined || !isUnbornHead(err)) throw err;
          // the first commit (git failed before printing anything): compare with nothing instead
          diff = spawnStagedDiff(cwd, env, await emptyTree(cwd, env), paths);
          entries = yield* chunksOf(diff, lines);
        }
      } catch (err) {
        ctx.error(DIFF_PLACE, errorMessage(err));
        return;
      }
      for (const p of lines.problems) ctx.error(DIFF_PLACE, `could not read git's diff output: ${p}`);

      const whole: WholeBlob[] = [];
      for (const e of entries) {
        const w = account(e, lines, ctx, replay);
        if (w) whole.push(w);
      }
      if (paths) {
        try {
          const { listedUnchanged } = await import('./listed.js');
          whole.push(...(await listedUnchanged(cwd, env, paths, new Set(entries.map((e) => e.path)), ctx)));
        } catch (err) {
          ctx.error(paths.join(' '), errorMessage(err));
        }
      }
      if (whole.length > 0) yield* (await import('./blobs.js')).scanWholeBlobs(cwd, env, whole, ctx);
      if (entries.length === 0 && !paths) ctx.note('nothing is staged');
    } finally {
      diff.end();
    }
  };
}
