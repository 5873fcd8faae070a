// Codex gives a SessionEnd hook at most 3 s (codex-config.ts CODEX_SESSION_END_TIMEOUT) and then kills
// it. Redacting is measured at ~40 MB/s for an ordinary transcript but ~5 MB/s for one dense with keys
// (every window goes through the engine), on a loaded 2-core machine: a large transcript may not fit.
// So at Codex's SessionEnd, when the files to redact are large, the work goes to a detached keyguard
// (its own session, so Codex's kill of the hook does not reach it) that gets the same SessionEnd on
// stdin and does it inline, with no time limit; the hook answers at once. Usually nothing is left for
// SessionEnd: Codex sends Stop (30 s) at the end of every turn first, and that redacts.
import { childProcess } from '../../builtin.js';
import { stat } from 'node:fs/promises';
import type { AgentName, SessionRef } from './events.js';

/** Set in the detached keyguard's environment: it redacts inline, never detaches again. */
export const AFTER_SESSION_ENV = 'KEYGUARD_AFTER_SESSION';
/** Above this many bytes to search, Codex's SessionEnd hands the work to a detached keyguard (about 2 s at the slowest rate measured). */
export const SESSION_END_INLINE_BYTES = 8 * 1024 * 1024;

async function totalSize(paths: readonly string[]): Promise<number> {
  let total = 0;
  for (const path of paths)
    total += await stat(path).then(
      (s) => s.size,
      () => 0,
    );
  return total;
}

/** Should this cleanup run after the hook answers? Only Codex's SessionEnd, only with much to search, never in the detached run. */
export async function tooLargeForSessionEnd(agent: AgentName, final: boolean, paths: readonly string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  if (agent !== 'codex' || !final || env[AFTER_SESSION_ENV] === '1') return false;
  return (await totalSize(paths)) > SESSION_END_INLINE_BYTES;
}

/**
 * Start `keyguard hook <agent>` detached with the session's SessionEnd on stdin; false when this is no
 * keyguard command line to start again (run in-process, as in a test), and the caller does it inline.
 */
export function finishAfterSession(agent: AgentName, session: SessionRef, env: NodeJS.ProcessEnv): boolean {
  const cli = process.argv[1];
  if (!cli || !/(?:^|[/\\])(?:cli\.c?js|keyguard)$/.test(cli)) return false;
  const child = childProcess().spawn(process.execPath, [cli, 'hook', agent], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env: { ...env, [AFTER_SESSION_ENV]: '1' },
  });
  child.on('error', () => undefined);
  child.stdin.on('error', () => undefined);
  const event = {
    session_id: session.id,
    hook_event_name: 'SessionEnd',
    reason: 'keyguard-after-session',
    ...(session.transcriptPath ? { transcript_path: session.transcriptPath } : {}),
  };
  child.stdin.end(JSON.stringify(event));
  child.unref();
  return true;
}
