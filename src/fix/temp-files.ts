// Files keyguard is in the middle of writing (a temporary file before its rename, a backup being
// copied): on SIGINT, SIGTERM or SIGHUP they are removed before keyguard dies, so Ctrl-C never leaves a
// half-written copy of a key behind. This reaches `process` outside the cli on purpose: only a signal
// listener can run at that moment. Like src/git/process.ts, the listener removes itself and re-raises
// the signal when no other listener is left (a shell then reports 130 for SIGINT); if another one is
// still there (git children to end), that one has its own way out.
import { unlinkSync } from 'node:fs';

const live = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let armed = false;

function onSignal(signal: NodeJS.Signals): void {
  for (const path of live) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  live.clear();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  armed = false;
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

/** From now until `release`, `path` is removed if keyguard is stopped by a signal. */
export function track(path: string): void {
  live.add(path);
  if (armed) return;
  armed = true;
  for (const s of SIGNALS) process.on(s, onSignal);
}

/** `path` is finished (renamed into place, or removed): a signal no longer touches it. */
export function release(path: string): void {
  live.delete(path);
}
