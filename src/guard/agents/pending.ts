// What keyguard blocked in a session, kept until a later event of the same session (Stop, SessionEnd,
// the next prompt) redacts the copies the agent wrote to disk meanwhile (redact-copies.ts). A record
// holds fingerprints and paths, never a key: the key is found again in those files by its fingerprint.
//
// One file per block in a folder per session, written whole under a temporary name and renamed into
// place: hooks of one session run at the same time (Claude Code starts matching hooks in parallel),
// and none may lose another's record or read half of one. Finding nothing costs one readdir.
import { nodeCrypto } from '../../builtin.js';
import { sha256Hex } from '../../engine/sha256.js';
import { chmod, lstat, mkdir, readFile, readdir, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { homeOf, xdgDir } from '../../discover/home.js';
import type { AgentName } from './events.js';
import { exists } from '../../exists.js';
import { writeTemp } from '../../fix/atomic-rewrite.js';

export interface PendingRecord {
  version: 1;
  agent: AgentName;
  sessionId: string;
  /** fingerprints of the keys blocked (src/engine/fingerprint.ts) */
  fingerprints: string[];
  /** absolute paths of the files the agent writes them to */
  files: string[];
  /** when the block happened (ISO time) */
  at: string;
  /** the session's transcript, when the event named one: a record whose transcript is gone is dropped (pruneStale) */
  transcript?: string;
}

export interface Where {
  env: NodeJS.ProcessEnv;
  cwd: string;
  platform: NodeJS.Platform;
}

/** $XDG_STATE_HOME/keyguard/pending-redactions (~/.local/state/…); undefined without a home. */
export function pendingRoot(where: Where): string | undefined {
  const home = homeOf(where.env, where.platform);
  const xdg = where.env.XDG_STATE_HOME;
  const state = home ? xdgDir(where.env, 'XDG_STATE_HOME', home) : xdg && isAbsolute(xdg) ? xdg : undefined;
  return state ? join(state, 'keyguard', 'pending-redactions') : undefined;
}

/** The session's folder: named by a hash, since a session id is the agent's text, not a file name. */
export function sessionDir(root: string, agent: AgentName, sessionId: string): string {
  return join(root, `${agent}-${sha256Hex(sessionId).slice(0, 32)}`);
}

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
}

/** The records waiting in `dir`, by file name; none when the folder does not exist (the common case). */
export async function pendingNames(dir: string): Promise<string[]> {
  return (await names(dir)).filter((n) => n.endsWith('.json')).sort();
}

/** The sessions' folders under the root: one readdir, empty when nothing is waiting anywhere (the common case). */
export async function sessionNames(root: string): Promise<string[]> {
  return (await names(root)).filter((n) => !n.startsWith('.'));
}

/** A record older than this is dropped at any session's next event: its session was killed before a later event came. */
export const MAX_RECORD_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/**
 * A record whose transcript does not exist is dropped once it is this old: a transcript that is missing
 * now may not be written yet (Claude Code writes it after the prompt hook), but after an hour it is gone.
 */
export const MISSING_TRANSCRIPT_GRACE_MS = 60 * 60 * 1000;

/** When a record was written: from its name (addRecord puts the time first), else from the file. */
async function recordTime(path: string, name: string): Promise<number> {
  const m = /^(\d{15})-[0-9a-f]+\.json$/.exec(name);
  return m ? Number(m[1]) : (await stat(path)).mtimeMs;
}

/**
 * Drop the records of other sessions that no later event will clean up: older than MAX_RECORD_AGE_MS,
 * or naming a transcript that no longer exists. A record is read only when it is older than the grace.
 */
export async function pruneStale(root: string, sessions: readonly string[], now = Date.now()): Promise<number> {
  let dropped = 0;
  for (const session of sessions) {
    const dir = join(root, session);
    const stale: string[] = [];
    for (const name of await pendingNames(dir).catch(() => [])) {
      const path = join(dir, name);
      try {
        const age = now - (await recordTime(path, name));
        if (age > MAX_RECORD_AGE_MS) stale.push(name);
        else if (age > MISSING_TRANSCRIPT_GRACE_MS) {
          const [record] = await readRecords(dir, [name]);
          if (record?.transcript !== undefined && !(await exists(record.transcript))) stale.push(name);
        }
      } catch {
        // gone meanwhile: the session's own event cleaned up
      }
    }
    if (stale.length > 0) {
      await dropRecords(dir, stale);
      dropped += stale.length;
    }
  }
  return dropped;
}

/** mkdir 0700 (exactly: the umask could take more), or check that what is there is a folder of ours. */
async function privateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { mode: 0o700 });
    await chmod(dir, 0o700);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (!(await lstat(dir)).isDirectory()) throw new Error(`${dir} is not a directory: no record is written through it`);
  }
}

export async function addRecord(root: string, record: PendingRecord): Promise<void> {
  const keyguard = dirname(root);
  await mkdir(dirname(keyguard), { recursive: true });
  for (const dir of [keyguard, root]) await privateDir(dir);
  const dir = sessionDir(root, record.agent, record.sessionId);
  await privateDir(dir);
  const name = `${Date.now().toString().padStart(15, '0')}-${nodeCrypto().randomBytes(6).toString('hex')}`;
  const temp = await writeTemp(join(dir, `${name}.json`), 0o600, (fh) => fh.writeFile(`${JSON.stringify(record)}\n`));
  await temp.commit();
}

function isRecord(v: unknown): v is PendingRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  const strings = (a: unknown) => Array.isArray(a) && a.every((s) => typeof s === 'string');
  return r.version === 1 && typeof r.sessionId === 'string' && strings(r.fingerprints) && strings(r.files);
}

/** The records named; one that cannot be read or parsed is left out (and dropped with the others). */
export async function readRecords(dir: string, names: readonly string[]): Promise<PendingRecord[]> {
  const out: PendingRecord[] = [];
  for (const name of names) {
    try {
      const v: unknown = JSON.parse(await readFile(join(dir, name), 'utf8'));
      if (isRecord(v)) out.push(v);
    } catch {
      // gone meanwhile (another hook of the session cleaned up), or not ours
    }
  }
  return out;
}

/** Remove the records named, and the session's folder once it is empty (a record added meanwhile keeps it). */
export async function dropRecords(dir: string, names: readonly string[]): Promise<void> {
  for (const name of names) await unlink(join(dir, name)).catch(() => undefined);
  await rmdir(dir).catch(() => undefined);
}
