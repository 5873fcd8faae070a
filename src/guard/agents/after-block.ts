// After a block, the agent still writes what was blocked to its own files (reference/prevention.md
// A3): Claude Code the blocked prompt to its transcript, both agents a denied tool call's input and the
// withheld output of a tool to their transcripts, Codex's TUI the prompt to $CODEX_HOME/history.jsonl.
// Those files are written after the hook answers, so they are cleaned at a later event of the same
// session: the end of the turn (Stop), the end of the session (SessionEnd), or the next prompt.
import { join } from 'node:path';
import { agentHome } from '../../discover/home.js';
import type { OwnKeyIndex } from '../../engine/own-keys.js';
import type { AgentName, SessionRef } from './events.js';
import { addRecord, dropRecords, pendingNames, pendingRoot, readRecords, sessionDir, type Where } from './pending.js';
import type { FileCleanup } from './redact-copies.js';

/** The records waiting for a session, found with one readdir (nothing else is read when there are none). */
export interface Pending {
  dir: string;
  names: string[];
}

export async function pendingFor(agent: AgentName, session: SessionRef, where: Where): Promise<Pending | undefined> {
  const root = pendingRoot(where);
  if (!root || !session.id) return undefined;
  const dir = sessionDir(root, agent, session.id);
  const names = await pendingNames(dir);
  return names.length > 0 ? { dir, names } : undefined;
}

/** The files the agent writes a blocked prompt, tool input or tool output to. */
function copiesOf(agent: AgentName, session: SessionRef, where: Where): string[] {
  const files = session.transcriptPath ? [session.transcriptPath] : [];
  if (agent === 'codex') {
    const home = agentHome(where.env, where.cwd, where.platform, 'CODEX_HOME', '.codex');
    if (home) files.push(join(home.path, 'history.jsonl'));
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
    files: copiesOf(agent, session, where),
    at: new Date().toISOString(),
  });
}

export interface CleanupReport {
  files: FileCleanup[];
  /** files that could not be redacted, with why (the records stay for a later event) */
  errors: string[];
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
): Promise<CleanupReport> {
  const records = (await readRecords(pending.dir, pending.names)).filter((r) => r.agent === agent && r.sessionId === session.id);
  const fingerprints = new Set(records.flatMap((r) => r.fingerprints));
  const paths = [...new Set([...records.flatMap((r) => r.files), ...(session.transcriptPath ? [session.transcriptPath] : [])])];
  const report: CleanupReport = { files: [], errors: [] };
  let waiting = false;
  if (fingerprints.size > 0) {
    // loaded only here: the prompt event, which asks pendingFor() every time, stays as light as before
    const { redactCopies } = await import('./redact-copies.js');
    for (const path of paths) {
      try {
        const done = await redactCopies(path, fingerprints, ownKeys);
        report.files.push(done);
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
