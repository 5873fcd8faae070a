// All error classes, and the one mapping from outcome to exit code.

export const ExitCode = {
  clean: 0,
  findings: 1,
  error: 2,
  /** 128 + SIGINT, as shells report a program stopped by Ctrl-C */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The user asked for something that cannot work (bad flag, missing path, bad config). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Something that should have been read could not be (fail closed: exit 2). */
export class SourceError extends Error {
  override name = 'SourceError';
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** A git command failed. */
export class GitError extends SourceError {
  override name = 'GitError';
}

/** The user stopped the run (SIGINT/SIGTERM): nothing may be reported as scanned clean. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  constructor(readonly signal: NodeJS.Signals) {
    super(`stopped by ${signal}`);
  }
}

/** Installing or removing a hook could not be done safely. */
export class HookError extends Error {
  override name = 'HookError';
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'ENOENT') return 'no such file or directory';
    if (code === 'EISDIR') return 'is a directory';
    if (code === 'ELOOP') return 'symbolic link loop';
    return err.message;
  }
  return String(err);
}

/** Exit code for a finished run: errors win over findings, so a hook never passes on a failure. */
export function exitCodeFor(outcome: { findings: number; errors: number }): ExitCode {
  if (outcome.errors > 0) return ExitCode.error;
  if (outcome.findings > 0) return ExitCode.findings;
  return ExitCode.clean;
}

/**
 * Exit code for an exception that escaped a command. Every failure is 2 (usage, configuration,
 * unreadable input, git, a hook that could not be installed, a bug): a hook must never pass
 * because something broke. Only an interruption by the user says so with its own code.
 */
export function exitCodeForError(err: unknown): ExitCode {
  return err instanceof InterruptedError ? ExitCode.interrupted : ExitCode.error;
}
