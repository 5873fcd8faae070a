// A line-based history format as the FormatReader the format registry hands files to.
import type { FormatReader } from '../files/formats.js';
import { readEntries, type EntryFormat } from './entries.js';

export function entryReader(format: EntryFormat): FormatReader {
  return { name: format.name, read: (file, ctx) => readEntries(file, ctx, format) };
}
