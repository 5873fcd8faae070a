// `keyguard scan --history`: every key that ever entered the repository, and whether it left.
import { UsageError } from '../../errors.js';
import type { ScanContext } from '../../scan/context.js';
import type { Source } from '../../scan/source.js';
import type { Finding } from '../../types.js';
import { refsOfCommits, type RefExposure } from './exposure.js';
import { isGitDate, revisionArgs } from '../../git/log.js';
import { archiveKeysAtHead, archiveOf } from './archives.js';
import { MESSAGE_PATH } from './introduced.js';
import { ExposurePrefetch, prefetchFor } from './prefetch.js';
import { purgeNotes, purgePlan, writeReplacements } from './purge.js';
import { namedBareRepository } from '../../git/git-dir.js';
import { repoFacts, type RepoFacts } from '../../git/repo-facts.js';
import { runGit } from '../../git/process.js';
import { refNameChunks } from './ref-names.js';
import { walkHistory } from './walk.js';

export interface HistoryOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  range?: string;
  since?: string;
}

function prefetch(ctx: ScanContext, cwd: string, env: NodeJS.ProcessEnv): ExposurePrefetch {
  return prefetchFor(ctx, () => {
    const facts = repoFacts(cwd, env);
    // a rejection is seen by whoever awaits facts; keep it from being reported as unhandled meanwhile
    facts.catch(() => {});
    return new ExposurePrefetch(facts, env);
  });
}

export function historySource(given: HistoryOptions): Source {
  const opts = { ...given, env: namedBareRepository(given.cwd, given.env) };
  return async function* history(ctx: ScanContext) {
    if (opts.range !== undefined && (opts.range === '' || opts.range.startsWith('-')))
      throw new UsageError(`--history takes a revision range (e.g. main..feature), not '${opts.range}'`);
    if (opts.since !== undefined && !(await isGitDate(opts.cwd, opts.env, opts.since))) {
      throw new UsageError(`--since ${JSON.stringify(opts.since)} is not a date git understands (e.g. 2024-01-31, "2 weeks ago", yesterday)`);
    }
    const revs = { ...(opts.range ? { range: opts.range } : {}), ...(opts.since ? { since: opts.since } : {}) };
    const pre = prefetch(ctx, opts.cwd, opts.env);
    pre.startHead(ctx.needles, ctx.ownKeys);
    if (ctx.progress) {
      const progress = ctx.progress;
      // the total arrives while the walk runs; it only decorates the progress line
      void runGit(opts.cwd, opts.env, ['rev-list', '--count', ...revisionArgs(revs)]).then((r) => {
        const n = Number(r.stdout.toString('utf8').trim());
        if (r.code === 0 && Number.isFinite(n)) progress.total = n;
      });
    }
    // every ref is walked when no range is given: their names are part of what is shared (src/scan/names.ts)
    if (!opts.range) yield* refNameChunks(opts.cwd, opts.env, ctx);
    yield* walkHistory({ cwd: opts.cwd, env: opts.env, revs, ready: pre.facts }, ctx);
    const f = await pre.facts;
    if (f.shallow) {
      ctx.note(
        'this is a shallow clone: history before its oldest commits is not here and was not scanned, and a key that came in earlier is reported at the oldest commit that has it. Run `git fetch --unshallow` and scan again for the full history (in CI: actions/checkout with fetch-depth: 0).',
      );
    }
    if (ctx.commits === 0) {
      if (!f.head && !opts.range) ctx.note('the repository has no commits yet: there is no history to scan');
      else ctx.note(`no commits matched ${opts.range ?? 'all refs'}${opts.since ? ` since ${opts.since}` : ''}`);
    }
  };
}

/**
 * Where each history finding's key has gone: refs containing its commit, pushed or not, present at
 * HEAD or not. Then the purge plan (a replacements file in the git dir) and the commands, as notes.
 */
