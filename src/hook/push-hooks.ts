// The push hooks as plain git hooks (native.ts places and chains them): pre-push in a work tree's
// hooks directory, pre-receive in a bare repository's, found here.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { HookError } from '../errors.js';
import { namedBareRepository } from '../git/git-dir.js';
import { gitComplaint, refusal, runGit } from '../git/process.js';
import { installScriptHook, uninstallScriptHook, type HooksDir, type ScriptHookOutcome } from './native.js';
import { configuredHooksPath } from './repo.js';
import type { HookName } from './script.js';

export type PushHookName = Extract<HookName, 'pre-push' | 'pre-receive'>;

export interface PushHookOutcome extends ScriptHookOutcome {
  hook: PushHookName;
}

/** `keyguardAt`: where the pre-push hook should look for keyguard besides its usual places (src/hook/locate.ts). */
export async function installPushHook(hook: PushHookName, where: HooksDir, keyguardAt?: string): Promise<PushHookOutcome> {
  return { hook, ...(await installScriptHook(hook, where, keyguardAt)) };
}

export async function uninstallPushHook(hook: PushHookName, where: HooksDir): Promise<PushHookOutcome> {
  return { hook, ...(await uninstallScriptHook(hook, where)) };
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
