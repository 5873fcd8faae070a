// Counters and problems of one run. Sources report into it; the summary is read from it.
import type { OwnKeyIndex } from '../engine/own-keys.js';
import { needlesFor } from '../engine/prefilter.js';
import type { ChatLimits } from '../sources/chat/limits.js';
import type { ReadError, ScanSummary } from '../types.js';
import type { Progress } from './progress.js';

export class ScanContext {
  files = 0;
  bytes = 0;
  commits = 0;
  readonly skipped: Record<string, number> = {};
  readonly errors: ReadError[] = [];
  readonly notes: string[] = [];
  /** findings the filters stage dropped, by reason */
  readonly suppressed: ScanSummary['suppressed'] = { allow: 0, ignored: 0, baseline: 0 };
  /** baseline entries that matched nothing (set when the scan loop ends) */
  unusedBaseline: string[] = [];
  /** prefilter needles: the marker, encoded markers, session prefix, own-key prefixes */
  readonly needles: string[];
  readonly startedAt = Date.now();

  constructor(
    readonly ownKeys?: OwnKeyIndex,
    readonly progress?: Progress,
    /** memory bounds of the chat readers, when not the defaults */
    readonly chatLimits: Partial<ChatLimits> = {},
  ) {
    this.needles = needlesFor(ownKeys);
  }

  /** One file (or blob, or entry) was read in full. */
  countFile(bytes: number): void {
    this.files++;
    this.bytes += bytes;
    this.progress?.update(this);
  }

  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  /** Something that should have been scanned could not be read: the run will exit 2. */
  error(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  note(message: string): void {
    if (!this.notes.includes(message)) this.notes.push(message);
  }
}
