// --fix for a downloaded export (a zip, or conversations.json / chat.html on their own): the
// original is never changed. A redacted copy is written beside it (`export.redacted.zip`), member by
// member and streaming, so an export larger than memory works too; the copy is mode 0600 and
// appears only once complete (temp file, fsync, rename). Keys are replaced as Latin-1/UTF-8 and as
// UTF-16 (LE and BE) text, each in its own encoding. The copy is then scanned with the reader
// `keyguard scan` uses: a copy that still holds one of the keys (base64-encoded, in an archive
// inside the archive) is not reported clean; the members that still hold one are named, and the
// run exits 2. gzip and tar archives are read but never rewritten: their keys are named as not
// redacted (unrewritableArchive, tried before every other redactor).
import { shownText } from '../report/text.js';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { open, readdir, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { StreamReplacer } from './replace-stream.js';
import { ZipWriter } from './zip-writer.js';
import { ZIP_LIMITS, entriesOf, memberData, memberName, openZipOnDisk } from '../sources/archive/zip.js';
import type { Finding } from '../types.js';
import type { FixOptions, Redactor } from './dispatch.js';
import { KeyTargets } from './redact-bytes.js';
import { writeTemp } from './atomic-rewrite.js';
import { ScanContext } from '../scan/context.js';
import { runScan } from '../scan/pipeline.js';
import { filesSource } from '../sources/files/source.js';
import { encodingsOf, notCopiedRedacted, occurrences } from './messages.js';
import { sniff } from '../sources/files/sniff.js';

/** `export.zip` → `export.redacted.zip`, `conversations.json` → `conversations.redacted.json`. */
export function redactedCopyPath(absPath: string): string {
  const ext = extname(absPath);
  return join(dirname(absPath), `${basename(absPath, ext)}.redacted${ext}`);
}

async function isZip(absPath: string): Promise<boolean> {
  const fh = await open(absPath, 'r');
  try {
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    return head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05);
  } finally {
    await fh.close();
  }
}

async function* replaced(stream: Readable, replacer: StreamReplacer): AsyncGenerator<Buffer> {
  for await (const piece of stream) {
    const out = replacer.push(piece as Buffer);
    if (out.length > 0) yield out;
  }
  const last = replacer.end();
  if (last.length > 0) yield last;
}

async function copyZip(absPath: string, fh: FileHandle, replacer: StreamReplacer): Promise<void> {
  const zip = await openZipOnDisk(absPath);
  const writer = new ZipWriter(fh);
  try {
    for await (const entry of entriesOf(zip)) {
      const name = memberName(entry);
      if (name.endsWith('/')) continue;
      if (entry.isEncrypted()) throw new Error(`member ${name} is encrypted and cannot be read, so no redacted copy was written`);
      const ratio = entry.compressedSize > 0 ? entry.uncompressedSize / entry.compressedSize : Infinity;
      if (entry.uncompressedSize > ZIP_LIMITS.maxMemberBytes || (entry.uncompressedSize > 1048576 && ratio > ZIP_LIMITS.maxRatio)) {
        throw new Error(`member ${name} looks like a zip bomb (${entry.uncompressedSize} bytes at ${Math.round(ratio)}:1), so no redacted copy was written`);
      }
      await writer.add(name, replaced(memberData(zip, entry), replacer), entry.getLastModDate());
    }
    await writer.finish();
  } finally {
    zip.close();
  }
}

async function copyPlain(absPath: string, fh: FileHandle, replacer: StreamReplacer): Promise<void> {
  let offset = 0;
  for await (const out of replaced(createReadStream(absPath), replacer)) {
    await fh.write(out, 0, out.length, offset);
    offset += out.length;
  }
}

/** Copies written by this run: a second redaction of the same export builds on the first. */
const written = new Set<string>();

