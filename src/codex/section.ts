// The Codex check as one section of `keyguard audit`: the same report as `keyguard codex`.
import type { Io } from '../commands/io.js';
import type { ExitCode } from '../errors.js';
import type { Check } from '../types.js';
import { codexJson, renderCodexText } from './render.js';
import { codexReport } from './report.js';

export async function codexSection(io: Io, format: 'text' | 'json' | 'sarif'): Promise<{ text: string; json: unknown; checks: Check[]; status: ExitCode }> {
  const r = await codexReport({ cwd: io.cwd, env: io.env, platform: io.platform });
  // The caller frames and colours the section; sarif carries only `checks`.
  const text = format === 'text' ? renderCodexText(r, false) : '';
  return { text, json: codexJson(r), checks: r.checks, status: r.status };
}
