// JSON Lines (agent transcripts, prompt histories): one record per physical line. Only lines with
// a needle, or the trace of a key split inside a string (json-split.ts), are parsed; a line that is
// not valid JSON is still scanned as text and the file goes on.
// A line too long to hold (a tool output of hundreds of megabytes) is parsed as it streams.
import type { ScanContext } from '../../scan/context.js';
import type { Chunk, OriginKind } from '../../types.js';
import { mayContainKey } from '../../engine/prefilter.js';
import type { FileRef } from '../files/file-ref.js';
import { bytesOf } from './document.js';
import { rawChunk, stringChunks, type Place } from './emit.js';
import { hasJsonSplitTrace } from './json-split.js';
import { JsonScanner, type JsonValue, type PathSeg } from './json-scan.js';
import { DEFAULT_JSONL_LINE } from './limits.js';

export interface JsonlPlan {
  kind: OriginKind;
  /** how to name places in the record on `line` (its value has long strings cut short) */
  record(value: JsonValue | undefined, line: number): (path: PathSeg[]) => Place;
  /** the first record, read even without a hit (session metadata) */
  first?(value: JsonValue | undefined): void;
}

const FIRST_LINE_MAX = 1 << 20;

function countNewlines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

function parseFirst(bytes: Buffer): JsonValue | undefined {
  try {
    return JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as JsonValue;
  } catch {
    return undefined;
  }
}

export async function* readJsonl(file: FileRef, ctx: ScanContext, plan: JsonlPlan): AsyncGenerator<Chunk> {
  const needles = ctx.needles;
  const path = file.displayPath;
  const broken: number[] = [];
  let lineNo = 1;
  let total = 0;

  const mayHold = (bytes: Buffer) => mayContainKey(bytes, needles) || hasJsonSplitTrace(bytes);
  const limits = ctx.chatLimits;
  const maxLine = limits.jsonlLine ?? DEFAULT_JSONL_LINE;
  const scannerFor = (line: number, at: number) =>
    new JsonScanner({ needles, splitTraces: true, build: true, origin: { line, lineStart: at, units: 0, cursor: at }, limits });

  const results = function* (sc: JsonScanner, line: number): Generator<Chunk> {
    const got = sc.drain();
    const name = plan.record(sc.value(), line);
    for (const s of got.strings) yield* stringChunks(path, s, name(s.path), needles);
    for (const r of got.raw) yield rawChunk(path, r, plan.kind, `line ${line}, which is not valid JSON`);
    if (got.problems.length > 0) broken.push(line);
  };

  /** Complete lines (each ending in a newline, or the file's last line) starting at file offset `at`. */
  const lines = function* (block: Buffer, at: number): Generator<Chunk> {
    if (!mayHold(block) && !(lineNo === 1 && plan.first)) {
      lineNo += countNewlines(block);
      return;
    }
    let a = 0;
    while (a < block.length) {
      let b = block.indexOf(10, a);
      const end = b === -1 ? block.length : b;
      const line = block.subarray(a, end);
      if (lineNo === 1 && plan.first && line.length <= FIRST_LINE_MAX) plan.first(parseFirst(line));
      if (mayHold(line)) {
        const sc = scannerFor(lineNo, at + a);
        sc.write(line);
        sc.end();
        yield* results(sc, lineNo);
      }
      if (b === -1) b = block.length;
      else lineNo++;
      a = b + 1;
    }
  };

  let carry: Buffer[] = [];
  let carryBytes = 0;
  let lineStart = 0;
  let abs = 0;
  let long: JsonScanner | undefined;
  for await (const chunk of bytesOf(file)) {
    total += chunk.length;
    let i = 0;
    if (long) {
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        long.write(chunk);
        abs += chunk.length;
        continue;
      }
      long.write(chunk.subarray(0, nl));
      long.end();
      yield* results(long, lineNo);
      long = undefined;
      lineNo++;
      i = nl + 1;
      lineStart = abs + i;
    }
    const lastNl = chunk.lastIndexOf(10);
    if (lastNl < i) {
      const rest = chunk.subarray(i);
      carry.push(rest);
      carryBytes += rest.length;
      abs += chunk.length;
      if (carryBytes > maxLine) {
        long = scannerFor(lineNo, lineStart);
        for (const c of carry) long.write(c);
        carry = [];
        carryBytes = 0;
      }
      continue;
    }
    const head = chunk.subarray(i, lastNl + 1);
    const block = carry.length > 0 ? Buffer.concat([...carry, head]) : head;
    yield* lines(block, lineStart);
    const rest = chunk.subarray(lastNl + 1);
    carry = rest.length > 0 ? [rest] : [];
    carryBytes = rest.length;
    abs += chunk.length;
    lineStart = abs - rest.length;
  }
  if (long) {
    long.end();
    yield* results(long, lineNo);
  } else if (carryBytes > 0) {
    yield* lines(Buffer.concat(carry), lineStart);
  }
  ctx.countFile(total);
  if (broken.length > 0) {
    const shown = broken.slice(0, 10).join(', ') + (broken.length > 10 ? ', …' : '');
    const one = broken.length === 1;
    ctx.note(
      `${path}: ${one ? `line ${shown} is` : `${broken.length} lines (${shown}) are`} not valid JSON; keys after the error on ${one ? 'it' : 'them'} are reported by position only, the other lines were read normally`,
    );
  }
}
