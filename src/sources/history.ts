import { UsageError } from '../errors.js';
import type { ScanContext } from '../scan/context.js';
import type { Source } from '../scan/source.js';
import type { Finding } from '../types.js';

export interface HistoryOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  range?: string;
  since?: string;
}

export function historySource(_opts: HistoryOptions): Source {
  throw new UsageError('--history is not implemented yet');
}

export async function annotateExposure(_findings: Finding[], _opts: { cwd: string; env: NodeJS.ProcessEnv }, _ctx: ScanContext): Promise<void> {}
