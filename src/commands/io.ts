// What a command may touch of the outside world. Only run.ts builds one from `process`.
export interface Io {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** which operating system's conventions apply (where homes and profiles are) */
  platform: NodeJS.Platform;
  /** all of stdin as bytes (git hands push hooks their refs there); undefined when stdin is a terminal */
  readStdin?: () => Promise<Buffer | undefined>;
}

/** A command: arguments after its name in, exit code out. */
export type Command = (args: string[], io: Io) => Promise<number>;
