// `keyguard install` / `keyguard uninstall`: put the pre-commit check where this repository's hooks
// come from (git's hooks directory, husky, the pre-commit framework or lefthook), and take it out again.
import { relative, sep } from 'node:path';
import { UsageError } from '../errors.js';
import type { Outcome } from '../hook/outcome.js';
import { recordedForConfig, type KeyguardLocation } from '../hook/locate.js';
import { hookRepo, shown, type HookRepo } from '../hook/repo.js';
import { printable } from '../report/printable.js';
import type { Io } from './io.js';
import { parse } from './options.js';

export const INSTALL_HELP = `Usage: keyguard install [--git | --husky | --pre-commit | --lefthook | --pre-push | --pre-receive]

Install the pre-commit check: every 'git commit' runs 'keyguard scan --staged' and is blocked when
what is staged adds an OpenAI key. Running it again changes nothing.

  (no option)    husky when the repository has a .husky/ directory, else the git hook
  --git          the git hook in the hooks directory git uses (core.hooksPath, linked worktrees and
                 submodules respected). An existing hook is kept and chained: both run, either
                 can block, and 'keyguard uninstall' puts it back.
  --husky        add 'keyguard scan --staged' to .husky/pre-commit
  --pre-commit   add a keyguard hook to .pre-commit-config.yaml (pre-commit framework)
  --lefthook     add a keyguard command to lefthook.yml
  --pre-push     the git pre-push hook: 'keyguard scan --pre-push' checks the commits being pushed
                 (with --husky or --lefthook: in their pre-push config instead)
  --pre-receive  in a server's bare repository: the pre-receive hook rejects pushed commits that add a key
  --codex, --claude-code [--project]  guard a coding agent's prompts and tool calls: 'keyguard install --codex --help'
  --shell [LIST] keep keys out of shell history (zsh, bash, fish; default: every shell on PATH): 'keyguard install --shell --help'

To commit once without the check: git commit --no-verify (it does not un-leak anything).
`;

export const UNINSTALL_HELP = `Usage: keyguard uninstall [--git | --husky | --pre-commit | --lefthook | --pre-push | --pre-receive]

Remove what 'keyguard install' added: with no option, from every place it can be (the git hook, with
a chained hook restored; the .husky/pre-commit line; the .pre-commit-config.yaml entry; the lefthook
command). Nothing keyguard did not write is touched.
'keyguard uninstall --shell [LIST]' takes out the shell history guards instead.
`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  git: { type: 'boolean' },
  husky: { type: 'boolean' },
  'pre-commit': { type: 'boolean' },
  lefthook: { type: 'boolean' },
  'pre-push': { type: 'boolean' },
  'pre-receive': { type: 'boolean' },
} as const;

type Via = Outcome['via'];
const VIAS: readonly Via[] = ['git', 'husky', 'pre-commit', 'lefthook'];

function chosen(values: Partial<Record<Via | 'help', boolean | undefined>>): Via[] {
  return VIAS.filter((v) => values[v] === true);
}

const WHERE: Record<Via, string> = {
  git: 'the git pre-commit hook',
  husky: 'the husky pre-commit hook',
  'pre-commit': 'the pre-commit framework config',
  lefthook: 'the lefthook config',
};

function report(io: Io, o: Outcome): void {
  // a repository's path is data too: a directory name may hold escape sequences
  const path = printable(shown(io.cwd, o.path));
  const line: Record<Outcome['action'], string> = {
    installed: `installed in ${WHERE[o.via]}: ${path}`,
    updated: `${o.via === 'git' ? 'updated' : 'added to'} ${WHERE[o.via]}: ${path}`,
    unchanged: `already installed in ${WHERE[o.via]} (${path}); nothing changed`,
    removed: `removed from ${WHERE[o.via]}: ${path}`,
    restored: `removed from ${WHERE[o.via]} and restored the hook it had chained: ${path}`,
    absent: `not installed in ${WHERE[o.via]} (${path})`,
  };
  io.stdout(`keyguard: ${line[o.action]}\n`);
  for (const n of o.notes) io.stdout(`  note: ${printable(n)}\n`);
}

function outsideRepo(repo: HookRepo): boolean {
  const rel = relative(repo.top, repo.hooksDir);
  return rel.startsWith(`..${sep}`) || rel === '..';
}

