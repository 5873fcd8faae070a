// Which keys a commit brought in. A key on an added line that the same commit also took away (a
// moved line, an edited line, a file moved without rename detection) was carried along, not
// introduced: it is reported at the commit that first added it, and not again here.
//
// Lines come one by one, but a key may be split across lines (a wrap, a concatenation: joined.ts).
// Only where a line ends in the engine's split trace are the next added lines of the same file kept
// with it (a run); when the run's text holds a key joined across its lines, the run is scanned as one
// text at its first line instead of line by line. A run without such a key changes nothing, so keys
// written whole are found and placed exactly as before. Removed lines are followed the same way, so a
// split key that a commit only moved is carried, not new.
import { detect } from '../../engine/detect.js';
import { mayContainKey } from '../../engine/prefilter.js';
import { hasSplitTrace } from '../../engine/joined.js';
import type { ScanContext } from '../../scan/context.js';
import type { Chunk, CommitInfo, Match } from '../../types.js';
import type { CommitHeader, PatchSink } from './log-parser.js';
import { displayBytes } from '../../git/quote.js';
import { AUTHOR_PATH, nameChunk } from '../../scan/names.js';
import { isArchiveName, type CommittedArchive } from './archives.js';

/** Where a key in a commit message is reported. */
export const MESSAGE_PATH = '(commit message)';

interface Candidate {
  path: string;
  line: number;
  text: string;
  message: boolean;
}

/** Lines kept after a trace: as many as a key has pieces (joined.ts gives up beyond 24). */
const MAX_RUN_LINES = 24;

/** Consecutive lines from one that ends in a split trace. */
interface Run {
  path: string;
  line: number;
  lines: string[];
}

/** A line that may end inside a split key: a cheap test first, the trace only where `sk-` is. */
function endsInTrace(text: string): boolean {
  return text.includes('sk-') && hasSplitTrace(`${text}\n`);
}

export class IntroducedKeys implements PatchSink {
  private info: CommitInfo | undefined;
  private candidates: Candidate[] = [];
  private run: Run | undefined;
  private removedRun: string[] | undefined;
  private readonly removedSecrets = new Set<string>();
  /** chunks of finished commits, for the source to yield */
  readonly ready: Chunk[] = [];
  /** archives the commits changed (git shows them as binary): read whole afterwards (archives.ts) */
  readonly archives: CommittedArchive[] = [];
  private parent: string | undefined;

  constructor(private readonly ctx: ScanContext) {}

  commit(h: CommitHeader): void {
    this.finish();
    this.ctx.commits++;
    this.info = { sha: h.sha, author: displayBytes(h.author), date: h.date };
    this.parent = h.parents[0];
    // an author field holding a key leaks it whatever the commit changed (src/scan/names.ts)
    const author = nameChunk(this.info.author, 'commit author', { kind: 'commit', path: AUTHOR_PATH, commit: this.info }, this.ctx.needles);
    if (author) this.ready.push(author);
    if (mayContainKey(h.message, this.ctx.needles)) this.candidates.push({ path: MESSAGE_PATH, line: 1, text: h.message, message: true });
  }

  /** A run of added lines is open: the walk must hand on the next lines even where its prefilter sees nothing. */
  get wantsLines(): boolean {
    return this.run !== undefined || this.removedRun !== undefined;
  }

  fileDone(binary: boolean, path: string): void {
    this.endRun();
    this.endRemovedRun();
    if (binary && this.info && isArchiveName(path)) this.archives.push({ commit: this.info, path, parent: this.parent });
    else if (binary) this.ctx.skip('binary');
    else this.ctx.countFile(0);
  }

  added(path: string, line: number, text: string): void {
    this.endRemovedRun();
    const run = this.run;
    if (run && run.path === path && run.line + run.lines.length === line && run.lines.length < MAX_RUN_LINES) run.lines.push(text);
    else this.endRun();
    if (mayContainKey(text, this.ctx.needles)) this.candidates.push({ path, line, text, message: false });
    if (!this.run && endsInTrace(text)) this.run = { path, line, lines: [text] };
  }

  removed(text: string): void {
    const run = this.removedRun;
    if (run && run.length < MAX_RUN_LINES) run.push(text);
    else this.endRemovedRun();
    if (!this.removedRun && endsInTrace(text)) this.removedRun = [text];
    if (mayContainKey(text, this.ctx.needles)) this.removeKeysIn(text);
  }

  private removeKeysIn(text: string): void {
    // a key that stood on a `keyguard:allow` line was never reported, so losing the allow makes it new
    for (const m of this.matches(text)) if (!m.allowed) this.removedSecrets.add(m.secret);
  }

  /** Keys joined across lines of `text` (one run): the reason to scan the run as one text. */
  private joinedAcrossLines(text: string): Match[] {
    return this.matches(text).filter((m) => m.decoded === 'joined' && (m.joinedLines ?? 1) > 1);
  }

  /** The added run is over: when it holds a key joined across its lines, it replaces its lines' candidates. */
  private endRun(): void {
    const run = this.run;
    this.run = undefined;
    if (!run || run.lines.length < 2) return;
    const text = run.lines.join('\n');
    if (this.joinedAcrossLines(text).length === 0) return;
    const last = run.line + run.lines.length;
    this.candidates = this.candidates.filter((c) => c.message || c.path !== run.path || c.line < run.line || c.line >= last);
    this.candidates.push({ path: run.path, line: run.line, text, message: false });
  }

  private endRemovedRun(): void {
    const run = this.removedRun;
    this.removedRun = undefined;
    if (!run || run.length < 2) return;
    for (const m of this.joinedAcrossLines(run.join('\n'))) if (!m.allowed) this.removedSecrets.add(m.secret);
  }

  /** The current commit is complete: decide what it introduced. */
  finish(): void {
    this.endRun();
    this.endRemovedRun();
    const info = this.info;
    if (info) {
      for (const c of this.candidates) {
        const text = c.message ? c.text : this.withoutCarried(c.text);
        if (text === undefined) continue;
        this.ready.push({ text, origin: { kind: 'commit', path: c.message ? MESSAGE_PATH : displayBytes(c.path), line: c.line, commit: info }, bytes: true });
      }
    }
    this.candidates = [];
    this.removedSecrets.clear();
    this.info = undefined;
  }

  /** The line with carried keys blanked out (same length, so columns stay); undefined when nothing is new. */
  private withoutCarried(text: string): string | undefined {
    if (this.removedSecrets.size === 0) return text;
    const ms = this.matches(text);
    const carried = ms.filter((m) => this.removedSecrets.has(m.secret));
    if (carried.length === 0) return text;
    if (carried.length === ms.length) return undefined;
    let out = text;
    for (const m of carried) out = out.slice(0, m.start) + '*'.repeat(m.end - m.start) + out.slice(m.end);
    return out;
  }

  private matches(text: string): Match[] {
    return detect(text, { bytes: true, ...(this.ctx.ownKeys ? { ownKeys: this.ctx.ownKeys } : {}) });
  }
}
