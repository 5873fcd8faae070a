// A whole run for tests that check a source on its own: the scan loop, then the summary a report
// would be given; and a large text file read in windows of a test's size.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { detect } from '../../src/engine/detect.js';
import { runScan } from '../../src/scan/pipeline.js';
import { ScanContext } from '../../src/scan/context.js';
import type { Source } from '../../src/scan/source.js';
import { summaryOf } from '../../src/scan/summary.js';
import type { FileRef } from '../../src/sources/files/file-ref.js';
import { TEXT_LIMITS, readText } from '../../src/sources/files/text-reader.js';
import type { Chunk, Finding, Match, ScanSummary } from '../../src/types.js';

export async function scanned(source: Source, ctx: ScanContext = new ScanContext()): Promise<{ findings: Finding[]; summary: ScanSummary }> {
  const findings = await runScan(source, ctx);
  return { findings, summary: summaryOf(ctx, findings.length) };
}

/** How a large text file is read in a test: window sizes, and whether it is read as a file on disk (by its path) or streamed. */
export interface TextRead {
  limits: Partial<typeof TEXT_LIMITS>;
  /** read by path, as a file on disk is (default: streamed in pieces of `piece` bytes) */
  onDisk?: boolean;
  piece?: number;
}

/**
 * The matches detection finds in `file` read by the text reader in windows, each with its chunk, and
 * the bytes of text the reader handed to detection; TEXT_LIMITS restored after.
 */
export async function textMatches(file: string, how: TextRead): Promise<{ found: { chunk: Chunk; match: Match }[]; textBytes: number }> {
  const saved = { ...TEXT_LIMITS };
  Object.assign(TEXT_LIMITS, how.limits);
  try {
    const ref: FileRef = {
      displayPath: basename(file),
      size: statSync(file).size,
      load: async () => readFileSync(file),
      stream: () => createReadStream(file, { highWaterMark: how.piece ?? 1024 }),
      ...(how.onDisk ? { absPath: file } : {}),
    };
    const found: { chunk: Chunk; match: Match }[] = [];
    let textBytes = 0;
    for await (const chunk of readText(ref, new ScanContext())) {
      textBytes += chunk.text.length;
      for (const match of detect(chunk.text, { bytes: true })) found.push({ chunk, match });
    }
    return { found, textBytes };
  } finally {
    Object.assign(TEXT_LIMITS, saved);
  }
}
