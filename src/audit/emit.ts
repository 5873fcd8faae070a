// Writing the audit report: JSON and SARIF as for `scan` (findings in section order, checks listed);
// text grouped by kind of place. Exit codes as for `scan`, checks that are not advice counting as findings.
import type { Io } from '../commands/io.js';
import type { OutputOptions } from '../commands/options.js';
import { emit } from '../commands/setup.js';
import { homeOf } from '../discover/home.js';
import type { ScanContext } from '../scan/context.js';
import type { Finding, ScanSummary } from '../types.js';
import type { AuditSection } from './places.js';
import { renderAuditText, type AuditTextOptions } from './render-text.js';

export async function emitAudit(
  io: Io,
  ctx: ScanContext,
  sections: readonly AuditSection[],
  out: OutputOptions,
  json?: Record<string, unknown>,
  fix?: AuditTextOptions['fix'],
): Promise<number> {
  const checks = sections.flatMap((s) => s.checks);
  const findings: Finding[] = sections.flatMap((s) => s.findings);
  const home = homeOf(io.env, io.platform);
  const opts = { color: out.color, showSecrets: out.showSecrets, quiet: out.quiet, ...(home ? { home } : {}), ...(fix ? { fix } : {}) };
  const text = (summary: ScanSummary): string => renderAuditText(sections, summary, opts);
  return emit(io, ctx, findings, out, { noun: 'files', checks, text, ...(json ? { json } : {}) });
}
