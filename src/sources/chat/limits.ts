// What bounds the chat readers' memory in one run: the JSON scanner's sizes and the JSONL line length.
// The defaults suit real files; a run may lower them (tests do, to reach the large-file paths with small
// files). They travel with the run's context, never as module state.
import type { JsonScanLimits } from './json-scan.js';

export interface ChatLimits extends JsonScanLimits {
  /** a JSONL line longer than this is parsed while it streams instead of being held */
  jsonlLine: number;
}

export const DEFAULT_JSONL_LINE = 32 << 20;