/** Write the redacted copy of `absPath` at its `.redacted` name; returns the replacements made (none: no copy). */
async function writeCopy(absPath: string, secrets: readonly string[], keepEmpty: boolean): Promise<{ target: string; count: number }> {
  const target = redactedCopyPath(absPath);
  const source = written.has(target) ? target : absPath;
  const replacer = new StreamReplacer(new KeyTargets(new Set(secrets)).needles.map((n) => [n.from, n.to] as const));
  const zip = await isZip(source);
  const tmp = await writeTemp(target, 0o600, (fh) => (zip ? copyZip(source, fh, replacer) : copyPlain(source, fh, replacer)));
  if (replacer.count === 0 && !keepEmpty) await tmp.discard();
  else {
    await tmp.commit();
    written.add(target);
  }
  return { target, count: replacer.count };
}

/** Where the copy still holds one of `secrets`, by the scan's own reader: member names (the copy itself: ''). */
async function stillHeld(copy: string, secrets: readonly string[], opts: FixOptions): Promise<string[]> {
  const ctx = new ScanContext(opts.ctx.ownKeys);
  const wanted = new Set(secrets);
  const findings = await runScan(filesSource({ paths: [copy], cwd: dirname(copy), env: opts.io.env, ignoreRoot: dirname(copy) }), ctx);
  if (ctx.errors.length > 0) {
    throw new Error(`the redacted copy ${shownText(copy)} could not be checked: ${ctx.errors.map((e) => e.message).join('; ')}`);
  }
  const places = findings.filter((f) => wanted.has(f.secret)).map((f) => f.location.path.split('!').slice(1).join('!'));
  return [...new Set(places)];
}

/** Scan each copy written; name what still holds a key, and fail. */
async function verify(copies: readonly string[], secrets: readonly string[], opts: FixOptions): Promise<void> {
  const bad: string[] = [];
  for (const copy of copies) {
    const places = await stillHeld(copy, secrets, opts);
    if (places.length === 0) continue;
    const where = places.some((p) => p !== '') ? ` in ${places.map((p) => (p === '' ? '(the file itself)' : p)).join(', ')}` : '';
    opts.io.stderr(
      `keyguard: NOT REDACTED: ${shownText(copy)} still holds a key${where}; keyguard could not rewrite it there: do not take this copy for clean\n`,
    );
    bad.push(`${shownText(copy)}${where}`);
  }
  if (bad.length > 0) throw new Error(`the redacted copy still holds a key: ${bad.join('; ')}`);
}

/** An extracted ChatGPT export: a key in conversations.json is reported once for chat.html too. */
const SIBLINGS = /^(conversations(-\d+)?\.json|chat\.html)$/i;

async function siblingsOf(absPath: string): Promise<string[]> {
  if (!SIBLINGS.test(basename(absPath))) return [];
  const names = await readdir(dirname(absPath)).catch(() => [] as string[]);
  return names.filter((n) => SIBLINGS.test(n) && n !== basename(absPath)).map((n) => join(dirname(absPath), n));
}

async function fix(absPath: string, findings: readonly Finding[], opts: FixOptions): Promise<void> {
  const say = opts.io.stderr;
  const secrets = [...new Set(findings.map((f) => f.secret))];
  const keys = `${secrets.length} key${secrets.length === 1 ? '' : 's'}`;
  const inArchive = findings.some((f) => f.location.path.includes('!'));
  const siblings = inArchive ? [] : await siblingsOf(absPath);
  if (opts.dryRun) {
    say(
      `keyguard: would write a redacted copy of ${shownText(absPath)} to ${shownText(redactedCopyPath(absPath))} (${keys}); the original would stay as it is\n`,
    );
    for (const s of siblings) say(`keyguard: would write a redacted copy of ${shownText(s)} too if it holds any of these keys\n`);
    return;
  }
  const main = await writeCopy(absPath, secrets, true);
  say(
    `keyguard: wrote a redacted copy of ${shownText(absPath)} to ${shownText(main.target)} (${main.count} occurrence${main.count === 1 ? '' : 's'} of ${keys} replaced); the original is unchanged\n`,
  );
  const copies = [main.target];
  for (const s of siblings) {
    const copy = await writeCopy(s, secrets, false);
    if (copy.count > 0) {
      say(`keyguard: the same export's ${shownText(basename(s))} holds them too: wrote ${shownText(copy.target)} (${occurrences(copy.count)} replaced)\n`);
      copies.push(copy.target);
    }
  }
  const nested = findings.filter((f) => f.location.path.split('!').length > 2);
  const joined = findings.filter((f) => f.decoded === 'joined');
  const encoded = findings.filter((f) => f.decoded !== undefined && f.decoded !== 'joined');
  if (nested.length > 0)
    say(
      `keyguard: note: ${nested.length} key occurrence${nested.length === 1 ? ' is' : 's are'} inside an archive within the archive and ${nested.length === 1 ? 'was' : 'were'} copied unredacted\n`,
    );
  if (encoded.length > 0) say(`keyguard: note: ${notCopiedRedacted(encoded.length, `written ${encodingsOf(encoded)}`)}\n`);
  if (joined.length > 0) say(`keyguard: note: ${notCopiedRedacted(joined.length, 'split into pieces (found by joining them)')}\n`);
  await verify(copies, secrets, opts);
  say(
    `keyguard: check the copy, then delete the original export and every other copy of it (mail attachment, Downloads, cloud drive); delete the conversations in the service too\n`,
  );
}

