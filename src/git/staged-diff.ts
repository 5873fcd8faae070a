// The one diff command that says what a commit adds: index against a tree, raw list plus zero-context
// patch, in plumbing form so that user diff settings (external diff, textconv, prefixes, colour,
// context) cannot change what is parsed.
import { PatchWithRawParser, type PatchHandler, type RawEntry } from '../sources/staged/diff-parser.js';
import { startGit, type GitChild } from './process.js';

export function stagedDiffArgs(base: string, paths?: readonly string[]): string[] {
  const limit = paths && paths.length > 0;
  return [
    '-c',
    'core.quotePath=true',
    ...(limit ? ['--literal-pathspecs'] : []),
    'diff-index',
    '--cached',
    '-z',
    '--patch-with-raw',
    '-U0',
    '--inter-hunk-context=0',
    '-M',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--no-abbrev',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    base,
    '--',
    ...(limit ? paths : []),
  ];
}

export interface StagedDiff extends GitChild {
  output: AsyncIterator<Buffer>;
}

/** Start the diff now; its output waits in the pipe until it is parsed. */
export function spawnStagedDiff(cwd: string, env: NodeJS.ProcessEnv, base: string, paths?: readonly string[]): StagedDiff {
  const p = startGit(cwd, env, stagedDiffArgs(base, paths));
  const output = (p.stdout as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  return { ...p, output };
}

/**
 * Parse a running diff through `handler`, yielding after every piece of output (the caller drains
 * what the handler produced); returns the raw entries at the end.
 */
export async function* parseStagedDiff(p: StagedDiff, handler: PatchHandler): AsyncGenerator<void, readonly RawEntry[]> {
  const parser = new PatchWithRawParser(handler);
  try {
    for (let r = await p.output.next(); !r.done; r = await p.output.next()) {
      parser.feed(r.value);
      yield;
    }
    parser.end();
    yield;
    await p.done;
  } finally {
    p.end();
  }
  return parser.entries;
}
