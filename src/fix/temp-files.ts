// Files keyguard is in the middle of writing (a temporary file before its rename, a backup being
// copied): if keyguard is stopped by a signal they are removed first (src/interrupt.ts), so Ctrl-C
// never leaves a half-written copy of a key behind.
import { unlinkSync } from 'node:fs';
import { atInterrupt } from '../interrupt.js';

const live = new Set<string>();
let armed = false;

function removeAll(): void {
  for (const path of live) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  live.clear();
}

/** From now until `release`, `path` is removed if keyguard is stopped by a signal. */
export function track(path: string): void {
  live.add(path);
  if (armed) return;
  armed = true;
  atInterrupt(removeAll);
}

/** `path` is finished (renamed into place, or removed): a signal no longer touches it. */
export function release(path: string): void {
  live.delete(path);
}
