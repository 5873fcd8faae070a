import type { Format } from '../commands/options.js';
import type { Check, Finding, ScanSummary } from '../types.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export interface RenderOptions {
  format: Format;
  showSecrets: boolean;
  color: boolean;
  quiet: boolean;
  noun?: string;
}

export function render(findings: readonly Finding[], summary: ScanSummary, opts: RenderOptions, checks: readonly Check[] = []): string {
  switch (opts.format) {
    case 'json':
      return renderJson(findings, summary, opts, checks);
    case 'sarif':
      return renderSarif(findings, summary, opts, checks);
    case 'text': {
      const t: Parameters<typeof renderText>[2] = { color: opts.color, showSecrets: opts.showSecrets, quiet: opts.quiet };
      if (opts.noun) t.noun = opts.noun;
      return renderText(findings, summary, t, checks);
    }
  }
}
