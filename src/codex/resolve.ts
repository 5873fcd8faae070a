// The pure resolver: (facts, version) → what each command authenticates with, plus every check
// that applies. No I/O here, so every rule can be tested from plain objects.
import { exitCodeFor, type ExitCode } from '../errors.js';
import type { Check, Severity } from '../types.js';
import type { CheckInput } from './check-input.js';
import { configErrorChecks, openaiBaseUrlConfigCheck, preferredAuthMethodCheck, providerChecks, untrustedProjectCheck } from './checks-config.js';
import { accessTokenCheck, baseUrlCheck, codexApiKeyCheck, dotenvCheck, openaiApiKeyChecks, orgProjectChecks, projectDotenvCheck } from './checks-env.js';
import { exposureChecks, homeMissingCheck } from './checks-file.js';
import { hooksChecks } from './checks-hooks.js';
import { forcedLoginChecks, storeChecks, storedLoginChecks } from './checks-login.js';
import { effectiveFor, type CodexCommand, type Effective } from './effective.js';
import { seenByCodex, type SeenVar } from './env-value.js';
import type { CodexFacts } from './facts.js';
import { rulesFor, type Rules } from './rules.js';
import type { Version } from './semver.js';
import { storedLogin, type StoredLogin } from './stored-login.js';

export interface Resolution {
  rules: Rules;
  stored: StoredLogin;
  effective: Record<CodexCommand, Effective>;
  checks: Check[];
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function resolveCodex(facts: CodexFacts, version: Version | undefined): Resolution {
  const rules = rulesFor(version);
  const stored = facts.home.exists ? storedLogin(facts, rules) : ({ kind: 'none', store: 'file' } as const);
  const vars: Record<string, SeenVar | undefined> = {};
  for (const [name, fact] of Object.entries(facts.env)) vars[name] = seenByCodex(fact, rules);
  const base = { facts, rules, stored, vars };
  const effective = { interactive: effectiveFor('interactive', base), exec: effectiveFor('exec', base) };
  const input: CheckInput = { ...base, effective };
  const checks = facts.home.exists
    ? [
        ...configErrorChecks(input),
        ...storedLoginChecks(input),
        ...forcedLoginChecks(input),
        ...storeChecks(input),
        ...codexApiKeyCheck(input),
        ...accessTokenCheck(input),
        ...openaiApiKeyChecks(input),
        ...providerChecks(input),
        ...dotenvCheck(input),
        ...projectDotenvCheck(input),
        ...baseUrlCheck(input),
        ...openaiBaseUrlConfigCheck(input),
        ...orgProjectChecks(input),
        ...preferredAuthMethodCheck(input),
        ...untrustedProjectCheck(input),
        ...exposureChecks(input),
        ...hooksChecks(input),
      ]
    : homeMissingCheck(input);
  // Stable sort: most severe first, each group in the order above.
  checks.sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  return { rules, stored, effective, checks };
}

/** Could not read what it needed (2), a warning or an error applies (1), or all is well (0). */
export function statusOf(facts: CodexFacts, checks: readonly Check[]): ExitCode {
  return exitCodeFor({ errors: facts.readErrors.length, findings: checks.filter((c) => c.severity !== 'info').length });
}
