// `keyguard baseline`: record the current findings as known, by fingerprint.
import { join, resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { BASELINE_FILE, renderBaseline } from '../filters/baseline.js';
import { runScan } from '../scan/pipeline.js';
import { filesSource } from '../sources/files/source.js';
import type { Io } from './io.js';
import { parse } from './options.js';
import { loadIgnore, newContext, rootOf } from './setup.js';

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
    return 0;
  }
  const root = await rootOf(io);
  const ignore = await loadIgnore(root);
  const ctx = await newContext(io);
  const paths = positionals.length > 0 ? positionals : ['.'];
  const { findings, summary } = await runScan(filesSource({ paths, cwd: io.cwd, ignoreRoot: root, ...(ignore ? { ignore } : {}) }), ctx);
  const target = values.output ? resolve(io.cwd, values.output) : join(root, BASELINE_FILE);
  await writeFile(target, renderBaseline(findings));
  io.stderr(`keyguard: wrote ${new Set(findings.map((f) => f.fingerprint)).size} fingerprints to ${target}\n`);
  for (const e of summary.errors) io.stderr(`error: ${e.path}: ${e.message}\n`);
  return summary.errors.length > 0 ? 2 : 0;
}
