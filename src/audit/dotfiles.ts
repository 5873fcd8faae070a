// A profile that holds a key and is tracked in git (a dotfiles repository) has probably been, or will
// be, pushed: say which repository and whether it has a remote. Bare dotfiles repositories (the
// `git --git-dir=~/.cfg --work-tree=~` pattern, yadm) are checked too.
import { realpath, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { gitBytes } from '../git/process.js';
import { homeOf } from '../discover/home.js';
import type { Check, Finding } from '../types.js';
import { shq } from '../report/shell-quote.js';

interface Tracking {
  /** the repository as a person would name it: the work tree, or the bare git dir */
  repo: string;
  /** git arguments that select it */
  args: string[];
  remotes: { name: string; url: string }[];
}

// git runs locked down (src/git/process.ts): the folders asked about are below HOME and may hold a
// cloned repository's config, which must not run anything (core.fsmonitor and the like).
async function gitRaw(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return (await gitBytes(cwd, env, args)).toString('utf8');
}

/** Remote URLs without any user:password@ part. */
function safeUrl(url: string): string {
  return url.replace(/\/\/[^/@]+@/, '//***@');
}

async function remotesOf(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ name: string; url: string }[]> {
  const out = await gitRaw(cwd, [...args, 'remote', '-v'], env).catch(() => '');
  const seen = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^(\S+)\s+(\S+)\s+\(fetch\)/.exec(line);
    if (m && !seen.has(m[1]!)) seen.set(m[1]!, safeUrl(m[2]!));
  }
  return [...seen].map(([name, url]) => ({ name, url }));
}

async function tracked(cwd: string, args: string[], file: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    await gitRaw(cwd, [...args, 'ls-files', '--error-unmatch', '--', file], env);
    return true;
  } catch {
    return false;
  }
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function trackingOf(file: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<Tracking | undefined> {
  const real = await realpath(file).catch(() => file);
  const dir = dirname(real);
  const top = (await gitRaw(dir, ['rev-parse', '--show-toplevel'], env).catch(() => '')).trim();
  if (top && (await tracked(dir, [], real, env))) return { repo: top, args: [], remotes: await remotesOf(dir, [], env) };
  const home = homeOf(env, platform);
  if (!home) return undefined;
  const rel = relative(home, real);
  if (rel.startsWith('..')) return undefined;
  for (const gitDir of ['.cfg', '.dotfiles', '.dotfiles.git', '.local/share/yadm/repo.git', '.config/yadm/repo.git', '.yadm/repo.git'].map((d) =>
    join(home, d),
  )) {
    if (!(await isDir(gitDir)) || (await isDir(join(gitDir, '.git')))) continue;
    const args = [`--git-dir=${gitDir}`, `--work-tree=${home}`];
    if (await tracked(home, args, rel, env)) return { repo: gitDir, args, remotes: await remotesOf(home, args, env) };
  }
  return undefined;
}

export async function trackedProfiles(findings: readonly Finding[], env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<Check[]> {
  const checks: Check[] = [];
  for (const path of new Set(findings.filter((f) => f.kind === 'profile').map((f) => f.location.path))) {
    const t = await trackingOf(path, env, platform);
    if (!t) continue;
    const pushed = t.remotes.length > 0;
    const where = pushed
      ? `it has ${t.remotes.length === 1 ? 'a remote' : 'remotes'}: ${t.remotes.map((r) => `${r.name} (${r.url})`).join(', ')}`
      : 'it has no remote yet';
    const git = ['git', ...t.args.map(shq)].join(' ');
    checks.push({
      id: 'profile-in-git-repo',
      severity: pushed ? 'error' : 'warning',
      message: `${path} holds a key and is tracked in the git repository ${t.repo}; ${where}`,
      detail: pushed
        ? 'If the key was ever committed and pushed, everyone who can read that remote has it: revoke it first. Removing the line only changes the next commit; the key stays in history.'
        : 'Nothing has left this machine through git yet, but the key is in the repository history once committed: remove it before adding a remote.',
      path,
      fix: [
        `remove the key from ${path} and fetch it at run time instead (e.g. export OPENAI_API_KEY="$(op read op://vault/openai/key)")`,
        t.args.length === 0 ? `cd ${shq(t.repo)} && keyguard scan --history` : `${git} log -p -- ${shq(path)} | grep -c T3BlbkFJ   # commits that carry a key`,
        `${git} commit -am 'Remove secret from profile'${pushed ? ' && git push   # then purge history: git filter-repo --replace-text' : ''}`,
      ],
    });
  }
  return checks;
}
