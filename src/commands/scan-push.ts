// `keyguard scan --pre-push [REMOTE [URL]]` and `keyguard scan --pre-receive`: what git's push hooks
// run. The ref updates come on stdin; only the commits the receiving side does not have are scanned.
// Anything that cannot be read blocks the push (exit 2), like a finding does (exit 1).
import { ExitCode, UsageError } from '../errors.js';
import { filterStage } from '../filters/stage.js';
import { namedBareRepository } from '../git/git-dir.js';
import { shownText } from '../report/text.js';
import { runScan } from '../scan/pipeline.js';
import { currentBranchUpdate, prePushCommits, preReceiveCommits, remoteNamed, type PushCommits } from '../sources/push/commits.js';
import { renderPushText, type PushHook } from '../sources/push/render.js';
import { ALLOW_SKIP_CONFIG, SKIP_OPTION, asksSkip, gitDirOf, logSkip, skipAllowed } from '../sources/push/skip.js';
import { pushSource } from '../sources/push/source.js';
import { isZero, parsePrePush, parsePreReceive, type RefUpdate } from '../sources/push/updates.js';
import type { Io } from './io.js';
import type { OutputOptions } from './options.js';
import { emit, loadBaseline, loadIgnore, newContext, rootOf } from './setup.js';

export interface PushScanArgs {
  hook: PushHook;
  /** pre-push: REMOTE and URL, as git passes them */
  positionals: string[];
  out: OutputOptions;
  ignoreFile?: string;
  baselineFile?: string;
  noBaseline: boolean;
}

async function updatesFrom(io: Io, hook: PushHook): Promise<RefUpdate[]> {
  const input = io.readStdin ? await io.readStdin() : undefined;
  if (input === undefined) {
    const what = hook === 'pre-push' ? 'pushing' : 'receiving';
    throw new UsageError(`--${hook} reads the refs git is ${what} on stdin: it is run by git's ${hook} hook (keyguard install --${hook})`);
  }
  const text = input.toString('utf8');
  return hook === 'pre-push' ? parsePrePush(text) : parsePreReceive(text);
}

/** The bypass, when the pusher asked for it: granted (and logged) only where the repository allows it. */
async function skipped(io: Io, cwd: string, env: NodeJS.ProcessEnv, updates: RefUpdate[]): Promise<boolean> {
  if (!asksSkip(env)) return false;
  if (!(await skipAllowed(cwd, env))) {
    io.stderr(
      `keyguard: push option ${SKIP_OPTION} refused: this repository does not allow it (its admin can: git config ${ALLOW_SKIP_CONFIG} true); ` +
        'the push is checked as usual\n',
    );
    return false;
  }
  await logSkip(await gitDirOf(cwd, env), updates, env, new Date());
  const refs = updates.map((u) => shownText(u.ref)).join(', ') || '(no refs)';
  io.stderr(`keyguard: skipped by push option for ${refs}: not checked for OpenAI keys; this skip is logged on the server\n`);
  return true;
}

/** Notes that explain an empty or unusually wide scan. */
function planNotes(plan: PushCommits, hook: PushHook, remote: string | undefined, basis?: { named: boolean; tracking: number }): string[] {
  const notes: string[] = [];
  if (plan.pushed.length === 0) {
    notes.push(plan.deleted.length > 0 ? 'this push only deletes refs: there is nothing to check' : 'git named no refs: there is nothing to check');
  } else if (plan.commits.length === 0) {
    const where = hook === 'pre-push' ? `on ${remote ? shownText(remote) : 'the remote'}` : 'in this repository';
    notes.push(`every pushed commit is already ${where}: there is nothing new to check`);
  }
  const fresh = plan.pushed.filter((u) => isZero(u.old));
  if (hook === 'pre-push' && basis && fresh.length > 0 && basis.tracking === 0 && plan.commits.length > 0) {
    notes.push(
      basis.named
        ? `no remote-tracking refs of ${shownText(remote ?? '')} are known here (never fetched?): the whole history of each new ref was checked`
        : 'pushing to a URL, not a named remote: nothing says what it already has, so the whole history of each new ref was checked',
    );
  }
  return notes;
}

export async function scanPush(args: PushScanArgs, io: Io): Promise<number> {
  const { hook } = args;
  if (hook === 'pre-receive' && args.positionals.length > 0) throw new UsageError('--pre-receive takes no arguments: git writes the ref updates on stdin');
  if (hook === 'pre-push' && args.positionals.length > 2) throw new UsageError('--pre-push takes at most REMOTE and URL (what git passes its pre-push hook)');
  const remote = args.positionals[0];
  // a bare repository run by hand is named to git as git names it in the hook (GIT_DIR)
  const env = hook === 'pre-receive' ? namedBareRepository(io.cwd, io.env) : io.env;
  const updates = await updatesFrom(io, hook);
  if (hook === 'pre-receive' && (await skipped(io, io.cwd, env, updates))) return ExitCode.clean;

  const [root, ctx] = await Promise.all([rootOf({ ...io, env }), newContext(io)]);
  const [ignore, baseline] = await Promise.all([loadIgnore(root, args.ignoreFile), args.noBaseline ? undefined : loadBaseline(root, args.baselineFile)]);
  // commit paths are git's, relative to the top of the tree
  const filters = filterStage({ ...(ignore ? { ignore: { filter: ignore, scope: { root, pathsFrom: root } } } : {}), ...(baseline ? { baseline } : {}) });

  let plan: PushCommits;
  let basis: { named: boolean; tracking: number } | undefined;
  if (hook === 'pre-push') {
    let pushed = updates;
    if (updates.length === 0 && remoteNamed(remote)) {
      const head = await currentBranchUpdate(io.cwd, env);
      if (head) {
        pushed = [head];
        ctx.note(
          "git named no refs (nothing to push, or a hook manager did not pass git's input on: lefthook needs `use_stdin: true`): " +
            `checked the commits of the current branch that ${shownText(remote ?? '')} does not have`,
        );
      }
    }
    const p = await prePushCommits(io.cwd, env, remote, pushed);
    plan = p;
    basis = { named: p.named, tracking: p.tracking };
  } else {
    plan = await preReceiveCommits(io.cwd, env, updates);
  }
  for (const n of planNotes(plan, hook, remote, basis)) ctx.note(n);

  const findings = await runScan(pushSource({ cwd: io.cwd, env, commits: plan.commits }), ctx, filters);
  const noun = 'file changes';
  const opts = { hook, color: args.out.color, showSecrets: args.out.showSecrets, quiet: args.out.quiet, noun, ...(remote ? { remote } : {}) };
  return emit(io, ctx, findings, args.out, { noun, text: (summary) => renderPushText(findings, summary, plan, opts) });
}
