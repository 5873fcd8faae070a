// --fix for agent transcripts and prompt histories (JSON Lines): keys overwritten in place, same
// length (in-place.ts: 0600 backup, read-check-write, fsync; an agent appending to the file
// meanwhile loses nothing). The replacement holds only letters, digits and `-`, so it needs no
// escaping at any depth of JSON inside JSON strings; each changed line is parsed again before
// anything is written, and nothing is written if a line that was valid JSON would stop being so.
import { shownText } from '../report/text.js';
import { backupDir } from './backup.js';
import { realpath } from 'node:fs/promises';
import type { Finding } from '../types.js';
import type { FixOptions, Redactor } from './dispatch.js';
import { bufferHits, type LineCheck } from './file-hits.js';
import { joinedKeysLeft, planInPlace, redactInPlace } from './in-place.js';
import { afterRedaction, backupNotes, occurrences } from './messages.js';
import { applyHits, KeyTargets, placesOf } from './redact-bytes.js';
import { jsonPieceHits } from './json-pieces.js';

function validJson(line: Buffer): boolean {
  try {
    JSON.parse(line.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/** Refuses a redaction that makes a valid JSON line invalid (it cannot, by the marker's alphabet: a guard). */
export const jsonLineCheck: LineCheck = (before, after, line) =>
  validJson(before) && !validJson(after) ? `redacting line ${line} would make it invalid JSON, so keyguard stopped before writing it` : undefined;

export interface TranscriptRedaction {
  content: Buffer;
  count: number;
  lines: number[];
}

/** The transcript with the keys replaced (same length), or undefined when nothing changes. */
export function redactTranscript(content: Buffer, secrets: ReadonlySet<string>, encoded: boolean): TranscriptRedaction | undefined {
  const hits = bufferHits(content, new KeyTargets(secrets, encoded), jsonLineCheck);
  if (hits.length === 0) return undefined;
  return { content: applyHits(content, hits), count: placesOf(hits), lines: [...new Set(hits.map((h) => h.line))] };
}

/** Keys joined from pieces inside JSON strings: their pieces are found by reading the strings as the scan did. */
function targetsFor(findings: readonly Finding[]): KeyTargets {
  const joined = new Set(findings.filter((f) => f.decoded === 'joined').map((f) => f.secret));
  const encoded = findings.some((f) => f.decoded !== undefined);
  const secrets = new Set(findings.map((f) => f.secret));
  return joined.size > 0 ? new KeyTargets(secrets, encoded, (buf) => jsonPieceHits(buf, joined)) : new KeyTargets(secrets, encoded);
}

/** A joined key --fix could not find the pieces of is still in the file: said, never passed over as redacted. */
async function piecesLeft(path: string, findings: readonly Finding[]): Promise<void> {
  const left = await joinedKeysLeft(path, findings);
  if (left.length === 0) return;
  const lines = [...new Set(left.map((f) => f.location.line))].sort((a, b) => a - b);
  throw new Error(
    `${left.length} key${left.length === 1 ? '' : 's'} split into pieces (${linesText(lines)}) ${left.length === 1 ? 'is' : 'are'} still in ${shownText(path)}: ` +
      'keyguard could not overwrite every piece in place; delete the message holding it in the agent, or edit the line by hand',
  );
}

function linesText(lines: number[]): string {
  const shown = lines.slice(0, 12).join(', ') + (lines.length > 12 ? ', …' : '');
  return `line${lines.length === 1 ? '' : 's'} ${shown}`;
}

async function fix(linkOrPath: string, findings: readonly Finding[], opts: FixOptions): Promise<void> {
  // a linked transcript: its target is redacted and the link stays a link
  const absPath = await realpath(linkOrPath);
  const targets = targetsFor(findings);
  const keys = `${targets.secrets.size} key${targets.secrets.size === 1 ? '' : 's'}`;
  const say = opts.io.stderr;
  const shown = shownText(absPath);
  if (opts.dryRun) {
    const r = await planInPlace(absPath, targets, jsonLineCheck);
    if (r.refusal) {
      say(`keyguard: would not redact ${keys}: ${r.refusal}\n`);
      return;
    }
    const would = `keyguard: would redact ${occurrences(r.count)} of ${keys} in ${shown} (${linesText(r.lines)})\n`;
    say(r.count > 0 ? would : `keyguard: nothing left to redact in ${shown}\n`);
    return;
  }
  const result = await redactInPlace(absPath, targets, {
    backup: opts.backup,
    ...(opts.backup ? { backupDir: backupDir(opts.io) } : {}),
    check: jsonLineCheck,
  });
  if (result.count === 0) {
    await piecesLeft(absPath, findings);
    say(`keyguard: nothing left to redact in ${shown}\n`);
    return;
  }
  const more = afterRedaction(result, 'the agent wrote to the file meanwhile');
  say(`keyguard: redacted ${occurrences(result.count)} of ${keys} in ${shown} (${linesText(result.lines)}); every line is still valid JSON${more}\n`);
  say(backupNotes(result));
  await piecesLeft(absPath, findings);
}

const JSONL = /\.(jsonl|ndjson)$/i;

export const transcriptRedactor: Redactor = {
  name: 'agent transcripts (JSON Lines)',
  applies: (absPath, findings) =>
    JSONL.test(absPath) && findings.length > 0 && findings.every((f) => f.kind === 'agent-transcript' && !f.location.path.includes('!')),
  fix,
};
