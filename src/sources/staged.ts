import { UsageError } from '../errors.js';
import type { Source } from '../scan/source.js';

export interface StagedOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function stagedSource(_opts: StagedOptions): Source {
  throw new UsageError('--staged is not implemented yet');
}
