// The run's summary, built once, when the report is written: every step before (the scan, exposure,
// verify, fix, the audit's checks) has reported into the context by then.
import type { ScanSummary } from '../types.js';
import type { ScanContext } from './context.js';

export function summaryOf(ctx: ScanContext, findings: number): ScanSummary {
  const summary: ScanSummary = {
    files: ctx.files,
    bytes: ctx.bytes,
    skipped: { ...ctx.skipped },
    errors: [...ctx.errors],
    findings,
    suppressed: { ...ctx.suppressed },
    unusedBaseline: [...ctx.unusedBaseline],
    notes: [...ctx.notes],
    durationMs: Date.now() - ctx.startedAt,
  };
  if (ctx.commits > 0) summary.commits = ctx.commits;
  return summary;
}
