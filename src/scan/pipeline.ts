// source → engine → filters: the one loop every command runs.
import { detect } from '../engine/detect.js';
import { mayContainKey } from '../engine/prefilter.js';
import type { Baseline } from '../filters/baseline.js';
import type { PathFilter } from '../filters/ignore-paths.js';
import type { Finding, ScanSummary } from '../types.js';
import type { ScanContext } from './context.js';
import { toFinding } from './findings.js';
import type { Source } from './source.js';

export interface Filters {
  ignore?: PathFilter;
  baseline?: Baseline;
}

export interface ScanResult {
  findings: Finding[];
  summary: ScanSummary;
}

export async function runScan(source: Source, ctx: ScanContext, filters: Filters = {}): Promise<ScanResult> {
  const findings: Finding[] = [];
  const grouped = new Map<string, Finding>();
  const suppressed = { allow: 0, ignored: 0, baseline: 0 };
  try {
    for await (const chunk of source(ctx)) {
      if (!mayContainKey(chunk.text, ctx.needles)) continue;
      for (const match of detect(chunk.text, { bytes: chunk.bytes === true, ownKeys: ctx.ownKeys })) {
        if (match.allowed) {
          suppressed.allow++;
          continue;
        }
        const finding = toFinding(chunk, match);
        if (filters.ignore?.ignores(finding.location.path)) {
          suppressed.ignored++;
          continue;
        }
        if (filters.baseline?.has(finding.fingerprint)) {
          suppressed.baseline++;
          continue;
        }
        const group = chunk.origin.group;
        if (group !== undefined) {
          const key = `${group}\0${finding.fingerprint}`;
          const first = grouped.get(key);
          if (first) {
            if (chunk.origin.field && !first.alsoIn?.includes(chunk.origin.field)) (first.alsoIn ??= []).push(chunk.origin.field);
            continue;
          }
          grouped.set(key, finding);
        }
        findings.push(finding);
        if (ctx.progress) ctx.progress.findings++;
      }
    }
  } finally {
    ctx.progress?.done();
  }
  const summary: ScanSummary = {
    files: ctx.files,
    bytes: ctx.bytes,
    skipped: { ...ctx.skipped },
    errors: [...ctx.errors],
    findings: findings.length,
    suppressed,
    unusedBaseline: filters.baseline?.unused() ?? [],
    notes: [...ctx.notes],
    durationMs: Date.now() - ctx.startedAt,
  };
  if (ctx.commits > 0) summary.commits = ctx.commits;
  return { findings, summary };
}
