// The push hooks as plain git hooks: hooks/pre-push copied into a work tree's hooks directory, and
// hooks/pre-receive into a bare repository's. As with the pre-commit hook (native.ts), a hook that is
// already there and is not keyguard's is never overwritten: it is moved beside ours as
// `<name>.keyguard-chained`, our script runs it first with the same stdin (both run, either blocks),
// and uninstall renames it back, so the user gets the very same file (bytes and mode) back.
import { lstat, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HookError } from '../errors.js';
import { namedBareRepository } from '../git/git-dir.js';
import { gitComplaint, refusal, runGit } from '../git/process.js';
import { noteBackup, readIfExists, writeAtomic } from './files.js';
import type { Action } from './outcome.js';

export type PushHookName = 'pre-push' | 'pre-receive';

export interface PushHookOutcome {
  hook: PushHookName;
  action: Action;
  /** the hook file written or removed */
  path: string;
  notes: string[];
}

/** dist/hook/ or dist/bundle/ (or src/hook/ under the test runner) → the package root. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The first comment line of each shipped script: how an installed hook is recognised as keyguard's. */
const MARK: Record<PushHookName, string> = {
  'pre-push': '# keyguard pre-push hook',
  'pre-receive': '# keyguard pre-receive hook',
};

export function chainedName(hook: PushHookName): string {
  return `${hook}.keyguard-chained`;
}

export async function pushHookScript(hook: PushHookName): Promise<string> {
  // a checkout with core.autocrlf may have given the script CRLF endings, which sh cannot run
  return (await readFile(join(PACKAGE_ROOT, 'hooks', hook), 'utf8')).replace(/\r\n/g, '\n');
}

export function isKeyguardPushHook(hook: PushHookName, content: string): boolean {
  return content.split('\n', 3).some((l) => l.startsWith(MARK[hook]));
}

async function present(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}

/** Content of a hook file; a symlink or directory counts as foreign content we must not read into. */
async function hookContent(path: string): Promise<string | undefined> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return undefined;
  if (!st.isFile()) return '';
  return (await readIfExists(path)) ?? '';
}

export async function installPushHook(hook: PushHookName, hooksDir: string): Promise<PushHookOutcome> {
  const path = join(hooksDir, hook);
  const chained = join(hooksDir, chainedName(hook));
  const script = await pushHookScript(hook);
  const current = await hookContent(path);
  const notes: string[] = [];
  if (current !== undefined && isKeyguardPushHook(hook, current)) {
    const mode = (await lstat(path)).mode & 0o777;
    if (current === script && (mode & 0o111) !== 0) return { hook, action: 'unchanged', path, notes };
    noteBackup(notes, await writeAtomic(path, script, 0o755));
    return { hook, action: 'updated', path, notes };
  }
  if (current !== undefined) {
    if (await present(chained)) {
      throw new HookError(
        `${path} is not keyguard's hook, and ${chained} (a hook keyguard chained earlier) is still there. ` +
          'Decide which of the two to keep (merge them into one file if both matter), delete the other, then run keyguard install again.',
      );
    }
    await rename(path, chained);
    try {
      noteBackup(notes, await writeAtomic(path, script, 0o755));
    } catch (err) {
      await rename(chained, path).catch(() => undefined);
      throw err;
    }
    notes.push(
      `your existing ${hook} hook now runs from ${chainedName(hook)}, before keyguard, with the same input; ` +
        'either can block, and keyguard uninstall puts it back',
    );
    return { hook, action: 'installed', path, notes };
  }
  noteBackup(notes, await writeAtomic(path, script, 0o755));
  return { hook, action: 'installed', path, notes };
}

export async function uninstallPushHook(hook: PushHookName, hooksDir: string): Promise<PushHookOutcome> {
  const path = join(hooksDir, hook);
  const chained = join(hooksDir, chainedName(hook));
  const current = await hookContent(path);
  const notes: string[] = [];
  if (current === undefined || !isKeyguardPushHook(hook, current)) {
    if (await present(chained)) notes.push(`${chained} is left in place: the ${hook} hook is no longer keyguard's, so it is not restored over it`);
    return { hook, action: 'absent', path, notes };
  }
  if (await present(chained)) {
    await rename(chained, path);
    notes.push(`your earlier ${hook} hook is back in place`);
    return { hook, action: 'restored', path, notes };
  }
  await unlink(path);
  return { hook, action: 'removed', path, notes };
}

/** core.hooksPath as the repository's and the server's config set it, or undefined (see repo.ts). */
function configuredHooksPath(out: string): string | undefined {
  const fields = out.split('\0');
  const values: Array<[string, string]> = [];
  for (let i = 0; i + 1 < fields.length; i += 2) values.push([fields[i]!, fields[i + 1]!]);
  // keyguard's own lock-down (-c core.hooksPath=/dev/null) comes last: it is not the repository's
  if (values.at(-1)?.[0] === 'command' && values.at(-1)?.[1] === '/dev/null') values.pop();
  const value = values.at(-1)?.[1];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The hooks directory of the bare repository at `cwd`, where a server runs pre-receive. A work tree
 * is refused (pushes are received by the server's bare repository), and so is a core.hooksPath
 * outside the repository: servers such as GitLab (Gitaly) point it at hooks they manage themselves,
 * which keyguard must not change; their documented custom-hook places are in the README.
 */
export async function bareHooksDir(cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const named = namedBareRepository(cwd, env);
  const [where, config] = await Promise.all([
    runGit(cwd, named, ['rev-parse', '--is-bare-repository', '--absolute-git-dir']),
    runGit(cwd, named, ['config', '-z', '--show-scope', '--path', '--get-all', 'core.hooksPath']),
  ]);
  if (where.code !== 0) {
    const refused = refusal(where.stderr);
    if (/not a git repository/i.test(where.stderr)) {
      throw new HookError(`${cwd} is not a git repository: run keyguard install --pre-receive inside the bare repository the server receives pushes in`);
    }
    throw new HookError(refused ?? `git rev-parse failed: ${gitComplaint(where.stderr)}`);
  }
  const [bare, gitDir] = where.stdout.toString('utf8').split('\n');
  if (!gitDir) throw new HookError(`unexpected output from git rev-parse: ${JSON.stringify(where.stdout.toString('utf8'))}`);
  if (bare !== 'true') {
    throw new HookError(
      'this is a work tree, not a bare repository: the pre-receive hook belongs in the repository a server receives pushes in (e.g. /srv/git/app.git). ' +
        'To check your own pushes before they leave, use keyguard install --pre-push.',
    );
  }
  const configured = config.code === 0 ? configuredHooksPath(config.stdout.toString('utf8')) : undefined;
  if (!configured) return join(gitDir, 'hooks');
  const dir = resolve(gitDir, configured);
  const rel = relative(gitDir, dir);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new HookError(
      `core.hooksPath points outside this repository (${dir}): the hooks there are shared or managed by the server (GitLab's Gitaly does this). ` +
        'keyguard does not change them: install hooks/pre-receive where your server documents custom hooks (see the README, "Server-side push protection").',
    );
  }
  return dir;
}
