// `--fix`: redact found keys where they sit. Each kind of file has its redactor (profiles, whose keys
// move to a secret store, text histories, JSONL transcripts, export archives); this module only groups
// findings by file and dispatches. Histories and transcripts are redacted in place (fix/in-place.ts:
// backup, same-length writes into the same inode, fsync); a profile's line is rewritten (fix/profile.ts:
// backup, temp file, rename); exports get a redacted copy (fix/atomic-rewrite.ts: temp file, rename).
// A redactor that cannot do its job throws: the file is reported as not redacted and the run exits 2.
import { resolve } from 'node:path';
import type { Io } from '../commands/io.js';
import type { ScanContext } from '../scan/context.js';
import type { Finding } from '../types.js';
import { errorMessage } from '../errors.js';
import { redactKeysIn } from '../report/names.js';
import { printable } from '../report/printable.js';
import { KEY_IN } from '../scan/names.js';

export interface FixOptions {
  io: Io;
  dryRun: boolean;
  backup: boolean;
  /** --remove: a profile's line that sets a key is deleted, not rewritten to read the key at run time */
  remove: boolean;
  ctx: ScanContext;
}

export interface Redactor {
  name: string;
  /** true when this redactor knows how to rewrite the file these findings are in */
  applies(absPath: string, findings: readonly Finding[]): boolean;
  /** Rewrite (or, for archives, write a redacted copy of) the file; report what was done on io.stderr. */
  fix(absPath: string, findings: readonly Finding[], opts: FixOptions): Promise<void>;
}

/** Tried in order; loaded only when --fix is used. */
export const REDACTORS: (() => Promise<Redactor>)[] = [
  // first: a gzip or tar member is never rewritten, whatever kind of text it holds
  async () => (await import('./archive.js')).unrewritableArchive,
  // profiles before text: their lines are rewritten to read the key at run time, not redacted
  async () => (await import('./profile.js')).profileRedactor,
  async () => (await import('./text.js')).textRedactor,
  async () => (await import('./sqlite.js')).sqliteAdvice,
  async () => (await import('./transcript.js')).transcriptRedactor,
  async () => (await import('./archive.js')).archiveRedactor,
];

/** The file on disk a finding lives in (an archive member lives in its archive). */
export function fileOf(f: Finding, cwd: string): string {
  const p = f.location.path;
  const bang = p.indexOf('!');
  return resolve(cwd, bang >= 0 ? p.slice(0, bang) : p);
}

export async function fixFindings(findings: readonly Finding[], opts: FixOptions): Promise<void> {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.kind === 'commit' || f.kind === 'staged' || f.kind === 'codex') continue;
    // a key in a file's name is not in its content: renaming is the user's call, not a redaction
    if (f.location.details?.[KEY_IN] !== undefined) {
      opts.io.stderr(
        `keyguard: --fix does not rename files: ${printable(redactKeysIn(f.location.path))} has a key in its ${f.location.details[KEY_IN]}; rename it by hand\n`,
      );
      continue;
    }
    const file = fileOf(f, opts.io.cwd);
    const list = byFile.get(file);
    if (list) list.push(f);
    else byFile.set(file, [f]);
  }
  const redactors = await Promise.all(REDACTORS.map((load) => load()));
  if (opts.dryRun && byFile.size > 0) opts.io.stderr(`keyguard: --fix --dry-run: what would change, file by file (nothing is written):\n`);
  for (const [file, list] of byFile) {
    const redactor = redactors.find((r) => r.applies(file, list));
    if (!redactor) {
      opts.io.stderr(
        `keyguard: --fix does not rewrite ${printable(redactKeysIn(file))}: edit it by hand (it is not a history, profile, transcript or export)\n`,
      );
      continue;
    }
    try {
      await redactor.fix(file, list, opts);
    } catch (err) {
      opts.ctx.error(file, `could not redact: ${errorMessage(err)}`);
    }
  }
}
