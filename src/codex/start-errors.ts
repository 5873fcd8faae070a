// The config errors that stop this Codex version from starting. A bad value of a setting the version
// does not know yet is not one: unknown keys are ignored.
import type { ConfigFacts } from './facts.js';
import type { Rules } from './rules.js';

export type StartError = ConfigFacts['errors'][number];

export function startErrors(config: ConfigFacts, rules: Rules): StartError[] {
  return config.errors.filter(
    (e) => (e.setting !== 'cli_auth_credentials_store' || rules.credentialsStore) && (e.setting !== 'forced_login_method' || rules.forcedLoginMethod),
  );
}
