// `keyguard codex`: which credential Codex CLI will really use, and what overrides or endangers the
// ChatGPT login. Reads, never writes (except the --output report).
import { codexJson, renderCodexText } from '../codex/render.js';
import { codexReport } from '../codex/report.js';
import { ExitCode } from '../errors.js';
import { renderSarif } from '../report/sarif.js';
import { ScanContext } from '../scan/context.js';
import { summaryOf } from '../scan/summary.js';
import type { Io } from './io.js';
import { writeReport } from './setup.js';
import { outputOptions, parse } from './options.js';

export const CODEX_HELP = `Usage: keyguard codex [options]

Which credential Codex CLI will really use, for the interactive CLI and for \`codex exec\`: your
ChatGPT login, an API key (and from where), or nothing. Then every setting that overrides or
endangers the ChatGPT login, with the file and line it comes from and the commands that fix it.

Reads the environment, CODEX_HOME (default ~/.codex): auth.json, config.toml (system, user and a
trusted project's .codex/config.toml) and .env; your shell profiles; and \`codex --version\` (the
rules differ by version; without codex on PATH the newest rules are assumed). Writes nothing. Keys
are shown redacted. Sends nothing anywhere.

Options:
  --format text|json|sarif|github   output format (default text)
  -o, --output FILE          write the report to FILE
  --no-color                 no colours even on a terminal

Exit codes: 0 Codex uses your ChatGPT login and nothing overrides or endangers it (or Codex is not
set up); 1 a warning or an error applies; 2 keyguard could not read what it needed.
`;

const OPTIONS = {
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function codexCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, OPTIONS, false);
  if (values.help) {
    io.stdout(CODEX_HELP);
    return ExitCode.clean;
  }
  const out = outputOptions(values, io.env, io.stdoutIsTTY);
  const r = await codexReport({ cwd: io.cwd, env: io.env, platform: io.platform });
  let text: string;
  if (out.format === 'json') text = `${JSON.stringify(codexJson(r), null, 2)}\n`;
  else if (out.format === 'sarif' || out.format === 'github') {
    const ctx = new ScanContext();
    for (const e of r.facts?.readErrors ?? []) ctx.error(e.path, e.message);
    if (r.problem) ctx.error('codex', r.problem);
    const summary = summaryOf(ctx, 0);
    text =
      out.format === 'sarif'
        ? renderSarif([], summary, { showSecrets: false }, r.checks)
        : (await import('../report/github.js')).renderGithub([], summary, r.checks);
  } else text = renderCodexText(r, out.color);
  if (out.output) {
    await writeReport(io, out.output, text);
    io.stderr(`keyguard codex: report written to ${out.output} (exit ${r.status})\n`);
  } else io.stdout(text);
  return r.status;
}
