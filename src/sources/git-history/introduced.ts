// Which keys a commit brought in. A key on an added line that the same commit also took away (a
// moved line, an edited line, a file moved without rename detection) was carried along, not
// introduced: it is reported at the commit that first added it, and not again here.
import { detect } from '../../engine/detect.js';
import { mayContainKey } from '../../engine/prefilter.js';
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

export class IntroducedKeys implements PatchSink {
  private info: CommitInfo | undefined;
  private candidates: Candidate[] = [];
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

  fileDone(binary: boolean, path: string): void {
    if (binary && this.info && isArchiveName(path)) this.archives.push({ commit: this.info, path, parent: this.parent });
    else if (binary) this.ctx.skip('binary');
    else this.ctx.countFile(0);
  }

  added(path: string, line: number, text: string): void {
    if (mayContainKey(text, this.ctx.needles)) this.candidates.push({ path, line, text, message: false });
  }

  removed(text: string): void {
    if (!mayContainKey(text, this.ctx.needles)) return;
    // a key that stood on a `keyguard:allow` line was never reported, so losing the allow makes it new
    for (const m of this.matches(text)) if (!m.allowed) this.removedSecrets.add(m.secret);
  }

  /** The current commit is complete: decide what it introduced. */
  finish(): void {
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
