// For people: grouped by file, colours only when asked for (a TTY), the key always redacted unless --show-secrets.
import pc from 'picocolors';
import type { Check, Finding, OriginKind, ScanSummary } from '../types.js';
import { detailsOf, placeOf } from './format-location.js';
import { nameView } from './names.js';
import { printable } from './printable.js';
import { remediationSteps } from './remediation.js';

export interface TextOptions {
  color: boolean;
  showSecrets: boolean;
  quiet?: boolean;
  /** what the run looked at, for the summary ("files", "staged files", "history entries") */
  noun?: string;
}

function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

export function summaryLine(s: ScanSummary, noun = 'files'): string {
  const parts = [`scanned ${s.files} ${noun}${s.commits ? ` in ${s.commits} commits` : ''}, ${bytesText(s.bytes)} in ${(s.durationMs / 1000).toFixed(2)}s`];
  const skipped = Object.entries(s.skipped);
  if (skipped.length > 0) parts.push(`skipped ${skipped.map(([why, n]) => `${n} ${printable(why)}`).join(', ')}`);
  if (s.errors.length > 0) parts.push(`${s.errors.length} could not be read`);
  const sup = s.suppressed.allow + s.suppressed.ignored + s.suppressed.baseline;
  if (sup > 0) parts.push(`${sup} suppressed (${s.suppressed.allow} keyguard:allow, ${s.suppressed.ignored} .keyguardignore, ${s.suppressed.baseline} baseline)`);
  parts.push(`${s.findings} finding${s.findings === 1 ? '' : 's'}`);
  return `keyguard: ${parts.join('; ')}`;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

/** Text made of scanned data that is not a finding (checks, errors, notes): keys redacted, controls escaped. */
export const shownText = nameView(false).text;

export function renderChecks(checks: readonly Check[], color: boolean): string[] {
  const c = pc.createColors(color);
  const out: string[] = [];
  const mark = { error: c.red('✗ error'), warning: c.yellow('! warning'), info: c.cyan('i info') };
  for (const ch of checks) {
    const where = ch.path ? `  ${c.dim(`${shownText(ch.path)}${ch.line ? `:${ch.line}` : ''}`)}` : '';
    out.push(`  ${mark[ch.severity]}  ${shownText(ch.message)}${where}`);
    if (ch.detail) out.push(`      ${shownText(ch.detail)}`);
    for (const f of ch.fix) out.push(`      ${c.green('fix:')} ${shownText(f)}`);
  }
  return out;
}

/** The error and note lines of a report. */
export function renderProblems(summary: ScanSummary, color: boolean): string[] {
  const c = pc.createColors(color);
  return [
    ...summary.errors.map((e) => c.red(`error: ${shownText(e.path)}: ${shownText(e.message)}`)),
    ...summary.notes.map((n) => c.dim(`note: ${shownText(n)}`)),
  ];
}

/** The per-file blocks: each finding with its place, key (redacted), fingerprint and what is known about it. */
export function renderFindingBlocks(findings: readonly Finding[], opts: { color: boolean; showSecrets: boolean }): string[] {
  const c = pc.createColors(opts.color);
  const shown = nameView(opts.showSecrets);
  const out: string[] = [];
  for (const [path, list] of groupBy(findings, (f) => f.location.path)) {
    out.push(c.bold(c.underline(shown.text(path))));
    for (const f of list) {
      const key = opts.showSecrets ? f.secret : f.redacted;
      const conf = f.confidence === 'high' ? '' : c.dim(` (${f.confidence} confidence)`);
      out.push(`  ${c.red('✗')} ${c.bold(placeOf(f))}  ${f.familyLabel}${conf}`);
      out.push(`      key ${c.yellow(key)}  fingerprint ${f.fingerprint}`);
      if (f.decoded) out.push(`      found inside a ${f.decoded}-encoded value`);
      if (f.ownKey) out.push(`      ${c.red(c.bold(`this is ${f.ownKey}`))}`);
      // present only when --verify ran
      if (f.verification) {
        const said = { live: c.red(c.bold('LIVE: revoke it now')), revoked: c.green('revoked'), unknown: c.dim('unknown') }[f.verification];
        out.push(`      verified: ${said}${f.verificationDetail ? ` (${printable(f.verificationDetail)})` : ''}`);
      }
      const commit = f.location.commit;
      if (commit) {
        out.push(`      commit ${printable(commit.sha)}  ${shown.text(commit.author)}  ${printable(commit.date)}`);
        const ex = commit.exposure;
        if (ex) {
          const remotes = ex.remoteRefs.map(shown.text).join(', ');
          if (ex.pushed) out.push(`      ${c.red(c.bold(`PUSHED: reachable from ${remotes}. Anyone with access to the remote has this key: revoke it now.`))}`);
          const refs = [...ex.branches.map((b) => `branch ${shown.text(b)}`), ...ex.tags.map((t) => `tag ${shown.text(t)}`)];
          if (refs.length > 0) out.push(`      in ${refs.join(', ')}`);
          out.push(`      ${ex.atHead ? 'still present at HEAD' : 'no longer present at HEAD (still in history)'}`);
        }
      }
      for (const d of detailsOf(f)) out.push(`      ${shown.text(d)}`);
      if (f.alsoIn && f.alsoIn.length > 1) out.push(`      fields: ${f.alsoIn.map(shown.text).join(', ')}`);
    }
    out.push('');
  }
  return out;
}

/** "What to do": the remediation steps for each kind of place that had a finding. */
export function renderRemediation(findings: readonly Finding[], color: boolean): string[] {
  if (findings.length === 0) return [];
  const c = pc.createColors(color);
  const kinds = [...new Set(findings.map((f) => f.kind))] as OriginKind[];
  const out = [c.bold('What to do')];
  for (const kind of kinds) {
    if (kinds.length > 1) out.push(`  for ${kind} findings:`);
    remediationSteps(kind).forEach((step, i) => out.push(`  ${i + 1}. ${step}`));
  }
  out.push('');
  return out;
}

export function renderText(findings: readonly Finding[], summary: ScanSummary, opts: TextOptions, checks: readonly Check[] = []): string {
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  if (checks.length > 0) out.push(...renderChecks(checks, opts.color), '');
  out.push(...renderFindingBlocks(findings, opts));
  if (!opts.quiet) out.push(...renderRemediation(findings, opts.color));
  out.push(...renderProblems(summary, opts.color));
  if (summary.unusedBaseline.length > 0) {
    out.push(c.dim(`note: ${summary.unusedBaseline.length} baseline entr${summary.unusedBaseline.length === 1 ? 'y matches' : 'ies match'} nothing any more: ${summary.unusedBaseline.join(', ')} (run 'keyguard baseline' to refresh)`));
  }
  out.push(summaryLine(summary, opts.noun));
  return `${out.join('\n')}\n`;
}
