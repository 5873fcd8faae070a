// A whole run for tests that check a source on its own: the scan loop, then the summary a report
// would be given.
import { runScan } from '../../src/scan/pipeline.js';
import { ScanContext } from '../../src/scan/context.js';
import type { Source } from '../../src/scan/source.js';
import { summaryOf } from '../../src/scan/summary.js';
import type { Finding, ScanSummary } from '../../src/types.js';

export async function scanned(source: Source, ctx: ScanContext = new ScanContext()): Promise<{ findings: Finding[]; summary: ScanSummary }> {
  const findings = await runScan(source, ctx);
  return { findings, summary: summaryOf(ctx, findings.length) };
}
