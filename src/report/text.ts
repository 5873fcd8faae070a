// For people: grouped by file, colours only when asked for (a TTY), the key always redacted unless --show-secrets.
import pc from 'picocolors';
import type { Check, Finding, OriginKind, ScanSummary } from '../types.js';
import { detailsOf, placeOf } from './format-location.js';
import { nameView } from './names.js';
import { countOf, plural, skipReason } from './plural.js';
import { printable } from './printable.js';
import { remediationSteps, type AdviceContext } from './remediation.js';

export interface TextOptions {
  color: boolean;
  showSecrets: boolean;
  quiet?: boolean;
  /** what the run looked at, for the summary ("files", "staged files", "history entries") */
  noun?: string;
  /** what the advice may assume about the place (a remote exists, --fix already ran) */
  advice?: AdviceContext;
}

/** What the summary line can say beyond the counters: distinct keys, checks that set the exit code. */
export interface SummaryExtras {
  findings?: readonly Finding[];
  checks?: readonly Check[];
}

/** How many different keys (by fingerprint) the findings are. */
export function distinctKeys(findings: readonly Finding[]): number {
  return new Set(findings.map((f) => f.fingerprint)).size;
}

function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

export function summaryLine(s: ScanSummary, noun = 'files', extra: SummaryExtras = {}): string {
  const commits = s.commits ? ` in ${plural(s.commits, 'commit')}` : '';
  const parts = [`scanned ${countOf(s.files, noun)}${commits}, ${bytesText(s.bytes)} in ${(s.durationMs / 1000).toFixed(2)}s`];
  const skipped = Object.entries(s.skipped);
  if (skipped.length > 0) parts.push(`skipped ${skipped.map(([why, n]) => `${n} ${printable(skipReason(why, n))}`).join(', ')}`);
  if (s.errors.length > 0) parts.push(`${s.errors.length} could not be read`);
  const sup = s.suppressed.allow + s.suppressed.ignored + s.suppressed.baseline;
  if (sup > 0)
    parts.push(`${sup} suppressed (${s.suppressed.allow} keyguard:allow, ${s.suppressed.ignored} .keyguardignore, ${s.suppressed.baseline} baseline)`);
  const keys = extra.findings ? distinctKeys(extra.findings) : s.findings;
  parts.push(`${plural(s.findings, 'finding')}${keys !== s.findings ? ` of ${plural(keys, 'distinct key')}` : ''}`);
  // checks that are not advice set the exit code like findings: say so when no finding explains a 1
  const problems = (extra.checks ?? []).filter((c) => c.severity !== 'info');
  if (problems.length > 0) {
    const errors = problems.filter((c) => c.severity === 'error').length;
    const warnings = problems.length - errors;
    const what = [errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : ''].filter((x) => x !== '').join(' and ');
    parts.push(`${what} reported above${s.findings === 0 ? ' (why the exit code is 1)' : ''}`);
  }
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

/** How a key that was not written plainly was found. */
function decodedNote(f: Finding): string {
  if (f.decoded === 'joined') {
    const lines = f.joinedLines ?? 1;
    return lines > 1
      ? `joined from ${lines} lines: the key was split (wrapped or concatenated); every piece is part of it`
      : 'joined from pieces on one line (concatenated)';
  }
  return `found inside ${f.decoded === 'html' ? 'an' : 'a'} ${f.decoded}-encoded value`;
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
      if (f.decoded) out.push(`      ${decodedNote(f)}`);
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

/** The keys to revoke, each once: redacted, with its fingerprint (a key found in 10 places is one key). */
export function renderKeyList(findings: readonly Finding[], color: boolean): string[] {
  const c = pc.createColors(color);
  const byKey = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byKey.get(f.fingerprint);
    if (list) list.push(f);
    else byKey.set(f.fingerprint, [f]);
  }
  // every key found once: the finding blocks above are already that list
  if (byKey.size === findings.length) return [];
  const lines = [`  ${byKey.size === 1 ? 'The one key' : `These ${byKey.size} keys`} (${plural(findings.length, 'finding')}):`];
  for (const [fp, list] of byKey) lines.push(`    ${c.yellow(list[0]!.redacted)}  fingerprint ${fp}  (${plural(list.length, 'place')})`);
  return lines;
}

/** "What to do": the remediation steps for each kind of place that had a finding. */
export function renderRemediation(findings: readonly Finding[], color: boolean, advice: AdviceContext = {}): string[] {
  if (findings.length === 0) return [];
  const c = pc.createColors(color);
  const kinds = [...new Set(findings.map((f) => f.kind))] as OriginKind[];
  const out = [c.bold('What to do'), ...renderKeyList(findings, color)];
  for (const kind of kinds) {
    if (kinds.length > 1) out.push(`  for ${kind} findings:`);
    const keys = distinctKeys(findings.filter((f) => f.kind === kind));
    remediationSteps(kind, { ...advice, keys }).forEach((step, i) => out.push(`  ${i + 1}. ${step}`));
  }
  out.push('');
  return out;
}

export function renderText(findings: readonly Finding[], summary: ScanSummary, opts: TextOptions, checks: readonly Check[] = []): string {
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  if (checks.length > 0) out.push(...renderChecks(checks, opts.color), '');
  out.push(...renderFindingBlocks(findings, opts));
  if (!opts.quiet) out.push(...renderRemediation(findings, opts.color, opts.advice));
  out.push(...renderProblems(summary, opts.color));
  if (summary.unusedBaseline.length > 0) {
    out.push(
      c.dim(
        `note: ${summary.unusedBaseline.length} baseline entr${summary.unusedBaseline.length === 1 ? 'y matches' : 'ies match'} nothing any more: ${summary.unusedBaseline.join(', ')} (run 'keyguard baseline' to refresh)`,
      ),
    );
  }
  out.push(summaryLine(summary, opts.noun, { findings, checks }));
  return `${out.join('\n')}\n`;
}
