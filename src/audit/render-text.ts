// The audit for people: one block per kind of place (profiles, shell histories, REPL histories …),
// each with what was checked, its problems and its findings; then what to do, and the summary.
import pc from 'picocolors';
import { nameView } from '../report/names.js';
import { plural } from '../report/plural.js';
import { renderChecks, renderFindingBlocks, renderProblems, renderRemediation, summaryLine } from '../report/text.js';
import type { ScanSummary } from '../types.js';
import type { AuditSection } from './places.js';

export interface AuditTextOptions {
  color: boolean;
  showSecrets: boolean;
  quiet: boolean;
  home?: string;
  /** --fix ran: 'dry-run' shows the plan only (printed by the redactors), 'done' keeps --fix out of the advice */
  fix?: 'dry-run' | 'done';
}

/** The per-file finding blocks of the scan report, indented under the section title. */
function findingBlocks(section: AuditSection, opts: AuditTextOptions): string[] {
  return renderFindingBlocks(section.findings, opts).map((l) => (l === '' ? l : `  ${l}`));
}

function tilde(path: string, home: string | undefined): string {
  return home && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

function placesLine(section: AuditSection, opts: AuditTextOptions): string {
  const view = nameView(opts.showSecrets);
  const shown = section.places.slice(0, 8).map((p) => view.text(tilde(p, opts.home)));
  const more = section.places.length > 8 ? ` and ${section.places.length - 8} more` : '';
  return `  checked ${section.places.length}: ${shown.join(', ')}${more}`;
}

/** `audit --fix --dry-run`: the plan (already printed above it) is the report; then what was not read, and the summary. */
function renderPlanOnly(sections: readonly AuditSection[], summary: ScanSummary, opts: AuditTextOptions): string {
  const findings = sections.flatMap((s) => s.findings);
  const checks = sections.flatMap((s) => s.checks);
  const files = new Set(findings.map((f) => f.location.path.split('!')[0])).size;
  const out = [
    findings.length === 0
      ? 'keyguard: dry run: no keys found, nothing to redact'
      : `keyguard: dry run: the plan above covers ${plural(findings.length, 'finding')} in ${plural(files, 'file')}; nothing was changed. ` +
        "Run 'keyguard audit --fix' to apply it.",
    // the problems that set the exit code are still shown; advice (info) is left for the full report
    ...renderChecks(
      checks.filter((ch) => ch.severity !== 'info'),
      opts.color,
    ),
    ...renderProblems(summary, opts.color),
    summaryLine(summary, 'files', { findings, checks }),
  ];
  return `${out.join('\n')}\n`;
}

export function renderAuditText(sections: readonly AuditSection[], summary: ScanSummary, opts: AuditTextOptions): string {
  if (opts.fix === 'dry-run') return renderPlanOnly(sections, summary, opts);
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  for (const s of sections) {
    if (s.text !== undefined) {
      out.push(
        c.bold(s.title),
        ...s.text
          .trimEnd()
          .split('\n')
          .map((l) => (l === '' ? l : `  ${l}`)),
        '',
      );
      continue;
    }
    if (s.places.length === 0 && s.findings.length === 0 && s.checks.length === 0) continue;
    const n = s.findings.length;
    const state = n > 0 ? c.red(plural(n, 'finding')) : c.green('no keys found');
    out.push(`${c.bold(s.title)}  ${state}`);
    if (s.places.length > 0 && !opts.quiet) out.push(c.dim(placesLine(s, opts)));
    if (s.checks.length > 0) out.push(...renderChecks(s.checks, opts.color));
    const blocks = findingBlocks(s, opts);
    if (blocks.length > 0) out.push('', ...blocks);
    else out.push('');
  }
  const findings = sections.flatMap((s) => s.findings);
  if (!opts.quiet) out.push(...renderRemediation(findings, opts.color, { fixed: opts.fix === 'done' }));
  out.push(...renderProblems(summary, opts.color));
  out.push(summaryLine(summary, 'files', { findings, checks: sections.flatMap((s) => s.checks) }));
  return `${out.join('\n')}\n`;
}
