import { UsageError } from '../errors.js';
import type { Io } from './io.js';

export async function installCommand(_args: string[], _io: Io): Promise<number> {
  throw new UsageError('not implemented yet');
}

export async function uninstallCommand(_args: string[], _io: Io): Promise<number> {
  throw new UsageError('not implemented yet');
}
