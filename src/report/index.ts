// Format name → reporter, loaded on demand: a clean pre-commit run never loads the SARIF writer.
// text, json, sarif, github (workflow annotations).
import type { Format } from '../commands/options.js';
import type { Check, Finding, ScanSummary } from '../types.js';

export interface RenderOptions {
  format: Format;
  showSecrets: boolean;
  color: boolean;
  quiet: boolean;
  noun?: string;
  /** more top-level fields for the JSON report */
  json?: Record<string, unknown>;
}

export async function render(findings: readonly Finding[], summary: ScanSummary, opts: RenderOptions, checks: readonly Check[] = []): Promise<string> {
  switch (opts.format) {
    case 'json':
      return (await import('./json.js')).renderJson(findings, summary, opts, checks, opts.json);
    case 'sarif':
      return (await import('./sarif.js')).renderSarif(findings, summary, opts, checks);
    case 'github':
      return (await import('./github.js')).renderGithub(findings, summary, checks, opts.noun);
    case 'text': {
      const t: { color: boolean; showSecrets: boolean; quiet: boolean; noun?: string } = {
        color: opts.color,
        showSecrets: opts.showSecrets,
        quiet: opts.quiet,
      };
      if (opts.noun) t.noun = opts.noun;
      return (await import('./text.js')).renderText(findings, summary, t, checks);
    }
  }
}
