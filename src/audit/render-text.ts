// The audit for people: one block per kind of place (profiles, shell histories, REPL histories …),
// each with what was checked, its problems and its findings; then what to do, and the summary.
import pc from 'picocolors';
import { nameView } from '../report/names.js';
import { renderChecks, renderFindingBlocks, renderProblems, renderRemediation, summaryLine } from '../report/text.js';
import type { ScanSummary } from '../types.js';
import type { AuditSection } from './places.js';

export interface AuditTextOptions {
  color: boolean;
  showSecrets: boolean;
  quiet: boolean;
  home?: string;
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

export function renderAuditText(sections: readonly AuditSection[], summary: ScanSummary, opts: AuditTextOptions): string {
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  for (const s of sections) {
    if (s.text !== undefined) {
      out.push(c.bold(s.title), ...s.text.trimEnd().split('\n').map((l) => (l === '' ? l : `  ${l}`)), '');
      continue;
    }
    if (s.places.length === 0 && s.findings.length === 0 && s.checks.length === 0) continue;
    const n = s.findings.length;
    const state = n > 0 ? c.red(`${n} finding${n === 1 ? '' : 's'}`) : c.green('no keys found');
    out.push(`${c.bold(s.title)}  ${state}`);
    if (s.places.length > 0 && !opts.quiet) out.push(c.dim(placesLine(s, opts)));
    if (s.checks.length > 0) out.push(...renderChecks(s.checks, opts.color));
    const blocks = findingBlocks(s, opts);
    if (blocks.length > 0) out.push('', ...blocks);
    else out.push('');
  }
  if (!opts.quiet) out.push(...renderRemediation(sections.flatMap((s) => s.findings), opts.color));
  out.push(...renderProblems(summary, opts.color));
  out.push(summaryLine(summary, 'files'));
  return `${out.join('\n')}\n`;
}