export const archiveRedactor: Redactor = {
  name: 'downloaded chat exports',
  applies: (_absPath, findings) => {
    if (findings.length === 0) return false;
    const inArchive = findings.some((f) => f.location.path.includes('!'));
    if (inArchive) return findings.some((f) => f.kind === 'chat-export' || f.kind === 'agent-transcript');
    return findings.every((f) => f.kind === 'chat-export');
  },
  fix,
};

/** The first bytes of a file; none when it cannot be read (the redactor that applies will say why). */
function headOf(absPath: string, bytes: number): Buffer {
  try {
    const fd = openSync(absPath, 'r');
    try {
      const buf = Buffer.alloc(bytes);
      return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return Buffer.alloc(0);
  }
}

/** A gzip's first inflated bytes, enough to see a tar header. */
async function inflatedHead(absPath: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  const stream = createReadStream(absPath).pipe(createGunzip());
  try {
    for await (const piece of stream) {
      parts.push(piece as Buffer);
      n += (piece as Buffer).length;
      if (n >= 512) break;
    }
  } catch {
    // a corrupt gzip is still a gzip
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts);
}

async function notRedacted(absPath: string, findings: readonly Finding[], opts: FixOptions): Promise<void> {
  const gzip = sniff(headOf(absPath, 512)) === 'gzip';
  const kind = !gzip || sniff(await inflatedHead(absPath)) === 'tar' ? 'tar' : 'gzip';
  const keys = new Set(findings.map((f) => f.secret)).size;
  const members = [...new Set(findings.map((f) => f.location.path.slice(f.location.path.indexOf('!') + 1)).filter((m) => m !== ''))];
  const where = members.length > 0 ? ` (in ${members.join(', ')})` : '';
  const what = `${shownText(absPath)}${shownText(where)}: ${keys} key${keys === 1 ? '' : 's'}`;
  if (opts.dryRun) {
    opts.io.stderr(`keyguard: would not redact ${what}: keyguard does not rewrite ${kind} archives\n`);
    return;
  }
  const advice = keys === 1 ? 'revoke the key, then rebuild the archive without it' : 'revoke the keys, then rebuild the archive without them';
  opts.io.stderr(`keyguard: NOT REDACTED: ${what}; keyguard does not rewrite ${kind} archives: ${advice}\n`);
  throw new Error(`not redacted: keyguard does not rewrite ${kind} archives${shownText(where)}`);
}

/**
 * Keys inside gzip and tar archives (`app.log.gz!`, `backup.tar.gz!home/app/.env`): keyguard reads
 * them but does not write them, so each is named as not redacted (exit 2) instead of being handed
 * to a redactor that would rewrite compressed bytes or claim there was nothing to redact.
 */
export const unrewritableArchive: Redactor = {
  name: 'gzip and tar archives',
  applies: (absPath, findings) => {
    if (!findings.some((f) => f.location.path.includes('!'))) return false;
    const kind = sniff(headOf(absPath, 512));
    return kind === 'gzip' || kind === 'tar';
  },
  fix: notRedacted,
};
