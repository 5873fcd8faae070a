// A push parser for `git diff-index -z --patch-with-raw -U0`: first the NUL-separated raw records
// (the authoritative list of changed paths, modes and blob ids), then the patch, whose sections are
// matched to raw entries by their exact `diff --git` header. Hunk bodies are consumed by the counts
// in their `@@` headers, so an added line that looks like a header is never mistaken for one.
import { quotePath } from '../../git/quote.js';

export interface RawEntry {
  srcMode: string;
  dstMode: string;
  srcSha: string;
  dstSha: string;
  /** A, M, D, R, C, T, U or X */
  status: string;
  srcPath: Buffer;
  dstPath: Buffer;
  /** the staged path for people (UTF-8) */
  path: string;
  /** the staged path as a lossless map key (latin1 of the bytes) */
  key: string;
  /** patch sections seen for this entry (a type change has two) */
  sections: number;
  /** git printed "Binary files … differ" */
  binary: boolean;
  hunks: number;
}

export interface PatchHandler {
  /** the raw list is complete; called once, before any patch section */
  entries(list: RawEntry[]): void;
  /** a hunk header: `newStart`/`newCount` in the staged version */
  hunk(entry: RawEntry, newStart: number, newCount: number): void;
  /** one added line (without its `+` and newline), as latin1 bytes, at `line` of the staged version */
  added(entry: RawEntry, line: number, text: string): void;
  /** the end of one entry's section */
  sectionEnd(entry: RawEntry): void;
  /** output that could not be matched to what git listed: fail closed */
  unexpected(message: string): void;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;
const NUL = 0;
const LF = 10;

function parseRawHeader(record: string): Omit<RawEntry, 'srcPath' | 'dstPath' | 'path' | 'key' | 'sections' | 'binary' | 'hunks'> | undefined {
  const f = record.slice(1).split(' ');
  if (f.length < 5 || !f[4]) return undefined;
  return { srcMode: f[0]!, dstMode: f[1]!, srcSha: f[2]!, dstSha: f[3]!, status: f[4][0]! };
}

export class PatchWithRawParser {
  private parts: Buffer[] = [];
  private phase: 'raw' | 'patch' = 'raw';
  private readonly list: RawEntry[] = [];
  private header: ReturnType<typeof parseRawHeader>;
  private firstPath: Buffer | undefined;
  private announced = false;
  private next = 0;
  private current: RawEntry | undefined;
  private minus = 0;
  private plus = 0;
  private line = 0;

  constructor(private readonly h: PatchHandler) {}

  get entries(): readonly RawEntry[] {
    return this.list;
  }

  feed(buf: Buffer): void {
    let pos = 0;
    while (pos < buf.length) {
      const end = buf.indexOf(this.phase === 'raw' ? NUL : LF, pos);
      if (end < 0) break;
      let record = buf.subarray(pos, end);
      if (this.parts.length > 0) {
        // a record spanning reads is joined once, when its end arrives (long minified lines)
        this.parts.push(record);
        record = Buffer.concat(this.parts);
        this.parts = [];
      }
      pos = end + 1;
      if (this.phase === 'raw') this.rawRecord(record);
      else this.patchLine(record);
    }
    if (pos < buf.length) this.parts.push(buf.subarray(pos));
  }

  end(): void {
    if (this.parts.length > 0) {
      const rest = Buffer.concat(this.parts);
      this.parts = [];
      if (this.phase === 'raw') this.rawRecord(rest);
      else this.patchLine(rest);
    }
    if (this.header || this.firstPath) this.h.unexpected('the raw diff output ended in the middle of an entry');
    this.announce();
    this.closeSection();
    if (this.minus + this.plus > 0) this.h.unexpected('the patch output ended in the middle of a hunk');
  }

  private announce(): void {
    if (this.announced) return;
    this.announced = true;
    this.h.entries(this.list);
  }

