// source → engine → filters: the one loop every command runs. The summary is not built here: later
// steps (exposure, verify, fix) still add problems and notes to the context, so the report builds it
// once, when it is written (src/scan/summary.ts).
import { detect } from '../engine/detect.js';
import { mayContainKey } from '../engine/prefilter.js';
import { filterStage, type FilterStage } from '../filters/stage.js';
import type { Chunk, Finding } from '../types.js';
import type { ScanContext } from './context.js';
import { toFinding } from './findings.js';
import { KEY_IN, isNameChunk, namesOf } from './names.js';
import type { Source } from './source.js';

export async function runScan(source: Source, ctx: ScanContext, filters: FilterStage = filterStage()): Promise<Finding[]> {
  const findings: Finding[] = [];
  const grouped = new Map<string, Finding>();
  const take = (chunk: Chunk): void => {
    for (const match of detect(chunk.text, { bytes: chunk.bytes === true, ownKeys: ctx.ownKeys })) {
      const finding = toFinding(chunk, match);
      const why = filters.suppress(finding, match.allowed);
      if (why) {
        ctx.suppressed[why]++;
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
  };
  // keys in names (src/scan/names.ts): each distinct name that may hold one is scanned once
  const namesSeen = new Set<string>();
  const takeName = (chunk: Chunk): void => {
    const seen = `${String(chunk.origin.details?.[KEY_IN])}\0${chunk.text}`;
    if (namesSeen.has(seen)) return;
    namesSeen.add(seen);
    take(chunk);
  };
  try {
    for await (const chunk of source(ctx)) {
      if (isNameChunk(chunk)) {
        takeName(chunk);
        continue;
      }
      for (const name of namesOf(chunk.origin, ctx.needles)) takeName(name);
      if (!mayContainKey(chunk.text, ctx.needles)) continue;
      take(chunk);
    }
  } finally {
    ctx.progress?.done();
    ctx.unusedBaseline = filters.unusedBaseline();
  }
  return findings;
}
