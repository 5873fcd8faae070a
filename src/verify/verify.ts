import { UsageError } from '../errors.js';
import type { Finding } from '../types.js';

export async function verifyFindings(_findings: Finding[], _opts: { env: NodeJS.ProcessEnv; stderr: (s: string) => void }): Promise<void> {
  throw new UsageError('--verify is not implemented yet');
}
