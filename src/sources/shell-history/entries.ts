// The one reader loop every line-based history format shares. A format says, line by line, whether a
// physical line starts an entry, continues it or is not content (a timestamp, a header), and how to
// undo its escaping. The loop finds the prefilter's needles in the raw bytes first and builds text
// only for entries that hold one, so a 300,000-entry history costs one pass of byte comparisons.
// Keys are ASCII and no format escapes ASCII letters, digits, `-` or `_`, so a key is never split by
// a format's escape and its needle is always visible in the raw bytes (a key the user wrote escaped,
// `sess%2D…`, is a hit as well: needle-offsets.ts).
// A key split across lines (a `\` continuation, a wrapped paste) may have its marker cut: where the
// bytes hold the engine's split trace, an entry with an `sk-` in it is built too, and kept when its
// text holds the trace (joined.ts), so `detect` can join the pieces. Formats that escape line breaks
// hide the trace from the bytes: there any `sk-` is a lead, and the decoded text decides.
import { mayContainKey } from '../../engine/prefilter.js';
import { hasSplitTrace } from '../../engine/joined.js';
import { needleOffsets, needleSet, type NeedleSet } from '../needle-offsets.js';
import type { Chunk, OriginKind } from '../../types.js';
import type { ScanContext } from '../../scan/context.js';
import { WHOLE_FILE_LIMIT, windowsOf, type FileRef } from '../files/file-ref.js';
import { isoFromEpoch } from './time.js';

export const SKIP = 0;
export const NEW = 1;
export const MORE = 2;
export type Role = typeof SKIP | typeof NEW | typeof MORE;

/** What a parser may set for the line it was given. `from`/`to` start as the whole line (CR trimmed). */
export interface StepOut {
  from: number;
  to: number;
  /** epoch seconds: for a NEW line, the entry's time; for a SKIP line, the open entry's time */
  time: number | undefined;
}

export interface LineParser {
  /** `end` is the LF's offset (or the buffer's end); out.to excludes a trailing CR. */
  next(buf: Buffer, start: number, end: number, out: StepOut): Role;
}

/** Unescaped text, and for each text offset the offset in the raw segment (length text.length + 1). */
export interface Decoded {
  text: string;
  map?: Int32Array | number[];
}

export interface EntryFormat {
  name: string;
  kind: Extract<OriginKind, 'shell-history' | 'repl-history'>;
  parser(): LineParser;
  /** undo the format's escaping in one segment (raw latin1); default: none */
  decode?(raw: string): Decoded;
  /**
   * the format writes a line break inside an entry as an escape (fish `\n`, libedit `\012`, psql
   * 0x01, nushell `<\n>`): a split key's trace shows only in the decoded text, so any `sk-` is a lead
   */
  escapesBreaks?: boolean;
}

export interface ReadOptions {
  /** bytes per window for files too large to hold whole (tests make it small) */
  windowBytes?: number;
  /** an entry larger than this is cut rather than carried across windows */
  maxEntryBytes?: number;
}

interface Segment {
  line: number;
  lineStart: number;
  from: number;
  to: number;
}

interface OpenEntry {
  line: number;
  time: number | undefined;
  segs: Segment[];
}

/** UTF-8 characters between two byte offsets (continuation bytes do not count). */
function charsBetween(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = buf[i]!;
    if (b < 0x80 || b > 0xbf) n++;
  }
  return n;
}

function buildChunk(buf: Buffer, entry: OpenEntry, format: EntryFormat, path: string): Chunk {
  const parts: string[] = [];
  const placed: { textStart: number; textLen: number; seg: Segment; map: Decoded['map'] }[] = [];
  let len = 0;
  for (const seg of entry.segs) {
    if (parts.length > 0) {
      parts.push('\n');
      len++;
    }
    const raw = buf.toString('latin1', seg.from, seg.to);
    const d: Decoded = format.decode ? format.decode(raw) : { text: raw };
    placed.push({ textStart: len, textLen: d.text.length, seg, map: d.map });
    parts.push(d.text);
    len += d.text.length;
  }
  const locate = (offset: number): { line: number; column: number } => {
    let lo = 0;
    let hi = placed.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (placed[mid]!.textStart <= offset) lo = mid;
      else hi = mid - 1;
    }
    const p = placed[lo]!;
    const within = Math.min(Math.max(offset - p.textStart, 0), p.textLen);
    const raw = p.seg.from + (p.map ? p.map[within]! : within);
    return { line: p.seg.line, column: 1 + charsBetween(buf, p.seg.lineStart, raw) };
  };
  const details: Record<string, string | number> = {};
  if (entry.segs.length > 1 || entry.time !== undefined) details.entryLine = entry.line;
  const time = isoFromEpoch(entry.time);
  if (time) details.time = time;
  const chunk: Chunk = { text: parts.join(''), origin: { kind: format.kind, path, line: entry.line }, bytes: true, locate };
  if (Object.keys(details).length > 0) chunk.origin.details = details;
  return chunk;
}

const KEY_START = Buffer.from('sk-', 'latin1');

/** The bytes may hold a key split across lines: the trace, or for a format that escapes breaks, an `sk-`. */
function mayHoldSplitKey(buf: Buffer, format: EntryFormat): boolean {
  return format.escapesBreaks ? buf.includes(KEY_START) : hasSplitTrace(buf);
}

