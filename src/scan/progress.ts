// Progress on stderr, only when stderr is a terminal and not in CI: never in pipes or logs.
export interface ProgressCounters {
  files: number;
  bytes: number;
  commits: number;
}

export class Progress {
  private last = 0;
  private shown = false;
  /** set by sources that know the total (e.g. commits in a history walk) */
  total?: number;
  findings = 0;

  constructor(private readonly write: (s: string) => void) {}

  update(c: ProgressCounters): void {
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    this.shown = true;
    const mb = (c.bytes / 1048576).toFixed(1);
    const commits = c.commits > 0 ? `${c.commits}${this.total ? `/${this.total}` : ''} commits, ` : '';
    this.write(`\r\x1b[2Kkeyguard: ${commits}${c.files} files, ${mb} MB, ${this.findings} findings`);
  }

  done(): void {
    if (this.shown) this.write('\r\x1b[2K');
  }
}

export function progressFor(isTTY: boolean, env: NodeJS.ProcessEnv, write: (s: string) => void): Progress | undefined {
  if (!isTTY || env.CI || env.KEYGUARD_NO_PROGRESS) return undefined;
  return new Progress(write);
}
