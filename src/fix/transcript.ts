// --fix for agent transcripts and prompt histories (JSON Lines): keys replaced in place through
// rewriteFile (0600 backup, temp file, fsync, rename; redone if the agent appended meanwhile). The
// replacement holds only letters, digits and `-`, so it needs no escaping at any depth of JSON
// inside JSON strings; each changed line is parsed again, and nothing is written if a line that was
// valid JSON would stop being so.
import { readFile, realpath } from 'node:fs/promises';
import { mayContainKey } from '../engine/prefilter.js';
import type { Finding } from '../types.js';
import { dataDir, rewriteFile } from './atomic-rewrite.js';
import type { FixOptions, Redactor } from './dispatch.js';
import { redactKeys } from './redact-bytes.js';
import { shq } from '../report/shell-quote.js';

function validJson(line: Buffer): boolean {
  try {
    JSON.parse(line.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

export interface TranscriptRedaction {
  content: Buffer;
  count: number;
  lines: number[];
}

/** The transcript with the keys replaced line by line, or undefined when nothing changes. */
export function redactTranscript(content: Buffer, secrets: ReadonlySet<string>, encoded: boolean): TranscriptRedaction | undefined {
  const wanted = [...secrets].map((s) => Buffer.from(s, 'latin1'));
  const parts: Buffer[] = [];
  const lines: number[] = [];
  let count = 0;
  let start = 0;
  let lineNo = 1;
  while (start <= content.length) {
    let end = content.indexOf(10, start);
    if (end === -1) end = content.length;
    const line = content.subarray(start, end);
    const touched = wanted.some((w) => line.includes(w)) || (encoded && mayContainKey(line));
    const r = touched ? redactKeys(line, secrets, encoded) : undefined;
    if (r) {
      if (validJson(line) && !validJson(r.content)) {
        throw new Error(`redacting line ${lineNo} would make it invalid JSON; the file was left unchanged`);
      }
      parts.push(r.content);
      count += r.count;
      lines.push(lineNo);
    } else {
      parts.push(line);
    }
    if (end < content.length) parts.push(content.subarray(end, end + 1));
    start = end + 1;
    lineNo++;
  }
  return count > 0 ? { content: Buffer.concat(parts), count, lines } : undefined;
}

function linesText(lines: number[]): string {
  const shown = lines.slice(0, 12).join(', ') + (lines.length > 12 ? ', …' : '');
  return `line${lines.length === 1 ? '' : 's'} ${shown}`;
}

async function fix(linkOrPath: string, findings: readonly Finding[], opts: FixOptions): Promise<void> {
  // a linked transcript: its target is rewritten and the link stays a link
  const absPath = await realpath(linkOrPath);
  const secrets = new Set(findings.map((f) => f.secret));
  const encoded = findings.some((f) => f.decoded !== undefined);
  const keys = `${secrets.size} key${secrets.size === 1 ? '' : 's'}`;
  const say = opts.io.stderr;
  if (opts.dryRun) {
    const r = redactTranscript(await readFile(absPath), secrets, encoded);
    say(r ? `keyguard: would redact ${r.count} occurrence${r.count === 1 ? '' : 's'} of ${keys} in ${absPath} (${linesText(r.lines)})\n` : `keyguard: nothing left to redact in ${absPath}\n`);
    return;
  }
  let done: TranscriptRedaction | undefined;
  const result = await rewriteFile(
    absPath,
    (content) => {
      done = redactTranscript(content, secrets, encoded);
      return done?.content;
    },
    { backup: opts.backup, backupDir: `${dataDir(opts.io.env)}/backups`, env: opts.io.env },
  );
  if (!result.changed || !done) {
    say(`keyguard: nothing left to redact in ${absPath}\n`);
    return;
  }
  say(
    `keyguard: redacted ${done.count} occurrence${done.count === 1 ? '' : 's'} of ${keys} in ${absPath} (${linesText(done.lines)}); every line is still valid JSON${result.retries > 0 ? '; the agent wrote to the file meanwhile, so the redaction was redone on the new content' : ''}\n`,
  );
  if (result.backupPath) {
    say(`keyguard: the original is backed up (mode 0600) at ${result.backupPath}; it still holds the key: check the result, then delete it: rm ${shq(result.backupPath)}\n`);
  }
}

const JSONL = /\.(jsonl|ndjson)$/i;

export const transcriptRedactor: Redactor = {
  name: 'agent transcripts (JSON Lines)',
  applies: (absPath, findings) =>
    JSONL.test(absPath) && findings.length > 0 && findings.every((f) => f.kind === 'agent-transcript' && !f.location.path.includes('!')),
  fix,
};
