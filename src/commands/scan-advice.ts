// What the scan's advice may assume about the place, and the text report that uses it.
import { runGit } from '../git/process.js';
import type { AdviceContext } from '../report/remediation.js';
import type { Finding, ScanSummary } from '../types.js';
import type { OutputOptions } from './options.js';

export interface AdviceFacts {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --fix ran for real (not --dry-run) */
  fixed: boolean;
}

/**
 * Asks git for the remotes only when there are history findings: the force-push advice is about
 * them. Unknown (git failed) keeps the cautious advice.
 */
export async function adviceContext(findings: readonly Finding[], facts: AdviceFacts): Promise<AdviceContext> {
  const advice: AdviceContext = { fixed: facts.fixed };
  if (findings.some((f) => f.kind === 'commit')) {
    const r = await runGit(facts.cwd, facts.env, ['remote']);
    if (r.code === 0) advice.remote = r.stdout.toString('utf8').trim() !== '';
  }
  return advice;
}

/** The text report with advice that fits the place (for emit's `text`). */
export async function textReport(
  findings: readonly Finding[],
  out: OutputOptions,
  noun: string,
  advice: AdviceContext,
): Promise<(summary: ScanSummary) => string> {
  const { renderText } = await import('../report/text.js');
  return (summary) => renderText(findings, summary, { color: out.color, showSecrets: out.showSecrets, quiet: out.quiet, noun, advice });
}