function offsetsOf(buf: Buffer, needle: Buffer): number[] {
  const out: number[] = [];
  for (let i = buf.indexOf(needle); i !== -1; i = buf.indexOf(needle, i + needle.length)) out.push(i);
  return out;
}

/** Walks lines window by window, keeping the open entry (and the parser's state) between windows. */
class Walker {
  entry: OpenEntry | undefined;
  private readonly out: StepOut = { from: 0, to: 0, time: undefined };
  private readonly parser: LineParser;
  private buf: Buffer = Buffer.alloc(0);
  private hits: number[] = [];
  private h = 0;
  /** `sk-` offsets, only in a buffer that holds a split trace: the entries worth building for one */
  private keyStarts: number[] = [];
  private k = 0;
  private readonly needles: NeedleSet;

  constructor(
    private readonly format: EntryFormat,
    private readonly path: string,
    needles: readonly string[],
  ) {
    this.parser = format.parser();
    this.needles = needleSet(needles);
  }

  /** Close the open entry; a chunk when it holds a needle, or a split key's trace. */
  close(): Chunk | undefined {
    const e = this.entry;
    this.entry = undefined;
    if (!e || e.segs.length === 0) return undefined;
    const start = e.segs[0]!.lineStart;
    const end = e.segs[e.segs.length - 1]!.to;
    const hits = this.hits;
    while (this.h < hits.length && hits[this.h]! < start) this.h++;
    if (this.h < hits.length && hits[this.h]! < end) return buildChunk(this.buf, e, this.format, this.path);
    const starts = this.keyStarts;
    while (this.k < starts.length && starts[this.k]! < start) this.k++;
    if (this.k >= starts.length || starts[this.k]! >= end) return undefined;
    const chunk = buildChunk(this.buf, e, this.format, this.path);
    return hasSplitTrace(chunk.text) ? chunk : undefined;
  }

  /** Walk `buf` from `pos` (a line start); returns the next line number. */
  *walk(buf: Buffer, pos: number, line: number): Generator<Chunk, number> {
    this.buf = buf;
    this.hits = needleOffsets(buf, this.needles).sort((a, b) => a - b);
    this.h = 0;
    this.keyStarts = mayHoldSplitKey(buf, this.format) ? offsetsOf(buf, KEY_START) : [];
    this.k = 0;
    const out = this.out;
    while (pos < buf.length) {
      let end = buf.indexOf(10, pos);
      if (end < 0) end = buf.length;
      out.from = pos;
      out.to = end > pos && buf[end - 1] === 13 ? end - 1 : end;
      out.time = undefined;
      const role = this.parser.next(buf, pos, end, out);
      if (role === SKIP) {
        if (out.time !== undefined && this.entry) this.entry.time = out.time;
      } else {
        if (role === NEW || !this.entry) {
          const c = this.close();
          if (c) yield c;
          this.entry = { line, time: out.time, segs: [] };
        }
        this.entry!.segs.push({ line, lineStart: pos, from: out.from, to: Math.max(out.from, out.to) });
      }
      pos = end + 1;
      line++;
    }
    return line;
  }
}

/** Read a line-based history file, whole when it fits, else in line-aligned windows. */
export async function* readEntries(file: FileRef, ctx: ScanContext, format: EntryFormat, opts: ReadOptions = {}): AsyncGenerator<Chunk> {
  const walker = new Walker(format, file.displayPath, ctx.needles);
  if (file.size <= (opts.windowBytes ?? WHOLE_FILE_LIMIT)) {
    const buf = await file.load();
    ctx.countFile(buf.length);
    if (!mayContainKey(buf, ctx.needles) && !(format.escapesBreaks && buf.includes(KEY_START))) return;
    yield* walker.walk(buf, 0, 1);
    const c = walker.close();
    if (c) yield c;
    return;
  }
  const windowBytes = opts.windowBytes ?? 16 * 1024 * 1024;
  const maxEntry = opts.maxEntryBytes ?? 8 * 1024 * 1024;
  let line = 1;
  let total = 0;
  // bytes from the open entry's first line on; the first `walked` of them have been walked already
  let carry: Buffer = Buffer.alloc(0);
  let walked = 0;
  for await (const { bytes, final } of windowsOf(file, windowBytes)) {
    total += bytes.length;
    const buf = carry.length > 0 ? Buffer.concat([carry, bytes]) : bytes;
    const nl = final ? -1 : buf.lastIndexOf(10);
    const cut = final ? buf.length : nl >= walked ? nl + 1 : walked;
    line = yield* walker.walk(buf.subarray(0, cut), walked, line);
    let keepFrom = cut;
    const open = walker.entry;
    if (final || !open || open.segs.length === 0 || cut - open.segs[0]!.lineStart > maxEntry) {
      const c = walker.close();
      if (c) yield c;
    } else {
      keepFrom = open.segs[0]!.lineStart;
      for (const s of open.segs) {
        s.lineStart -= keepFrom;
        s.from -= keepFrom;
        s.to -= keepFrom;
      }
    }
    carry = Buffer.from(buf.subarray(keepFrom));
    walked = cut - keepFrom;
  }
  ctx.countFile(total);
}
