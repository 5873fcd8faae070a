// All error classes, and the one mapping from outcome to exit code.

export const ExitCode = {
  clean: 0,
  findings: 1,
  error: 2,
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

/** An archive inflates past the bomb limits (src/sources/archive/limits.ts): the rest is refused. */
export class ArchiveBombError extends SourceError {
  override name = 'ArchiveBombError';
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
 * Exit code for an exception that escaped a command: every kind (usage, configuration, unreadable
 * input, git, a hook that could not be installed, a bug) is 2, so a hook never passes because
 * something broke. (Ctrl-C is not an exit code: keyguard dies of the signal, see src/interrupt.ts.)
 */
export function exitCodeForError(): ExitCode {
  return ExitCode.error;
}