async function installVia(via: Via, repo: HookRepo, io: Io): Promise<Outcome> {
  const { locateKeyguard, locationNotes } = await import('../hook/locate.js');
  // a hooks directory outside the repository serves others too: only the git hook can live there
  const shared = via === 'git' && repo.hooksPath !== undefined && outsideRepo(repo);
  const where = await locateKeyguard(repo, io.cwd, io.env, shared);
  const o = await installForm(via, repo, where);
  o.notes.push(...locationNotes(where, 'commit'));
  if (via !== 'git') return o;
  if (shared) {
    o.notes.push(`core.hooksPath points outside this repository (${repo.hooksPath}): every repository that uses it now runs keyguard`);
    if (!where.recorded && !where.onPath) {
      o.notes.push(
        'a repository there with no keyguard of its own (node_modules/.bin) will have its commits blocked: install keyguard for your user so it is on PATH',
      );
    }
  } else if (repo.hooksPath && relative(repo.top, repo.hooksPath).split(sep)[0] === '.husky') {
    o.notes.push(
      "this is husky's generated directory, which husky rewrites on every install: `keyguard install --husky` adds keyguard to .husky/pre-commit instead",
    );
  }
  return o;
}

async function installForm(via: Via, repo: HookRepo, where: KeyguardLocation): Promise<Outcome> {
  switch (via) {
    case 'git':
      return (await import('../hook/native.js')).installNative(repo, where.recorded);
    case 'husky':
      return (await import('../hook/husky.js')).installHusky(repo, recordedForConfig(where));
    case 'pre-commit': {
      const [{ installPreCommit, preCommitForm }, { packageVersion }] = await Promise.all([
        import('../hook/pre-commit-config.js'),
        import('../hook/script.js'),
      ]);
      return installPreCommit(repo, await preCommitForm(where, await packageVersion()));
    }
    case 'lefthook':
      return (await import('../hook/lefthook.js')).installLefthook(repo, recordedForConfig(where));
  }
}

async function uninstallVia(via: Via, repo: HookRepo): Promise<Outcome> {
  switch (via) {
    case 'git':
      return (await import('../hook/native.js')).uninstallNative(repo);
    case 'husky':
      return (await import('../hook/husky.js')).uninstallHusky(repo);
    case 'pre-commit':
      return (await import('../hook/pre-commit-config.js')).uninstallPreCommit(repo);
    case 'lefthook':
      return (await import('../hook/lefthook.js')).uninstallLefthook(repo);
  }
}

export async function installCommand(args: string[], io: Io): Promise<number> {
  const shell = await import('../guard/shell/command.js');
  if (shell.wantsShell(args)) return shell.installShellCommand(args, io);
  const agents = await import('./install-agents.js');
  if (agents.wantsAgentGuard(args)) return agents.installAgentsCommand(args, io);
  const { values } = parse(args, OPTIONS, false);
  if (values.help) {
    io.stdout(INSTALL_HELP);
    return 0;
  }
  const push = await import('./install-push.js');
  const pushHook = push.pushHookChosen(values);
  if (pushHook) return push.installPushCommand(pushHook, io);
  const picked = chosen(values);
  if (picked.length > 1) throw new UsageError('choose one of --git, --husky, --pre-commit, --lefthook');
  const repo = await hookRepo(io.cwd, io.env, io.platform);
  let via = picked[0];
  if (!via) via = (await (await import('../hook/husky.js')).usesHusky(repo)) ? 'husky' : 'git';
  const outcome = await installVia(via, repo, io);
  report(io, outcome);
  if (outcome.action !== 'unchanged') {
    io.stdout('Every commit now checks what is staged for OpenAI keys. To commit once without the check: git commit --no-verify\n');
  }
  return 0;
}

export async function uninstallCommand(args: string[], io: Io): Promise<number> {
  const agents = await import('./install-agents.js');
  if (agents.wantsAgentGuard(args)) return agents.uninstallAgentsCommand(args, io);
  const shell = await import('../guard/shell/command.js');
  if (shell.wantsShell(args)) return shell.uninstallShellCommand(args, io);
  const { values } = parse(args, OPTIONS, false);
  if (values.help) {
    io.stdout(UNINSTALL_HELP);
    return 0;
  }
  const push = await import('./install-push.js');
  const pushHook = push.pushHookChosen(values);
  if (pushHook) return push.uninstallPushCommand(pushHook, io);
  const picked = chosen(values);
  const repo = await hookRepo(io.cwd, io.env, io.platform);
  const outcomes: Outcome[] = [];
  for (const via of picked.length > 0 ? picked : VIAS) outcomes.push(await uninstallVia(via, repo));
  const acted = outcomes.filter((o) => o.action !== 'absent' || o.notes.length > 0);
  for (const o of picked.length > 0 ? outcomes : acted) report(io, o);
  const prePush = picked.length === 0 && (await push.uninstallPrePushToo(io));
  if (acted.length === 0 && !prePush && picked.length === 0) io.stdout('keyguard: no keyguard hook is installed in this repository; nothing changed\n');
  return 0;
}
