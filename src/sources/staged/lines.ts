// Added lines → Chunks: one chunk per run of consecutive added lines, placed at its line in the
// staged version, so findings point where the user's editor shows the key.
import type { Chunk } from '../../types.js';
import type { PatchHandler, RawEntry } from './diff-parser.js';
import type { ReplayFilter } from './replay.js';

/** Runs longer than this are cut at a line end (a key never spans lines). */
const RUN_LIMIT = 4 * 1024 * 1024;

export const SUBMODULE_MODE = '160000';

export interface EntryStats {
  /** lines the change adds */
  added: number;
  /** of those, lines scanned (not already committed on a replayed side) */
  scanned: number;
  bytes: number;
}

interface Run {
  entry: RawEntry;
  start: number;
  lines: string[];
  size: number;
}

export class AddedLines implements PatchHandler {
  private readonly out: Chunk[] = [];
  private readonly stats = new Map<RawEntry, EntryStats>();
  private run: Run | undefined;
  readonly problems: string[] = [];

  constructor(private readonly replay?: ReplayFilter) {}

  statsOf(e: RawEntry): EntryStats {
    let s = this.stats.get(e);
    if (!s) {
      s = { added: 0, scanned: 0, bytes: 0 };
      this.stats.set(e, s);
    }
    return s;
  }

  entries(): void {}

  hunk(): void {}

  added(entry: RawEntry, line: number, text: string): void {
    if (entry.dstMode === SUBMODULE_MODE) return;
    const s = this.statsOf(entry);
    s.added++;
    if (this.replay && !this.replay.isNew(entry.key, line)) {
      this.flush();
      return;
    }
    s.scanned++;
    s.bytes += text.length + 1;
    const r = this.run;
    if (!r || r.entry !== entry || line !== r.start + r.lines.length || r.size > RUN_LIMIT) {
      this.flush();
      this.run = { entry, start: line, lines: [text], size: text.length + 1 };
      return;
    }
    r.lines.push(text);
    r.size += text.length + 1;
  }

  sectionEnd(): void {
    this.flush();
  }

  unexpected(message: string): void {
    this.problems.push(message);
  }

  /** Chunks ready so far. */
  *drain(): Generator<Chunk> {
    if (this.out.length > 0) yield* this.out.splice(0);
  }

  private flush(): void {
    const r = this.run;
    if (!r) return;
    this.run = undefined;
    this.out.push({ text: r.lines.join('\n'), origin: { kind: 'staged', path: r.entry.path, line: r.start }, bytes: true });
  }
}
