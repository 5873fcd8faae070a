// One run of the Codex check: ask the version, read the facts, resolve. Rendering is elsewhere.
import { ExitCode } from '../errors.js';
import type { Check } from '../types.js';
import { codexVersion } from './codex-binary.js';
import type { CodexFacts, VersionFact } from './facts.js';
import { gatherCodexFacts } from './gather.js';
import { resolveCodex, statusOf, type Resolution } from './resolve.js';
import { rulesFor } from './rules.js';

export interface CodexReport {
  version: VersionFact;
  /** undefined when there is no home directory to look in */
  facts?: CodexFacts;
  resolution?: Resolution;
  /** ~/.codex does not exist and CODEX_HOME is not set: Codex was never set up here */
  notSetUp: boolean;
  checks: Check[];
  status: ExitCode;
  /** why keyguard could not run the check at all */
  problem?: string;
}

export async function codexReport(opts: { cwd: string; env: NodeJS.ProcessEnv; platform: NodeJS.Platform }): Promise<CodexReport> {
  const platform = opts.platform;
  const { fact: version, version: parsed } = await codexVersion(opts.env, platform);
  const rules = rulesFor(parsed);
  const facts = await gatherCodexFacts({ cwd: opts.cwd, env: opts.env, platform, rules });
  if (!facts) {
    return {
      version,
      notSetUp: false,
      checks: [],
      status: ExitCode.error,
      problem: 'cannot find your home directory: HOME is not set, and neither is CODEX_HOME',
    };
  }
  const notSetUp = !facts.home.exists && !facts.home.fromEnv;
  const resolution = resolveCodex(facts, parsed);
  const checks = resolution.checks;
  return { version, facts, resolution, notSetUp, checks, status: statusOf(facts, checks) };
}
