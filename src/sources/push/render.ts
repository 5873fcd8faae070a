// The text report of a push hook: the findings as every scan shows them, then for each one the
// commit, path and line with the command that takes the key out of that commit, and what to do.
// Before a push (pre-push) the commits have not left the machine: fixing the commit is enough. At the
// server (pre-receive) the key has travelled: revoke it, then rewrite and push again.
import pc from 'picocolors';
import { REVOKE_URL } from '../../report/remediation.js';
import { renderFindingBlocks, renderProblems, shownText, summaryLine } from '../../report/text.js';
import type { Finding, ScanSummary } from '../../types.js';
import { MESSAGE_PATH } from '../git-history/introduced.js';
import type { PushCommits } from './commits.js';
import type { RefUpdate } from './updates.js';

export type PushHook = 'pre-push' | 'pre-receive';

export interface PushRenderOptions {
  hook: PushHook;
  color: boolean;
  showSecrets: boolean;
  quiet: boolean;
  /** pre-push: the remote's name (or URL) as git gave it */
  remote?: string;
  noun?: string;
}

function short(sha: string): string {
  return sha.slice(0, 12);
}

/** `refs/heads/main` → `main`; anything else as it is. */
function branchName(ref: string): string {
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
}

/** The local branch a commit is rewritten on: the pushed local ref (pre-push) or the pushed ref (pre-receive). */
function branchOf(u: RefUpdate, hook: PushHook): string {
  return shownText(branchName(hook === 'pre-push' ? (u.localRef ?? u.ref) : u.ref));
}

/** The command that takes the key out of one commit. */
export function fixFor(f: Finding, plan: Pick<PushCommits, 'refsOf' | 'parentsOf'>, hook: PushHook): string {
  const sha = f.location.commit!.sha;
  const refs = plan.refsOf.get(sha) ?? [];
  const parents = plan.parentsOf.get(sha) ?? [];
  const message = f.location.path === MESSAGE_PATH;
  const tip = refs.find((u) => u.new === sha);
  const on = refs[0] ? `on ${branchOf(refs[0], hook)}: ` : '';
  if (tip) {
    return message
      ? `the tip of ${branchOf(tip, hook)}: \`git commit --amend\` and take the key out of the message`
      : `the tip of ${branchOf(tip, hook)}: remove the key, \`git add\` the file, \`git commit --amend\``;
  }
  const base = parents.length === 0 ? '--root' : `${short(sha)}^`;
  if (parents.length > 1) {
    return (
      `${on}a merge: \`git rebase -i --rebase-merges ${base}\`, add \`break\` after its \`merge\` line, remove the key, ` +
      '`git add`, `git commit --amend`, `git rebase --continue`'
    );
  }
  return message
    ? `${on}\`git rebase -i ${base}\`, mark ${short(sha)} \`reword\` and take the key out of the message`
    : `${on}\`git rebase -i ${base}\`, mark ${short(sha)} \`edit\`, remove the key, \`git add\` the file, \`git commit --amend\`, \`git rebase --continue\``;
}

function headline(findings: readonly Finding[], opts: PushRenderOptions): string {
  const commits = new Set(findings.map((f) => f.location.commit?.sha)).size;
  const n = `${commits} commit${commits === 1 ? '' : 's'}`;
  const s = commits === 1 ? 's' : '';
  if (opts.hook === 'pre-push') {
    const to = opts.remote ? ` to ${shownText(opts.remote)}` : '';
    const which = commits === 1 ? 'that commit' : 'those commits';
    return `Push blocked: ${n} being pushed${to} add${s} an OpenAI key. Nothing has left this machine yet: take the key out of ${which}, then push again.`;
  }
  const which = commits === 1 ? 'the commit' : 'the commits';
  return `keyguard rejected this push: ${n} add${s} an OpenAI key. The server kept nothing: revoke the key, rewrite ${which} without it, and push again.`;
}

function steps(hook: PushHook): string[] {
  if (hook === 'pre-push') {
    return [
      'Take the key out of each commit above (the command is on its line) and read it from the environment or a secrets manager instead; then push again.',
      'The key has not been pushed, so it need not be revoked, unless it was shared some other way (another remote, a CI log, a chat): ' +
        `then revoke it at ${REVOKE_URL}.`,
      'Not a real key? Add a `keyguard:allow` comment on its line in the commit, or record it with `keyguard baseline`. ' +
        'To push anyway, once: `git push --no-verify` (the key then reaches the remote: revoke it).',
    ];
  }
  return [
    `Revoke the key now at ${REVOKE_URL} (or the project's API keys page) and create a new one: ` +
      'it has left your machine, and the commit may be in other clones.',
    'Rewrite each commit above without the key (the command is on its line), then push again: this server did not take the commits, ' +
      'so no force-push is needed here. `keyguard scan --history` checks the rest of your clone.',
    'Not a real key? Add a `keyguard:allow` comment on its line in the commit. ' +
      "A push that must go through anyway: ask this server's admin (a logged `git push -o keyguard.skip`, where allowed).",
  ];
}

export function renderPushText(
  findings: readonly Finding[],
  summary: ScanSummary,
  plan: Pick<PushCommits, 'refsOf' | 'parentsOf'>,
  opts: PushRenderOptions,
): string {
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  out.push(...renderFindingBlocks(findings, opts));
  if (findings.length > 0) {
    out.push(c.red(c.bold(headline(findings, opts))));
    const seen = new Set<string>();
    for (const f of findings) {
      const where = `${short(f.location.commit?.sha ?? '')}  ${shownText(f.location.path)}:${f.location.line}`;
      if (seen.has(where)) continue;
      seen.add(where);
      out.push(`  ${c.bold(where)}  ${f.location.commit ? fixFor(f, plan, opts.hook) : ''}`);
    }
    out.push('');
    if (!opts.quiet) {
      out.push(c.bold('What to do'));
      steps(opts.hook).forEach((s, i) => out.push(`  ${i + 1}. ${s}`));
      out.push('');
    }
  }
  out.push(...renderProblems(summary, opts.color));
  out.push(summaryLine(summary, opts.noun));
  return `${out.join('\n')}\n`;
}
