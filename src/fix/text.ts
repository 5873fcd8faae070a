// --fix for text histories and profiles: keys overwritten in place, same length (in-place.ts: a
// 0600 backup first, read-check-write, fsync; a shell appending meanwhile loses nothing, every hard
// link is redacted, owner and mode stay). A symbolic link is followed: its target is redacted and the
// link stays a link.
import { shownText } from '../report/text.js';
import { backupDir } from './backup.js';
import { realpath } from 'node:fs/promises';
import { joinedKeysLeft, planInPlace, redactInPlace } from './in-place.js';
import { afterRedaction, backupNotes, occurrences } from './messages.js';
import type { Finding } from '../types.js';
import type { FixOptions, Redactor } from './dispatch.js';
import { KeyTargets } from './redact-bytes.js';
import { exists } from '../exists.js';

const TEXT_KINDS = new Set(['profile', 'shell-history', 'repl-history']);

function linesOf(findings: readonly Finding[]): string {
  const lines = [...new Set(findings.map((f) => f.location.line))].sort((a, b) => a - b);
  return `line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}`;
}

function notReached(unreached: readonly Finding[]): Error {
  const n = unreached.length;
  return new Error(
    `${n} key${n === 1 ? '' : 's'} split into pieces (${linesOf(unreached)}) ${n === 1 ? 'is' : 'are'} still in the file: its pieces are not ` +
      "in the file's bytes as they are (a history that writes a line break inside an entry as an escape: fish, libedit, psql, nushell); " +
      'delete the entry by hand',
  );
}

async function fix(absPath: string, findings: readonly Finding[], opts: FixOptions): Promise<void> {
  const target = await realpath(absPath);
  const targets = new KeyTargets(
    new Set(findings.map((f) => f.secret)),
    findings.some((f) => f.decoded !== undefined),
  );
  const keys = `${targets.secrets.size} key${targets.secrets.size === 1 ? '' : 's'}`;
  // paths are data: a name may hold escape sequences or a key
  const shown = shownText(target === absPath ? absPath : `${absPath} (→ ${target})`);
  const say = opts.io.stderr;
  if (opts.dryRun) {
    const plan = await planInPlace(target, targets);
    if (plan.refusal) {
      say(`keyguard: would not redact ${keys}: ${plan.refusal}\n`);
      return;
    }
    const would = `keyguard: would redact ${occurrences(plan.count)} of ${keys} in ${shown} (${linesOf(findings)})\n`;
    // with nothing to replace, a joined key still in the file is one whose pieces --fix cannot find
    const unreached = plan.count > 0 ? [] : await joinedKeysLeft(target, findings);
    if (unreached.length > 0) say(`keyguard: would not redact: ${notReached(unreached).message}\n`);
    else say(plan.count > 0 ? would : `keyguard: nothing left to redact in ${shown}\n`);
    return;
  }
  if (await exists(`${target}.LOCK`))
    say(`keyguard: note: ${shownText(target)}.LOCK exists: a zsh may be rewriting this history right now (or left the lock behind)\n`);
  const result = await redactInPlace(target, targets, { backup: opts.backup, ...(opts.backup ? { backupDir: backupDir(opts.io) } : {}) });
  const unreached = await joinedKeysLeft(target, findings);
  if (result.count === 0) {
    if (unreached.length > 0) throw notReached(unreached);
    say(`keyguard: nothing left to redact in ${shown}\n`);
    return;
  }
  const more = afterRedaction(result, 'the file changed while keyguard worked');
  say(`keyguard: redacted ${occurrences(result.count)} of ${keys} in ${shown} (${linesOf(findings)})${more}\n`);
  say(backupNotes(result));
  if (unreached.length > 0) throw notReached(unreached);
}

export const textRedactor: Redactor = {
  name: 'text histories and profiles',
  // a history inside an archive (`a.zip!.bash_history`) is not a file to rewrite in place: the bytes on
  // disk are the archive's, compressed or checksummed
  applies: (_absPath, findings) =>
    findings.length > 0 && findings.every((f) => TEXT_KINDS.has(f.kind) && f.location.details?.table === undefined && !f.location.path.includes('!')),
  fix,
};
