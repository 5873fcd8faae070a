import type { Chunk } from '../types.js';
import type { ScanContext } from './context.js';

/** A kind of place text comes from. It counts what it reads and reports what it cannot into the context. */
export type Source = (ctx: ScanContext) => AsyncIterable<Chunk>;
