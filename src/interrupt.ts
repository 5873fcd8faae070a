// What must happen before keyguard dies of a signal or exits: git children ended, half-written
// temporary files and backups removed. One listener per signal for the whole program, so the clean-up
// steps cannot race each other for who re-raises. This is the one module besides run.ts that reaches
// `process`, on purpose: only a listener installed on it runs at that moment.
//
// After the clean-up the listener removes itself and raises the same signal again, so keyguard dies
// of it as a program interrupted by Ctrl-C should (a shell reports 130, a hook counts as failed).

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const steps = new Set<() => void>();
let armed = false;

function runSteps(): void {
  for (const step of steps) {
    try {
      step();
    } catch {
      // one failed clean-up must not stop the others
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runSteps();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}

/** Run `step` (synchronous) when keyguard is stopped by a signal or exits. Listeners do not keep the event loop alive. */
export function atInterrupt(step: () => void): void {
  steps.add(step);
  if (armed) return;
  armed = true;
  process.on('exit', runSteps);
  for (const s of SIGNALS) process.on(s, onSignal);
}
