// Writing the audit report: JSON and SARIF as for `scan` (findings in section order, checks listed);
// text grouped by kind of place. Exit codes as for `scan`, checks that are not advice counting as findings.
import { writeFile } from 'node:fs/promises';
import type { Io } from '../commands/io.js';
import type { OutputOptions } from '../commands/options.js';
import { emit } from '../commands/setup.js';
import { UsageError, errorMessage, exitCodeFor } from '../errors.js';
import { summaryLine } from '../report/text.js';
import { homeOf } from '../profiles/discover.js';
import type { ScanResult } from '../scan/pipeline.js';
import type { AuditSection } from './places.js';
import { renderAuditText } from './render-text.js';

export async function emitAudit(io: Io, result: ScanResult, sections: readonly AuditSection[], out: OutputOptions): Promise<number> {
  const checks = sections.flatMap((s) => s.checks);
  if (out.format !== 'text') return emit(io, result, out, 'files', checks);
  const home = homeOf(io.env);
  const text = renderAuditText(sections, result.summary, { color: out.color, showSecrets: out.showSecrets, quiet: out.quiet, ...(home ? { home } : {}) });
  const problems = checks.filter((c) => c.severity !== 'info').length;
  if (out.output) {
    try {
      await writeFile(out.output, text, { mode: 0o600 });
    } catch (err) {
      throw new UsageError(`cannot write ${out.output}: ${errorMessage(err)}`);
    }
    io.stderr(`${summaryLine(result.summary, 'files')} (report written to ${out.output})\n`);
  } else if (!(out.quiet && result.findings.length === 0 && problems === 0 && result.summary.errors.length === 0)) {
    io.stdout(text);
  }
  return exitCodeFor({ findings: result.findings.length + problems, errors: result.summary.errors.length });
}
