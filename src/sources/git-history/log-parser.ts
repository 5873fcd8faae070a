// An incremental parser for `git log -p -U0 --cc --format=RECORD_FORMAT`, fed text that ends at line
// ends. Text is raw bytes read as latin1, so any byte survives to the engine.
//
// Most of a history is patch lines without a key: for those the parser only follows the structure
// (which commit, which file, which line of the new file), one indexOf per line. Line contents are
// handed out only in batches the caller says may hold a key.
import { headerPath, unquotePath } from '../../git/quote.js';

/**
 * Each commit record starts with NUL SOH at a line start: a patch line always starts with a prefix
 * character, so a NUL there can only be a record. Fields are NUL-separated, which also keeps message
 * lines (`diff --git`, `@@` …) from ever being read as patch structure.
 */
export const RECORD_FORMAT = '%x00%x01%H%x00%P%x00%an <%ae>%x00%aI%x00%B%x00';

export interface CommitHeader {
  sha: string;
  parents: string[];
  /** latin1 bytes */
  author: string;
  date: string;
  /** latin1 bytes */
  message: string;
}

export interface PatchSink {
  /** a new commit record starts; the previous one is complete */
  commit(header: CommitHeader): void;
  /** one file's diff is complete; binary ones have no text to scan (`path`: latin1 bytes, the new path) */
  fileDone(binary: boolean, path: string): void;
  /** a line new in this commit (not in any parent); path is latin1 bytes */
  added(path: string, line: number, text: string): void;
  /** a line this commit took away (from any parent) */
  removed(text: string): void;
}

const enum Mode {
  Between,
  FileHeader,
  Hunk,
}

const PLUS = 43;
const MINUS = 45;
const SPACE = 32;
const BACKSLASH = 92;
const AT = 64;
const NUL = 0;

export class PatchParser {
  private mode = Mode.Between;
  /** prefix columns of a hunk line: 1, or the number of parents in a combined diff */
  private cols = 1;
  private path = '';
  private newLine = 0;
  private fileOpen = false;
  private binary = false;
  /** sha of the record being read, once its header is complete */
  current: string | undefined;

  constructor(private readonly sink: PatchSink) {}

