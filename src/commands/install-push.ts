// `keyguard install --pre-push` / `--pre-receive` and their uninstall: the push hooks as git hooks,
// and the pre-push check as a line in husky's .husky/pre-push or a command in lefthook's config.
import { backupDir } from '../fix/backup.js';
import { relative, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { bareHooksDir, installPushHook, uninstallPushHook, type PushHookName, type PushHookOutcome } from '../hook/push-hooks.js';
import { hookRepo, shown, type HookRepo } from '../hook/repo.js';
import { printable } from '../report/printable.js';
import type { Io } from './io.js';

type Form = 'git' | 'husky' | 'lefthook';

export interface PushHookChoice {
  hook: PushHookName;
  /** unset: husky when the repository uses it, else the git hook (lefthook only when asked for) */
  form?: Form;
}

const WHERE: Record<PushHookName | 'husky' | 'lefthook', string> = {
  'pre-push': 'the git pre-push hook',
  'pre-receive': 'the pre-receive hook of this bare repository',
  husky: 'the husky pre-push hook',
  lefthook: "lefthook's pre-push commands",
};

const AFTER_INSTALL: Record<PushHookName, string> = {
  'pre-push':
    'Every push now checks the commits being pushed (only those the remote does not have) for OpenAI keys. ' +
    'To push once without the check: git push --no-verify\n',
  'pre-receive':
    'Every push to this repository is now checked: commits that add an OpenAI key are rejected, and the pusher is told which commit, path and line. ' +
    'A logged bypass for admins: git config keyguard.allowSkip true and git config receive.advertisePushOptions true here, then git push -o keyguard.skip\n',
};

function report(io: Io, o: PushHookOutcome, form: Form = 'git'): void {
  // a repository's path is data: a directory name may hold escape sequences
  const path = printable(shown(io.cwd, o.path));
  const where = form === 'git' ? WHERE[o.hook] : WHERE[form];
  const line: Record<PushHookOutcome['action'], string> = {
    installed: `installed in ${where}: ${path}`,
    updated: `${form === 'git' ? 'updated' : 'added to'} ${where}: ${path}`,
    unchanged: `already installed in ${where} (${path}); nothing changed`,
    removed: `removed from ${where}: ${path}`,
    restored: `removed from ${where} and restored the hook it had chained: ${path}`,
    absent: `not installed in ${where} (${path})`,
  };
  io.stdout(`keyguard: ${line[o.action]}\n`);
  for (const n of o.notes) io.stdout(`  note: ${printable(n)}\n`);
}

type InstallFlags = Partial<Record<'pre-push' | 'pre-receive' | 'git' | 'husky' | 'pre-commit' | 'lefthook', boolean>>;

/** Which push hook the flags ask for, if any, and in which form. */
export function pushHookChosen(values: InstallFlags): PushHookChoice | undefined {
  const hook = values['pre-push'] ? 'pre-push' : values['pre-receive'] ? 'pre-receive' : undefined;
  if (!hook) return undefined;
  if (values['pre-push'] && values['pre-receive']) throw new UsageError('choose one of --pre-push, --pre-receive');
  if (values['pre-commit']) {
    throw new UsageError(`--${hook} does not combine with --pre-commit: the README says why the pre-commit framework's pre-push stage cannot carry this check`);
  }
  if ([values.git, values.husky, values.lefthook].filter(Boolean).length > 1) throw new UsageError('choose one of --git, --husky, --lefthook');
  if (hook === 'pre-receive') {
    if (values.husky || values.lefthook) throw new UsageError('--pre-receive is a server hook: it does not combine with --husky or --lefthook');
    return { hook };
  }
  const form: Form | undefined = values.husky ? 'husky' : values.lefthook ? 'lefthook' : values.git ? 'git' : undefined;
  return { hook, ...(form ? { form } : {}) };
}

/** core.hooksPath outside the work tree: the hooks there serve other repositories too. */
function isShared(repo: HookRepo): boolean {
  if (!repo.hooksPath) return false;
  const rel = relative(repo.top, repo.hooksPath);
  return rel === '..' || rel.startsWith(`..${sep}`);
}

function gitHookNotes(repo: HookRepo): string[] {
  if (!repo.hooksPath) return [];
  const rel = relative(repo.top, repo.hooksPath);
  if (rel === '..' || rel.startsWith(`..${sep}`)) {
    return [`core.hooksPath points outside this repository (${repo.hooksPath}): every repository that uses it now runs keyguard's pre-push hook`];
  }
  if (rel.split(sep)[0] === '.husky') {
    return ["this is husky's generated directory, which husky rewrites on every install: use `keyguard install --pre-push --husky`"];
  }
  return [];
}

async function formFor(choice: PushHookChoice, repo: HookRepo): Promise<Form> {
  if (choice.form) return choice.form;
  return (await (await import('../hook/husky.js')).usesHusky(repo)) ? 'husky' : 'git';
}

export async function installPushCommand(choice: PushHookChoice, io: Io): Promise<number> {
  const { hook } = choice;
  let outcome: PushHookOutcome;
  let form: Form = 'git';
  if (hook === 'pre-receive') {
    outcome = await installPushHook(hook, { hooksDir: await bareHooksDir(io.cwd, io.env), backups: () => backupDir(io) });
  } else {
    const repo = await hookRepo(io.cwd, io.env, io.platform);
    form = await formFor(choice, repo);
    const { locateKeyguard, locationNotes, recordedForConfig } = await import('../hook/locate.js');
    if (form === 'husky') {
      const where = await locateKeyguard(repo, io.cwd, io.env, false);
      outcome = await (await import('../hook/husky-pre-push.js')).installHuskyPrePush(repo, recordedForConfig(where));
    } else if (form === 'lefthook') {
      const { installLefthook, PRE_PUSH_ENTRY } = await import('../hook/lefthook.js');
      const where = await locateKeyguard(repo, io.cwd, io.env, false);
      const { via: _via, ...o } = await installLefthook(repo, recordedForConfig(where), PRE_PUSH_ENTRY);
      outcome = { hook, ...o };
    } else {
      const shared = isShared(repo);
      const where = await locateKeyguard(repo, io.cwd, io.env, shared);
      outcome = await installPushHook(hook, repo, where.recorded);
      outcome.notes.push(...locationNotes(where, 'push'), ...gitHookNotes(repo));
      if (shared && !where.recorded && !where.onPath) {
        outcome.notes.push(
          'a repository there with no keyguard of its own (node_modules/.bin) will have its pushes blocked: install keyguard for your user so it is on PATH',
        );
      }
    }
  }
  report(io, outcome, form);
  if (outcome.action !== 'unchanged') io.stdout(AFTER_INSTALL[hook]);
  return 0;
}

export async function uninstallPushCommand(choice: PushHookChoice, io: Io): Promise<number> {
  if (choice.hook === 'pre-receive') {
    report(io, await uninstallPushHook('pre-receive', { hooksDir: await bareHooksDir(io.cwd, io.env), backups: () => backupDir(io) }));
    return 0;
  }
  const repo = await hookRepo(io.cwd, io.env, io.platform);
  const forms: Form[] = choice.form ? [choice.form] : ['git', 'husky', 'lefthook'];
  const outcomes = await uninstallPrePush(repo, forms);
  // with no form named, say only what was there (or, when nothing was, that the git hook was not)
  const said = choice.form ? outcomes : outcomes.filter(([o]) => o.action !== 'absent' || o.notes.length > 0);
  for (const [o, form] of said.length > 0 ? said : outcomes.slice(0, 1)) report(io, o, form);
  return 0;
}

async function uninstallPrePush(repo: HookRepo, forms: readonly Form[]): Promise<Array<[PushHookOutcome, Form]>> {
  const out: Array<[PushHookOutcome, Form]> = [];
  for (const form of forms) {
    out.push([await uninstallForm(repo, form), form]);
  }
  return out;
}

async function uninstallForm(repo: HookRepo, form: Form): Promise<PushHookOutcome> {
  if (form === 'husky') return (await import('../hook/husky-pre-push.js')).uninstallHuskyPrePush(repo);
  if (form === 'lefthook') {
    const { uninstallLefthook, PRE_PUSH_ENTRY } = await import('../hook/lefthook.js');
    const { via: _via, ...o } = await uninstallLefthook(repo, PRE_PUSH_ENTRY);
    return { hook: 'pre-push', ...o };
  }
  return uninstallPushHook('pre-push', repo);
}

/** `keyguard uninstall` with no option: the pre-push check goes too. Returns whether it said anything. */
export async function uninstallPrePushToo(io: Io): Promise<boolean> {
  const repo = await hookRepo(io.cwd, io.env, io.platform);
  const acted = (await uninstallPrePush(repo, ['git', 'husky', 'lefthook'])).filter(([o]) => o.action !== 'absent' || o.notes.length > 0);
  for (const [o, form] of acted) report(io, o, form);
  return acted.length > 0;
}
