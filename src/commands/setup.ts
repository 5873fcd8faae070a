// What every scanning command sets up the same way: the root, ignore file, baseline, own keys, output.
import { readSmallFile } from '../small-file.js';
import { join, resolve } from 'node:path';
import { OwnKeyIndex } from '../engine/own-keys.js';
import { UsageError, errorMessage } from '../errors.js';
import { BASELINE_FILE, Baseline, parseBaseline } from '../filters/baseline.js';
import type { PathFilter } from '../filters/ignore-paths.js';
import { collectOwnKeys } from '../discover/own-keys.js';
import { writeAtomic } from '../fix/atomic-rewrite.js';
import { render } from '../report/index.js';
import { ScanContext } from '../scan/context.js';
import { progressFor } from '../scan/progress.js';
import { summaryOf } from '../scan/summary.js';
import { gitBytes } from '../git/process.js';
import { certainlyOutsideGit } from '../git/outside.js';
import { exitCodeFor } from '../errors.js';
import type { Check, Finding, ScanSummary } from '../types.js';
import type { Io } from './io.js';
import type { OutputOptions } from './options.js';

export const IGNORE_FILE = '.keyguardignore';

/** A settings file of the user's (.keyguardignore, the baseline), or undefined when there is none (small-file.ts). */
function readOptional(path: string): string | undefined {
  const f = readSmallFile(path);
  if (f.state === 'absent') return undefined;
  if (f.state === 'read') return f.bytes.toString('utf8');
  throw new UsageError(`cannot read ${path}: ${f.state === 'unreadable' ? f.error : 'not a regular file'}`);
}

export async function rootOf(io: Io): Promise<string> {
  if (certainlyOutsideGit(io.cwd, io.env)) return io.cwd;
  // every pre-commit hook runs this: one git process, with the hook's GIT_* variables passed through
  try {
    const top = (await gitBytes(io.cwd, io.env, ['rev-parse', '--show-toplevel'])).toString('utf8').trim();
    return top || io.cwd;
  } catch {
    return io.cwd;
  }
}

export async function loadIgnore(root: string, file?: string): Promise<PathFilter | undefined> {
  const text = readOptional(file ? resolve(file) : join(root, IGNORE_FILE));
  if (text === undefined) {
    if (file) throw new UsageError(`ignore file ${file} does not exist`);
    return undefined;
  }
  // the glob compiler is loaded only when there is an ignore file
  const { parseIgnoreFile, pathFilter } = await import('../filters/ignore-paths.js');
  return pathFilter(parseIgnoreFile(text));
}

export async function loadBaseline(root: string, file?: string): Promise<Baseline | undefined> {
  const path = file ? resolve(file) : join(root, BASELINE_FILE);
  const text = readOptional(path);
  if (text === undefined) {
    if (file) throw new UsageError(`baseline ${file} does not exist`);
    return undefined;
  }
  try {
    return new Baseline(parseBaseline(text));
  } catch (err) {
    throw new UsageError(`baseline ${path} is not valid: ${errorMessage(err)}`);
  }
}

export async function newContext(io: Io): Promise<ScanContext> {
  const own = await collectOwnKeys(io.env, io.cwd, io.platform);
  return new ScanContext(own.length > 0 ? new OwnKeyIndex(own) : undefined, progressFor(io.stderrIsTTY, io.env, io.stderr));
}

/**
 * Write a report for --output: private (0600) and through a temporary file and a rename, so a
 * symbolic link a scanned repository planted under that name (results.sarif → ~/.bashrc) is
 * replaced, never written through.
 */
export async function writeReport(io: Io, path: string, text: string): Promise<void> {
  try {
    await writeAtomic(resolve(io.cwd, path), text, 0o600);
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${errorMessage(err)}`);
  }
}

export interface EmitExtras {
  /** what the run looked at, for the summary line ("files", "staged files") */
  noun?: string;
  /** non-key problems, reported and counted like findings (info checks do not change the exit code) */
  checks?: readonly Check[];
  /** the text report when the command renders its own (audit groups by kind of place) */
  text?: (summary: ScanSummary) => string;
  /** more top-level fields for the JSON report (e.g. `codex`) */
  json?: Record<string, unknown>;
}

/** Build the summary (every step has reported into `ctx` by now), render, write to --output or stdout, and return the exit code. */
export async function emit(io: Io, ctx: ScanContext, findings: readonly Finding[], out: OutputOptions, extras: EmitExtras = {}): Promise<number> {
  const { noun, checks = [] } = extras;
  const summary = summaryOf(ctx, findings.length);
  const opts = {
    format: out.format,
    showSecrets: out.showSecrets,
    color: out.color,
    quiet: out.quiet,
    ...(noun ? { noun } : {}),
    ...(extras.json ? { json: extras.json } : {}),
  };
  const text = out.format === 'text' && extras.text !== undefined ? extras.text(summary) : await render(findings, summary, opts, checks);
  if (out.output) {
    await writeReport(io, out.output, text);
    const { shownText, summaryLine } = await import('../report/text.js');
    io.stderr(`${summaryLine(summary, noun)} (report written to ${shownText(out.output)})\n`);
  }
  const problems = checks.filter((c) => c.severity !== 'info').length;
  const quietClean = out.quiet && out.format === 'text' && findings.length === 0 && problems === 0 && summary.errors.length === 0;
  if (!out.output && !quietClean) io.stdout(text);
  return exitCodeFor({ findings: findings.length + problems, errors: summary.errors.length });
}