  private rawRecord(record: Buffer): void {
    if (!this.header) {
      if (record.length === 0) {
        // the empty record between the raw list and the patch
        this.phase = 'patch';
        this.announce();
        return;
      }
      const text = record.toString('latin1');
      this.header = text.startsWith(':') ? parseRawHeader(text) : undefined;
      if (!this.header) this.h.unexpected(`unrecognised raw diff record '${text.slice(0, 80)}'`);
      return;
    }
    const twoPaths = this.header.status === 'R' || this.header.status === 'C';
    if (twoPaths && !this.firstPath) {
      this.firstPath = Buffer.from(record);
      return;
    }
    const dst = Buffer.from(record);
    const src = this.firstPath ?? dst;
    this.list.push({
      ...this.header,
      srcPath: src,
      dstPath: dst,
      path: dst.toString('utf8'),
      key: dst.toString('latin1'),
      sections: 0,
      binary: false,
      hunks: 0,
    });
    this.header = undefined;
    this.firstPath = undefined;
  }

  private closeSection(): void {
    if (this.current) this.h.sectionEnd(this.current);
    this.current = undefined;
  }

  private startSection(headerLine: string): void {
    const cur = this.current;
    // a type change (file ↔ symlink) is printed as a deletion and a creation of the same path
    if (cur && cur.status === 'T' && cur.sections < 2 && headerLine === sectionHeader(cur)) {
      cur.sections++;
      return;
    }
    this.closeSection();
    for (let j = this.next; j < this.list.length; j++) {
      const e = this.list[j]!;
      if (sectionHeader(e) === headerLine) {
        e.sections++;
        this.current = e;
        this.next = j + 1;
        return;
      }
    }
    this.h.unexpected(`a patch section matches no listed change: '${headerLine.slice(0, 120)}'`);
  }

  private patchLine(line: Buffer): void {
    if (this.minus + this.plus > 0) {
      const c = line[0];
      if (c === 0x2b /* + */ && this.plus > 0) {
        this.plus--;
        if (this.current) this.h.added(this.current, this.line, line.toString('latin1', 1));
        this.line++;
      } else if (c === 0x2d /* - */ && this.minus > 0) {
        this.minus--;
      } else if (c !== 0x5c /* \ No newline at end of file */) {
        this.h.unexpected(`unexpected line in a hunk of ${this.current?.path ?? '?'}`);
        this.minus = 0;
        this.plus = 0;
      }
      return;
    }
    const c = line[0];
    if (c === 0x5c) return;
    if (c === 0x40 /* @ */) {
      const head = line.toString('latin1', 0, Math.min(line.length, 200));
      const m = HUNK.exec(head);
      if (m) {
        // counts are consumed even for an unmatched section, to stay in step with the output
        this.line = Number(m[1]);
        this.plus = m[2] === undefined ? 1 : Number(m[2]);
        this.minus = countOf(head);
        if (this.current) {
          this.current.hunks++;
          this.h.hunk(this.current, this.line, this.plus);
        }
        return;
      }
    }
    if (c === 0x64 /* d */ && line.length > 11 && line.toString('latin1', 0, 11) === 'diff --git ') {
      this.startSection(line.toString('latin1'));
      return;
    }
    if (c === 0x42 /* B */ && this.current && /^Binary files .* differ$/.test(line.toString('latin1'))) {
      this.current.binary = true;
    }
    // anything else is an extended header (index, modes, similarity, rename, ---/+++) or an
    // "* Unmerged path" line: the raw list already says what they say
  }
}

function countOf(hunkHeader: string): number {
  const m = /^@@ -\d+(?:,(\d+))? /.exec(hunkHeader);
  return m?.[1] === undefined ? 1 : Number(m[1]);
}

export function sectionHeader(e: RawEntry): string {
  return `diff --git ${quotePath('a/', e.srcPath)} ${quotePath('b/', e.dstPath)}`;
}
