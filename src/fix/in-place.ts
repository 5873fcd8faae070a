// Redacting a file the user has (a history, a profile, an agent transcript) in place, each key
// overwritten by a marker of exactly its length, through the file's own inode. Why not the usual
// temporary file and rename:
// - a shell or an agent that keeps the file open with O_APPEND goes on writing into the old inode
//   once it is renamed away: every line it appends after the rename is lost (19 of 30 in a test).
//   A positional write of the same length moves nothing: an appender's writes land after ours, as
//   before, and nothing it wrote is ever copied or dropped;
// - every hard link is the same inode, so every link is redacted, not only the one named;
// - owner, group, mode, ACLs and extended attributes stay as they are (nothing is re-created);
// - nothing is held whole: the file is searched in windows (file-hits.ts), so a history of any size
//   is redacted in bounded memory.
// Each write is read-check-write: the bytes are read again just before and must still be the key,
// else the file was rewritten under us (bash `history -w` truncates and rewrites) and the search
// starts again. After the writes, fsync, then a pass over what was appended meanwhile. If the path
// now names another file (zsh HIST_SAVE_BY_COPY renames a new one in), that file is redacted too.
// A file without its owner's write bit is left alone: its owner made it read-only.
import { open, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { backupFrom } from './backup.js';
import { scanFile, type FileHit, type LineCheck, type Position } from './file-hits.js';
import { placesOf, type KeyTargets } from './redact-bytes.js';
import type { Finding } from '../types.js';

export interface InPlaceOptions {
  /** false with --no-backup */
  backup: boolean;
  /** where backups go (src/fix/backup.ts backupDir); needed when `backup` is true */
  backupDir?: string;
  /** refuses a redaction that would break a line (JSON Lines) */
  check?: LineCheck;
  /** window size for the search (tests use small ones) */
  window?: number;
  /** test seams: what a concurrent writer could do at these moments */
  hooks?: {
    afterScan?: () => unknown;
    beforeWrite?: (hit: FileHit) => unknown;
  };
}

export interface InPlaceResult {
  /** occurrences replaced */
  count: number;
  /** lines (1-based) that held a key, in the file as it is now */
  lines: number[];
  /** backups made (one per file redacted; two when the path was replaced meanwhile) */
  backups: string[];
  /** how many times the file changed under us and the search was redone */
  retries: number;
  /** the path named a new file meanwhile, and that one was redacted too */
  replaced: boolean;
  /** hard links to the file: all of them are redacted, being one file */
  links: number;
}

/** The owner made it read-only, or it is not a regular file: not ours to change. */
export class NotRedactable extends Error {
  override name = 'NotRedactable';
}

const MAX_RETRIES = 5;
const MAX_PASSES = 20;

function modeText(mode: number): string {
  return `0${(mode & 0o7777).toString(8)}`;
}

/** Open `path` for positional reads and writes (never O_APPEND, never O_TRUNC), or say why not. */
async function openForRedaction(path: string): Promise<{ fh: FileHandle; st: Stats }> {
  const before = refusalOf(path, await stat(path));
  if (before) throw new NotRedactable(before);
  const fh = await open(path, 'r+');
  const st = await fh.stat();
  // checked again on what was opened: it may have changed in between
  const now = refusalOf(path, st);
  if (now) {
    await fh.close();
    throw new NotRedactable(now);
  }
  return { fh, st };
}

/** Write `hit` if its bytes are still the key; false when they are not (the file was rewritten). */
async function readCheckWrite(fh: FileHandle, hit: FileHit, before?: (hit: FileHit) => unknown): Promise<boolean> {
  const now = Buffer.alloc(hit.from.length);
  const { bytesRead } = await fh.read(now, 0, now.length, hit.at);
  if (bytesRead !== now.length || !now.equals(hit.from)) return false;
  await before?.(hit);
  for (let done = 0; done < hit.to.length;) done += (await fh.write(hit.to, done, hit.to.length - done, hit.at + done)).bytesWritten;
  return true;
}

async function samePath(path: string, st: Stats): Promise<boolean> {
  const now = await stat(path).catch(() => undefined);
  return now !== undefined && now.ino === st.ino && now.dev === st.dev;
}

/** Why `redactInPlace` would leave this file alone, if it would. */
function refusalOf(path: string, st: Stats): string | undefined {
  if (!st.isFile()) return `${path} is not a regular file`;
  if ((st.mode & 0o200) === 0) {
    return `${path} is read-only (mode ${modeText(st.mode)}): not redacted. Make it writable (chmod u+w) and run --fix again, or edit it by hand`;
  }
  return undefined;
}

/** Search only (for --dry-run): what `redactInPlace` would replace now, or why it would not. */
export async function planInPlace(path: string, targets: KeyTargets, check?: LineCheck): Promise<{ count: number; lines: number[]; refusal?: string }> {
  const st = await stat(path);
  const refusal = refusalOf(path, st);
  if (!st.isFile()) return { count: 0, lines: [], ...(refusal ? { refusal } : {}) };
  const fh = await open(path, 'r');
  try {
    const { hits } = await scanFile(fh, targets, check ? { check } : {});
    return { count: placesOf(hits), lines: [...new Set(hits.map((h) => h.line))], ...(refusal ? { refusal } : {}) };
  } finally {
    await fh.close();
  }
}

/** Redact every occurrence of the targets in `path` in place; see the top of this file. */
export async function redactInPlace(path: string, targets: KeyTargets, opts: InPlaceOptions): Promise<InPlaceResult> {
  const result: InPlaceResult = { count: 0, lines: [], backups: [], retries: 0, replaced: false, links: 1 };
  const lines = new Set<number>();
  let written = 0;
  /** the backup of the file open now, and what was written to that file */
  let backup: string | undefined;
  let writtenHere = 0;
  const changed = (why: string) => {
    if (++result.retries > MAX_RETRIES) throw new Error(`${path} ${why} again and again; try again when nothing is writing to it`);
  };
  try {
    for (;;) {
      const { fh, st } = await openForRedaction(path);
      backup = undefined;
      writtenHere = 0;
      result.links = st.nlink;
      try {
        let from: Position = { offset: 0, line: 1 };
        let passes = 0;
        for (;;) {
          if (++passes > MAX_PASSES) throw new Error(`something keeps writing keys to ${path}; stop it, then run --fix again`);
          const scan = await scanFile(fh, targets, { from, check: opts.check, window: opts.window });
          await opts.hooks?.afterScan?.();
          if (scan.hits.length === 0) break;
          if (opts.backup && backup === undefined) {
            if (opts.backupDir === undefined) throw new Error('no backup folder given');
            backup = await backupFrom(fh, path, opts.backupDir);
            result.backups.push(backup);
          }
          let intact = true;
          for (const hit of scan.hits) {
            if (!(await readCheckWrite(fh, hit, opts.hooks?.beforeWrite))) {
              intact = false;
              break;
            }
            writtenHere++;
            // the pieces of a key split across lines are one occurrence
            if (!hit.laterPiece) {
              written++;
              result.count++;
            }
            lines.add(hit.line);
          }
          await fh.sync();
          if (!intact) {
            changed('was rewritten while keyguard redacted it');
            from = { offset: 0, line: 1 };
            continue;
          }
          if ((await fh.stat()).size < scan.end) {
            changed('was truncated while keyguard redacted it');
            from = { offset: 0, line: 1 };
            continue;
          }
          // what was appended meanwhile: from the last line start, or the overlap, on
          from = scan.resume;
        }
      } finally {
        await fh.close();
      }
      if (await samePath(path, st)) break;
      // the path names another file now (renamed in by the writer): redact that one too
      result.replaced = true;
      changed('was replaced by a new file');
    }
  } catch (err) {
    if (backup !== undefined && writtenHere === 0) {
      await unlink(backup).catch(() => undefined);
      result.backups.pop();
    }
    if (result.backups.length > 0 && err instanceof Error) {
      const done = `${written} occurrence${written === 1 ? ' was' : 's were'} already redacted`;
      err.message += `; ${done}, and the original is backed up at ${result.backups.join(', ')}`;
    }
    throw err;
  }
  result.lines = [...lines].sort((a, b) => a - b);
  return result;
}

/** Characters of a joined key's start that show its first piece is still in the file (a shorter first piece goes unchecked). */
const FIRST_PIECE = 12;

/**
 * Keys joined from pieces whose first piece is still in the file after --fix: pieces --fix could not
 * find as they are in the bytes (a history that escapes line breaks, a string nested in a string), to be
 * said, never passed over as redacted.
 */
export async function joinedKeysLeft(path: string, findings: readonly Finding[]): Promise<Finding[]> {
  const joined = findings.filter((f) => f.decoded === 'joined' && f.secret.length > FIRST_PIECE);
  if (joined.length === 0) return [];
  const content = await readFile(path);
  return joined.filter((f) => content.includes(f.secret.slice(0, FIRST_PIECE)));
}
