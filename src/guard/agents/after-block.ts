// After a block, the agent still writes what was blocked to its own files (reference/prevention.md
// A3): Claude Code the blocked prompt to its transcript, both agents a denied tool call's input and the
// withheld output of a tool to their transcripts, Codex's TUI the prompt to $CODEX_HOME/history.jsonl.
// Codex also keeps a tool's raw output in its SQLite databases under $CODEX_HOME (redact-sqlite.ts).
// Those files are written after the hook answers, so they are cleaned at a later event of the same
// session: the end of the turn (Stop), the end of the session (SessionEnd), or the next prompt.
// Records a killed session left behind are dropped at any session's next event (pending.ts pruneStale).
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { agentHome } from '../../discover/home.js';
import type { OwnKeyIndex } from '../../engine/own-keys.js';
import type { AgentName, SessionRef } from './events.js';
import { addRecord, dropRecords, pendingNames, pendingRoot, pruneStale, readRecords, sessionDir, sessionNames, type Where } from './pending.js';
import type { FileCleanup } from './redact-copies.js';

/** The records waiting for a session, found with one readdir (nothing else is read when there are none). */
export interface Pending {
  dir: string;
  names: string[];
}

export async function pendingFor(agent: AgentName, session: SessionRef, where: Where): Promise<Pending | undefined> {
  const root = pendingRoot(where);
  if (!root || !session.id) return undefined;
  const sessions = await sessionNames(root);
  if (sessions.length === 0) return undefined;
  const dir = sessionDir(root, agent, session.id);
  const others = sessions.filter((s) => s !== basename(dir));
  if (others.length > 0) await pruneStale(root, others).catch(() => undefined);
  if (others.length === sessions.length) return undefined;
  const names = await pendingNames(dir);
  return names.length > 0 ? { dir, names } : undefined;
}

/** Codex's databases: measured on 0.171, thread_history_1.sqlite holds a tool's output; any other may, in a later version. */
async function codexDatabases(home: string): Promise<string[]> {
  const names = await readdir(home).catch(() => []);
  return names.filter((n) => n.endsWith('.sqlite')).map((n) => join(home, n));
}

/** The files the agent writes a blocked prompt, tool input or tool output to. */
async function copiesOf(agent: AgentName, session: SessionRef, where: Where): Promise<string[]> {
  const files = session.transcriptPath ? [session.transcriptPath] : [];
  if (agent === 'codex') {
    const home = agentHome(where.env, where.cwd, where.platform, 'CODEX_HOME', '.codex');
    if (home) files.push(join(home.path, 'history.jsonl'), ...(await codexDatabases(home.path)));
  }
  return files;
}

/** Note what was blocked (fingerprints and file paths, never the key), for a later event to clean up. */
export async function recordBlock(agent: AgentName, session: SessionRef, fingerprints: readonly string[], where: Where): Promise<void> {
  const root = pendingRoot(where);
  if (!root || !session.id || fingerprints.length === 0) return;
  await addRecord(root, {
    version: 1,
    agent,
    sessionId: session.id,
    fingerprints: [...fingerprints],
    files: await copiesOf(agent, session, where),
    at: new Date().toISOString(),
    ...(session.transcriptPath ? { transcript: session.transcriptPath } : {}),
  });
}

export interface CleanupReport {
  files: FileCleanup[];
  /** files that could not be redacted, with why (the records stay for a later event) */
  errors: string[];
  /** handed to a detached keyguard: too much to redact within Codex's SessionEnd limit (after-session.ts) */
  detached?: boolean;
}

/**
 * Redact the session's blocked keys in every file they were recorded for (and the event's own
 * transcript). The records go once every file was searched without an error; a file that does not
 * exist yet keeps them until the session ends (`final`), when they go whatever happened.
 */
export async function cleanUp(
  agent: AgentName,
  session: SessionRef,
  pending: Pending,
  ownKeys: OwnKeyIndex | undefined,
  final: boolean,
  env: NodeJS.ProcessEnv,
): Promise<CleanupReport> {
  const records = (await readRecords(pending.dir, pending.names)).filter((r) => r.agent === agent && r.sessionId === session.id);
  const fingerprints = new Set(records.flatMap((r) => r.fingerprints));
  const paths = [...new Set([...records.flatMap((r) => r.files), ...(session.transcriptPath ? [session.transcriptPath] : [])])];
  const report: CleanupReport = { files: [], errors: [] };
  let waiting = false;
  if (fingerprints.size > 0 && final) {
    const { finishAfterSession, tooLargeForSessionEnd } = await import('./after-session.js');
    if ((await tooLargeForSessionEnd(agent, final, paths, env)) && finishAfterSession(agent, session, env)) return { ...report, detached: true };
  }
  if (fingerprints.size > 0) {
    // loaded only here: the prompt event, which asks pendingFor() every time, stays as light as before
    const { redactCopies } = await import('./redact-copies.js');
    // databases last: the transcript and history.jsonl come first within the event's time limit
    const { isDatabase, redactDatabase } = await import('./redact-sqlite.js');
    for (const path of [...paths.filter((p) => !isDatabase(p)), ...paths.filter(isDatabase)]) {
      try {
        const done = isDatabase(path) ? await redactDatabase(path, fingerprints, ownKeys, env) : await redactCopies(path, fingerprints, ownKeys);
        report.files.push(done);
        // a database left alone (no sqlite3 program) is said, as an error: nothing else would tell the user
        if (done.refused && isDatabase(path)) report.errors.push(`${path}: ${done.refused}`);
        // the transcript not written yet: the next event looks again
        if (done.missing && path === session.transcriptPath) waiting = true;
      } catch (err) {
        report.errors.push(`${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  if (final || (report.errors.length === 0 && !waiting)) await dropRecords(pending.dir, pending.names);
  return report;
}