export async function annotateExposure(findings: Finding[], given: { cwd: string; env: NodeJS.ProcessEnv; remote?: boolean }, ctx: ScanContext): Promise<void> {
  const opts = { ...given, env: namedBareRepository(given.cwd, given.env) };
  const inHistory = findings.filter((f) => f.kind === 'commit' && f.location.commit);
  if (inHistory.length === 0) return;
  const pre = prefetch(ctx, opts.cwd, opts.env);
  let facts: RepoFacts;
  try {
    facts = await pre.facts;
  } catch {
    return;
  }
  const shas = [...new Set(inHistory.map((f) => f.location.commit!.sha))];
  // a ref list git could not give leaves the refs empty; the keys at HEAD still count
  const archives = [...new Set(inHistory.flatMap((f) => archiveOf(f.location.path) ?? []))];
  const [atHead, refs, inArchivesAtHead] = await Promise.all([
    pre.headKeys(ctx.needles, ctx.ownKeys),
    refsOfCommits(shas, facts.cwd, opts.env).catch(() => new Map<string, RefExposure>()),
    facts.head && archives.length > 0 ? archiveKeysAtHead(facts.cwd, opts.env, facts.head, archives, ctx) : new Set<string>(),
  ]);
  for (const f of inHistory) {
    const commit = f.location.commit!;
    const r = refs.get(commit.sha);
    // each finding gets its own copy: findings of one commit share the commit object, not the exposure
    f.location.commit = {
      ...commit,
      exposure: {
        branches: r?.branches ?? [],
        tags: r?.tags ?? [],
        pushed: r?.pushed ?? false,
        remoteRefs: r?.remoteRefs ?? [],
        atHead: atHead.has(f.fingerprint) || inArchivesAtHead.has(f.fingerprint),
      },
    };
  }
  const plan = purgePlan(inHistory);
  const file = plan.lines.length > 0 ? await writeReplacements(facts.gitDir, plan.lines) : undefined;
  for (const n of purgeNotes(plan, file, given.remote)) ctx.note(n);
  for (const n of exposureNotes(inHistory, refs, facts)) ctx.note(n);
}

function short(sha: string): string {
  return sha.slice(0, 12);
}

/** What the refs say beyond each finding's own lines: amend instead of rewrite, stash-only keys, pushed keys. */
function exposureNotes(findings: readonly Finding[], refs: ReadonlyMap<string, RefExposure>, facts: RepoFacts): string[] {
  const notes: string[] = [];
  const pushed = findings.filter((f) => f.location.commit?.exposure?.pushed);
  if (pushed.length > 0) {
    notes.push(
      `${pushed.length} of these keys reached a remote: revoke them first; rewriting history does not recall copies others have fetched, and a hosting service may keep the old commits reachable (pull-request refs, caches) until its support purges them.`,
    );
  }
  for (const f of findings) {
    const c = f.location.commit!;
    const r = refs.get(c.sha);
    if (facts.head === c.sha && !c.exposure?.pushed) {
      notes.push(
        f.location.path === MESSAGE_PATH
          ? `the key in the message of the latest commit (${short(c.sha)}) has not been pushed: \`git commit --amend\` and rewrite the message; that commit needs no history rewrite.`
          : `the key in ${f.location.path} came in with the latest commit (${short(c.sha)}), which has not been pushed: remove it, \`git add\` the file and \`git commit --amend\`; that commit needs no history rewrite.`,
      );
    }
    if (r && r.branches.length === 0 && r.tags.length === 0 && !r.pushed) {
      if (r.otherRefs.includes('refs/stash'))
        notes.push(
          `commit ${short(c.sha)} (${f.location.path}) is only in the stash: \`git stash list\`, then \`git stash drop\` the entry, and \`git reflog expire --expire=now --all && git gc --prune=now\`.`,
        );
      else if (r.otherRefs.length > 0) notes.push(`commit ${short(c.sha)} (${f.location.path}) is only reachable from ${r.otherRefs.join(', ')}.`);
      else if (facts.detached && facts.head)
        notes.push(`commit ${short(c.sha)} (${f.location.path}) is on no branch or tag: only the detached HEAD reaches it.`);
    }
  }
  return notes;
}