  /**
   * Parse `text`, which ends at a line end (or the end of the stream). Returns how much was used: an
   * incomplete record header at the end is left for the next call, with more text after it.
   * `scan`: this text may hold a key, so line contents go to the sink.
   */
  feed(text: string, scan: boolean): number {
    const n = text.length;
    let pos = 0;
    while (pos < n) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = n;
      const c = text.charCodeAt(pos);
      if (this.mode === Mode.Hunk) {
        if (this.cols === 1) {
          if (c === PLUS) {
            if (scan) this.sink.added(this.path, this.newLine, text.slice(pos + 1, end));
            this.newLine++;
            pos = end + 1;
            continue;
          }
          if (c === MINUS) {
            if (scan) this.sink.removed(text.slice(pos + 1, end));
            pos = end + 1;
            continue;
          }
          if (c === SPACE) {
            this.newLine++;
            pos = end + 1;
            continue;
          }
          if (c === BACKSLASH) {
            pos = end + 1;
            continue;
          }
        } else if (c === PLUS || c === MINUS || c === SPACE) {
          this.combinedLine(text, pos, end, scan);
          pos = end + 1;
          continue;
        } else if (c === BACKSLASH) {
          pos = end + 1;
          continue;
        }
        this.mode = Mode.FileHeader;
      }
      if (c === NUL) {
        const next = this.record(text, pos);
        if (next < 0) return pos;
        pos = next;
        continue;
      }
      this.structure(text, pos, end);
      pos = end + 1;
    }
    return n;
  }

  /** The stream ended: close the last file. */
  end(): void {
    this.closeFile();
  }

  private combinedLine(text: string, pos: number, end: number, scan: boolean): void {
    let plus = 0;
    let minus = false;
    for (let i = 0; i < this.cols; i++) {
      const ch = text.charCodeAt(pos + i);
      if (ch === PLUS) plus++;
      else if (ch === MINUS) minus = true;
    }
    if (minus) {
      if (scan) this.sink.removed(text.slice(pos + this.cols, end));
      return;
    }
    // in no parent: the merge itself brought this line in (a conflict resolution or an evil merge)
    if (plus === this.cols && scan) this.sink.added(this.path, this.newLine, text.slice(pos + this.cols, end));
    this.newLine++;
  }

  /** A record header at `pos`; returns where parsing goes on, or -1 when it is not complete yet. */
  private record(text: string, pos: number): number {
    if (pos + 1 < text.length && text.charCodeAt(pos + 1) !== 1) {
      // not a record: a stray NUL line (cannot come from git's patch output), skip it
      const nl = text.indexOf('\n', pos);
      return nl < 0 ? text.length : nl + 1;
    }
    const f: number[] = [];
    let at = pos + 1;
    for (let i = 0; i < 5; i++) {
      const z = text.indexOf('\0', at + 1);
      if (z < 0) return -1;
      f.push(z);
      at = z;
    }
    const [z1, z2, z3, z4, z5] = f as [number, number, number, number, number];
    this.closeFile();
    const header: CommitHeader = {
      sha: text.slice(pos + 2, z1),
      parents: z2 > z1 + 1 ? text.slice(z1 + 1, z2).split(' ') : [],
      author: text.slice(z2 + 1, z3),
      date: text.slice(z3 + 1, z4),
      message: text.slice(z4 + 1, z5),
    };
    this.mode = Mode.Between;
    this.current = header.sha;
    this.sink.commit(header);
    return z5 + 1;
  }

  private closeFile(): void {
    if (this.fileOpen) this.sink.fileDone(this.binary, this.path);
    this.fileOpen = false;
    this.binary = false;
  }

  private openFile(path: string): void {
    this.closeFile();
    this.fileOpen = true;
    this.mode = Mode.FileHeader;
    this.cols = 1;
    this.path = path;
  }

  /** A line outside hunk bodies: file headers, hunk headers, blank separators. */
  private structure(text: string, pos: number, end: number): void {
    const c = text.charCodeAt(pos);
    if (c === 100 /* d */) {
      if (text.startsWith('diff --git ', pos)) {
        this.openFile(gitHeaderPath(text.slice(pos + 11, end)));
        return;
      }
      if (text.startsWith('diff --cc ', pos)) {
        this.openFile(unquotePath(text.slice(pos + 10, end)));
        return;
      }
      if (text.startsWith('diff --combined ', pos)) {
        this.openFile(unquotePath(text.slice(pos + 16, end)));
        return;
      }
    }
    if (this.mode !== Mode.FileHeader) return;
    if (c === AT) {
      this.hunkHeader(text, pos, end);
      return;
    }
    if (c === PLUS && text.startsWith('+++ ', pos)) {
      this.path = headerPath(text.slice(pos + 4, end), 'b/') ?? this.path;
      return;
    }
    if (c === 66 /* B */ && text.startsWith('Binary files ', pos)) {
      this.binary = true;
      return;
    }
    if (c === 114 /* r */ && text.startsWith('rename to ', pos)) {
      this.path = unquotePath(text.slice(pos + 10, end));
    }
  }

  /** `@@ -a,b +c,d @@` or, for a merge of n parents, n+1 `@` and n `-` ranges. */
  private hunkHeader(text: string, pos: number, end: number): void {
    let ats = 0;
    while (text.charCodeAt(pos + ats) === AT) ats++;
    const plus = text.indexOf(' +', pos + ats);
    if (plus < 0 || plus > end) return;
    let line = 0;
    for (let i = plus + 2; i < end; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      line = line * 10 + d;
    }
    this.cols = Math.max(1, ats - 1);
    this.newLine = line;
    this.mode = Mode.Hunk;
  }
}

/** The new path from `a/X b/Y` (either side may be C-quoted); the `+++` line, when there is one, wins. */
function gitHeaderPath(rest: string): string {
  if (rest.endsWith('"')) {
    const open = rest.lastIndexOf(' "');
    if (open >= 0) return stripB(unquotePath(rest.slice(open + 1)));
  }
  // unrenamed files repeat the same path: `a/X b/X`, even when X holds ` b/`
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest.slice(2, half) === rest.slice(half + 3)) return rest.slice(half + 3);
  const b = rest.lastIndexOf(' b/');
  return b >= 0 ? rest.slice(b + 3) : rest;
}

function stripB(p: string): string {
  return p.startsWith('b/') ? p.slice(2) : p;
}
