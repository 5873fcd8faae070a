// `keyguard baseline`: record the current findings as known, by fingerprint.
import { join, resolve } from 'node:path';
import { writeAtomic } from '../fix/atomic-rewrite.js';
import { BASELINE_FILE, renderBaseline } from '../filters/baseline.js';
import { runScan } from '../scan/pipeline.js';
import { filesSource } from '../sources/files/source.js';
import type { Io } from './io.js';
import { parse } from './options.js';
import { ExitCode, exitCodeFor } from '../errors.js';
import { loadIgnore, newContext, rootOf } from './setup.js';
import { plural } from '../report/plural.js';

const HELP = `Usage: keyguard baseline [PATH...] [--output FILE]

Scan PATH (default .) and write every finding's fingerprint to .keyguard-baseline.json at the
repository root (or FILE). Later scans do not report those keys again, and report entries that no
longer match anything. The file holds fingerprints only, sorted, with no timestamps or line
numbers: safe to commit, and merges cleanly. A baselined key is still a leaked key: revoke it.
`;

export async function baselineCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(HELP);
    return ExitCode.clean;
  }
  const root = await rootOf(io);
  const ignore = await loadIgnore(root);
  const ctx = await newContext(io);
  const paths = positionals.length > 0 ? positionals : ['.'];
  const findings = await runScan(filesSource({ paths, cwd: io.cwd, env: io.env, ignoreRoot: root, ...(ignore ? { ignore } : {}) }), ctx);
  const target = values.output ? resolve(io.cwd, values.output) : join(root, BASELINE_FILE);
  const { shownText } = await import('../report/text.js');
  for (const e of ctx.errors) io.stderr(`error: ${shownText(e.path)}: ${shownText(e.message)}\n`);
  // A baseline from a partial scan would later hide nothing it missed but would replace a good
  // file with a shorter one: nothing is written unless everything was read.
  if (ctx.errors.length > 0) {
    io.stderr(`keyguard: ${target} was not written: ${plural(ctx.errors.length, 'place')} could not be read\n`);
  } else {
    // through a temporary file and a rename: a link planted under the baseline's name is replaced, not followed
    await writeAtomic(target, renderBaseline(findings));
    io.stderr(`keyguard: wrote ${plural(new Set(findings.map((f) => f.fingerprint)).size, 'fingerprint')} to ${target}\n`);
  }
  // the findings are recorded, not reported: only what could not be read changes the exit code
  return exitCodeFor({ findings: 0, errors: ctx.errors.length });
}
