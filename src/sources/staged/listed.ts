// `keyguard scan --staged PATH...`, as the pre-commit framework runs it with file names: a listed
// path the commit does not change is read whole as it stands in the index. So `pre-commit run
// --all-files` and `--files` scan what they list instead of passing on an empty staged change.
import { posix } from 'node:path';
import type { ScanContext } from '../../scan/context.js';
import { gitBytes } from '../../git/process.js';
import type { WholeBlob } from './blobs.js';
import { SUBMODULE_MODE } from './lines.js';

function repoRelative(prefix: string, path: string): string {
  const p = posix.normalize(`${prefix}${path.split('\\').join('/')}`).replace(/\/+$/, '');
  return p === '.' ? '' : p;
}

function covers(listed: string, path: string): boolean {
  return listed === '' || path === listed || path.startsWith(`${listed}/`);
}

/**
 * Index entries under `paths` whose path is not in `changed` (paths the diff already covered, as
 * UTF-8). Listed paths that match nothing in the index are counted as skipped.
 */
export async function listedUnchanged(
  cwd: string,
  env: NodeJS.ProcessEnv,
  paths: readonly string[],
  changed: ReadonlySet<string>,
  ctx: ScanContext,
): Promise<WholeBlob[]> {
  const [out, prefixOut] = await Promise.all([
    gitBytes(cwd, env, ['--literal-pathspecs', 'ls-files', '--stage', '-z', '--full-name', '--', ...paths]),
    gitBytes(cwd, env, ['rev-parse', '--show-prefix']),
  ]);
  const prefix = prefixOut.toString('utf8').replace(/\n$/, '');
  const indexed: string[] = [];
  const blobs: WholeBlob[] = [];
  for (const rec of out.toString('utf8').split('\0')) {
    const tab = rec.indexOf('\t');
    if (tab < 0) continue;
    const [mode, sha, stage] = rec.slice(0, tab).split(' ');
    const path = rec.slice(tab + 1);
    indexed.push(path);
    if (changed.has(path) || stage !== '0' || !sha) continue;
    if (mode === SUBMODULE_MODE) ctx.skip('submodule pointers');
    else blobs.push({ path, sha });
  }
  const known = [...indexed, ...changed];
  for (const p of paths) {
    const listed = repoRelative(prefix, p);
    if (!known.some((k) => covers(listed, k))) ctx.skip('not in the index');
  }
  return blobs;
}
