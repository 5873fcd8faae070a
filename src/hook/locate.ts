// Where the keyguard that runs `keyguard install` lives, as the installed hook will need to find it.
// The hook looks in node_modules/.bin at the top of the work tree, then PATH: a monorepo's package
// (frontend/node_modules), a submodule's superproject or npx's parent package are none of those, so
// install finds keyguard itself and the hook records the path (src/hook/script.ts).
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, delimiter, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { runGit } from '../git/process.js';
import type { HookRepo } from './repo.js';
import { PACKAGE_ROOT } from './script.js';

const BIN = join('node_modules', '.bin', 'keyguard');

export interface KeyguardLocation {
  /** the keyguard found in a node_modules/.bin, as an absolute path */
  found?: string;
  /** what the hook records: unset when its own first look (node_modules/.bin at the top) finds it */
  recorded?: string;
  /** recorded absolute, for the other repositories a shared hooks directory serves */
  shared: boolean;
  /** a `keyguard` on the installing PATH (which a desktop git client's PATH may lack) */
  onPath: boolean;
}

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The top of the outermost superproject (a submodule's parent, its parent…), or `top` itself. */
async function outermostTop(top: string, env: NodeJS.ProcessEnv): Promise<string> {
  let current = top;
  for (let depth = 0; depth < 8; depth++) {
    const r = await runGit(current, env, ['rev-parse', '--show-superproject-working-tree']);
    const parent = r.code === 0 ? r.stdout.toString('utf8').trim() : '';
    if (!parent) return current;
    current = parent;
  }
  return current;
}

async function onPath(env: NodeJS.ProcessEnv): Promise<boolean> {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && (await executable(join(dir, 'keyguard')))) return true;
  }
  return false;
}

/**
 * The keyguard the hook should run: the running package's own bin when it was installed into a
 * node_modules inside this project, else the nearest node_modules/.bin/keyguard from `cwd` up to the
 * outermost superproject's top. `shared`: the hooks directory serves other repositories too (a global
 * core.hooksPath), so the path is recorded absolute, not relative to this work tree.
 */
export async function locateKeyguard(repo: HookRepo, cwd: string, env: NodeJS.ProcessEnv, shared: boolean): Promise<KeyguardLocation> {
  const limit = await outermostTop(repo.top, env);
  const candidates: string[] = [];
  if (basename(dirname(PACKAGE_ROOT)) === 'node_modules') candidates.push(join(dirname(PACKAGE_ROOT), '.bin', 'keyguard'));
  for (let dir = inside(limit, cwd) ? cwd : repo.top; ; dir = dirname(dir)) {
    candidates.push(join(dir, BIN));
    if (!inside(limit, dirname(dir)) || dirname(dir) === dir) break;
  }
  const location: KeyguardLocation = { onPath: await onPath(env), shared };
  for (const c of candidates) {
    if (!inside(limit, c) || !(await executable(c))) continue;
    location.found = c;
    if (shared) location.recorded = c;
    else if (c !== join(repo.top, BIN)) location.recorded = relative(repo.top, c);
    break;
  }
  return location;
}

/** What install tells the user about where the hook will find keyguard. */
/** The recorded path as config files write it (husky, lefthook: `/`-separated, relative to the top). */
export function recordedForConfig(where: KeyguardLocation): string | undefined {
  return where.recorded?.split(sep).join('/');
}

export function locationNotes(where: KeyguardLocation, hook: 'commit' | 'push'): string[] {
  if (where.recorded && where.shared) return [`a repository there with no keyguard of its own runs the one install found: ${where.recorded}`];
  if (where.recorded) return [`keyguard is not in node_modules/.bin at the top of this work tree: the hook runs the one install found, ${where.recorded}`];
  if (where.found || where.onPath) return [];
  return [
    `keyguard was found neither in node_modules/.bin (here or in a parent package) nor on PATH, where the hook looks for it: every ${hook} ` +
      'will be blocked until it is installed (see "Install" in the README)',
  ];
}
