// --fix for text histories and profiles: redact in place through rewriteFile (backup 0600 in
// keyguard's data directory, temp file beside the original, fsync, owner and mode kept, rename;
// redone if a shell appended meanwhile). A symbolic link is followed: its target is rewritten and
// the link stays a link.
import { access, readFile, realpath } from 'node:fs/promises';
import { dataDir, rewriteFile } from './atomic-rewrite.js';
import type { Finding } from '../types.js';
import type { FixOptions, Redactor } from './dispatch.js';
import { redactKeys } from './redact-bytes.js';
import { shq } from '../report/shell-quote.js';

const TEXT_KINDS = new Set(['profile', 'shell-history', 'repl-history']);

function linesOf(findings: readonly Finding[]): string {
  const lines = [...new Set(findings.map((f) => f.location.line))].sort((a, b) => a - b);
  return `line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}`;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

async function fix(absPath: string, findings: readonly Finding[], opts: FixOptions): Promise<void> {
  const target = await realpath(absPath);
  const secrets = new Set(findings.map((f) => f.secret));
  const encoded = findings.some((f) => f.decoded !== undefined);
  const keys = `${secrets.size} key${secrets.size === 1 ? '' : 's'}`;
  const shown = target === absPath ? absPath : `${absPath} (→ ${target})`;
  const say = opts.io.stderr;
  if (opts.dryRun) {
    const r = redactKeys(await readFile(target), secrets, encoded);
    say(r ? `keyguard: would redact ${r.count} occurrence${r.count === 1 ? '' : 's'} of ${keys} in ${shown} (${linesOf(findings)})\n` : `keyguard: nothing left to redact in ${shown}\n`);
    return;
  }
  if (await exists(`${target}.LOCK`)) say(`keyguard: note: ${target}.LOCK exists: a zsh may be rewriting this history right now (or left the lock behind)\n`);
  let count = 0;
  const result = await rewriteFile(
    target,
    (content) => {
      const r = redactKeys(content, secrets, encoded);
      count = r?.count ?? 0;
      return r?.content;
    },
    { backup: opts.backup, backupDir: `${dataDir(opts.io.env)}/backups`, env: opts.io.env },
  );
  if (!result.changed) {
    say(`keyguard: nothing left to redact in ${shown}\n`);
    return;
  }
  say(`keyguard: redacted ${count} occurrence${count === 1 ? '' : 's'} of ${keys} in ${shown} (${linesOf(findings)})${result.retries > 0 ? '; the file changed while keyguard worked, so the redaction was redone on the new content' : ''}\n`);
  if (result.backupPath) {
    say(`keyguard: the original is backed up (mode 0600) at ${result.backupPath}; it still holds the key: check the result, then delete it: rm ${shq(result.backupPath)}\n`);
  }
}

export const textRedactor: Redactor = {
  name: 'text histories and profiles',
  applies: (_absPath, findings) => findings.length > 0 && findings.every((f) => TEXT_KINDS.has(f.kind) && f.location.details?.table === undefined),
  fix,
};
