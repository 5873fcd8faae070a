// One JSON file (or chat.html) through the scanner, whatever its size: small files are checked
// with the prefilter first and parsed only when they hold a hit; large files on disk get a fast
// needle-only pass first; zip members stream once. A reader supplies the plan: which values are
// units and how to name a place inside one. The file-level look also asks for the trace of a key split
// inside a JSON string (json-split.ts), which the prefilter cannot see behind JSON's escapes.
import type { ScanContext } from '../../scan/context.js';
import type { Chunk, OriginKind } from '../../types.js';
import { mayContainKey } from '../../engine/prefilter.js';
import { WHOLE_FILE_LIMIT, type FileRef } from '../files/file-ref.js';
import { rawChunk, stringChunks, type Place } from './emit.js';
import { hasJsonSplitTrace, TRACE_SPAN } from './json-split.js';
import { JsonScanner, type JsonScanOptions, type JsonValue, type PathSeg, type ScanProblem, type UnitHit } from './json-scan.js';

export interface DocumentPlan {
  kind: OriginKind;
  scan: Omit<JsonScanOptions, 'needles' | 'origin' | 'pathPrefix' | 'limits'>;
  /** how to name places in a unit (a conversation, a message) that holds a hit; rel is the path inside it */
  unit?(unit: UnitHit, root: JsonValue | undefined): (rel: PathSeg[]) => Place;
  /** how to name a string outside any unit */
  outside(path: PathSeg[], root: JsonValue | undefined): Place;
  /** what a hit the parser could not place is called */
  rawWhere: string;
}

/** The bytes of a file: whole when small (read-any has loaded it already), else streamed. */
export async function* bytesOf(file: FileRef): AsyncGenerator<Buffer> {
  if (file.size <= WHOLE_FILE_LIMIT) {
    yield await file.load();
    return;
  }
  // (a file on disk streams a megabyte a read: file-ref.ts)
  const stream = file.stream();
  try {
    for await (const b of stream) yield b as Buffer;
  } finally {
    stream.destroy();
  }
}

/** A fast look for any needle over a file on disk, before parsing it: most large files hold none. */
async function anyNeedle(file: FileRef, needles: readonly string[]): Promise<{ found: boolean; bytes: number }> {
  const keep = Math.max(TRACE_SPAN, ...needles.map((n) => n.length)) - 1;
  let tail = Buffer.alloc(0);
  let bytes = 0;
  for await (const b of bytesOf(file)) {
    bytes += b.length;
    const buf = tail.length > 0 ? Buffer.concat([tail, b]) : b;
    if (mayContainKey(buf, needles) || hasJsonSplitTrace(buf, true)) return { found: true, bytes };
    tail = Buffer.from(buf.subarray(Math.max(0, buf.length - keep)));
  }
  return { found: false, bytes };
}

export function problemNote(path: string, p: ScanProblem): string {
  return `${path} line ${p.line}, column ${p.column}: ${p.message}; keys after this point are reported by position only`;
}

export async function* readJsonDocument(file: FileRef, ctx: ScanContext, plan: DocumentPlan): AsyncGenerator<Chunk> {
  const needles = ctx.needles;
  // scanned only past the file-level look, which lets a split key's trace through
  const scanner = new JsonScanner({ ...plan.scan, needles, splitTraces: true, limits: ctx.chatLimits });
  const path = file.displayPath;
  const problems: ScanProblem[] = [];

  const take = function* (): Generator<Chunk> {
    const got = scanner.drain();
    for (const u of got.units) {
      const name = plan.unit ? plan.unit(u, scanner.value()) : undefined;
      for (const s of u.strings) {
        const place = name ? name(s.path.slice(u.path.length)) : plan.outside(s.path, scanner.value());
        yield* stringChunks(path, s, place, needles);
      }
      for (const r of u.raw) yield rawChunk(path, r, plan.kind, plan.rawWhere);
      for (const p of u.problems) ctx.note(problemNote(path, p));
    }
    for (const s of got.strings) yield* stringChunks(path, s, plan.outside(s.path, scanner.value()), needles);
    for (const r of got.raw) yield rawChunk(path, r, plan.kind, plan.rawWhere);
    problems.push(...got.problems);
  };
  const noteProblems = () => {
    // a file without keys is not worth a warning about its syntax
    if (scanner.hitCount > 0) for (const p of problems) ctx.note(problemNote(path, p));
  };

  if (file.size <= WHOLE_FILE_LIMIT) {
    const buf = await file.load();
    ctx.countFile(buf.length);
    if (!mayContainKey(buf, needles) && !hasJsonSplitTrace(buf)) return;
    scanner.write(buf);
    scanner.end();
    yield* take();
    noteProblems();
    return;
  }
  if (file.absPath) {
    const first = await anyNeedle(file, needles);
    if (!first.found) {
      ctx.countFile(first.bytes);
      return;
    }
  }
  let total = 0;
  for await (const b of bytesOf(file)) {
    total += b.length;
    scanner.write(b);
    yield* take();
  }
  scanner.end();
  yield* take();
  noteProblems();
  ctx.countFile(total);
}
