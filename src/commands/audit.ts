import { UsageError } from '../errors.js';
import type { Io } from './io.js';

export async function auditCommand(_args: string[], _io: Io): Promise<number> {
  throw new UsageError('not implemented yet');
}
