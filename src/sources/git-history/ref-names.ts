// Branch and tag names are scanned too: `git branch sk-proj-…` puts a key in every clone and push of
// the ref. One git question for all refs; only names the prefilter flags become chunks
// (src/scan/names.ts), reported as `key in: branch name` under `(branch name)` / `(tag name)`.
import { runGit } from '../../git/process.js';
import type { ScanContext } from '../../scan/context.js';
import { nameChunk, type NameHolder } from '../../scan/names.js';
import type { Chunk } from '../../types.js';

const KINDS: ReadonlyArray<[prefix: string, holder: NameHolder, path: string]> = [
  ['refs/heads/', 'branch name', '(branch name)'],
  ['refs/remotes/', 'branch name', '(branch name)'],
  ['refs/tags/', 'tag name', '(tag name)'],
];

export async function* refNameChunks(cwd: string, env: NodeJS.ProcessEnv, ctx: ScanContext): AsyncGenerator<Chunk> {
  const r = await runGit(cwd, env, ['for-each-ref', '--format=%(refname)']);
  // the walk that follows reports what is wrong with the repository
  if (r.code !== 0) return;
  for (const ref of r.stdout.toString('utf8').split('\n')) {
    const kind = KINDS.find(([prefix]) => ref.startsWith(prefix));
    if (!kind) continue;
    const chunk = nameChunk(ref.slice(kind[0].length), kind[1], { kind: 'commit', path: kind[2] }, ctx.needles);
    if (chunk) yield chunk;
  }
}
