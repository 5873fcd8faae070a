// Which of Codex's auth rules apply to a given version: the history table of
// reference/codex-auth.md turned into flags. Boundaries the reference does not pin to a release are
// explained where they are set; when in doubt we pick the side that warns.
import { atLeast, parseVersion, versionText, type Version } from './semver.js';

/** The newest release the reference was checked against; used when Codex is not on PATH. */
export const NEWEST_KNOWN = '0.171.0';

export interface Rules {
  /** the version the rules are for, e.g. "0.34.0" */
  version: string;
  /** true when `codex --version` could not tell us and the newest rules are assumed */
  assumed: boolean;
  /**
   * What an exported OPENAI_API_KEY does with the built-in provider:
   * before 0.20 it beats a stored login; 0.20–0.35 it is the fallback when nothing is stored;
   * from 0.36 it only pre-fills the login screen.
   */
  envOpenaiApiKey: 'overrides-login' | 'fallback' | 'prefill-only';
  /** before 0.20 `codex exec` refused to run on a stored login alone ("Missing environment variable") */
  execNeedsEnvKey: boolean;
  /** a legacy auth.json with key + tokens and no auth_mode: 0.20–0.35 used the tokens, 0.36+ the key */
  legacyMixedUses: 'chatgpt' | 'apikey';
  /** `preferred_auth_method` in config.toml selects the login (0.20–0.35 only) */
  preferredAuthMethod: boolean;
  /** `codex exec` honours CODEX_API_KEY (PR #4615; 0.42 ignored it, 0.44 honoured it) */
  codexApiKey: boolean;
  /** `forced_login_method` / `forced_chatgpt_workspace_id` are enforced (PR #5303, after 0.45) */
  forcedLoginMethod: boolean;
  /** `cli_auth_credentials_store` selects keyring/auto (late Oct 2025, after 0.45) */
  credentialsStore: boolean;
  /** CODEX_ACCESS_TOKEN (agent identity) replaces the stored login */
  accessToken: boolean;
  /** `$CODEX_HOME/.env` is loaded (PR #1653, from 0.20) */
  codexHomeDotenv: boolean;
  /** `$(pwd)/.env` is loaded too (0.20 and 0.29 did, 0.34 did not) */
  projectDotenv: boolean;
  /** the OPENAI_BASE_URL env var redirects requests */
  openaiBaseUrl: 'honoured' | 'maybe' | 'ignored';
  /** custom providers without env_key fall back to the key in auth.json (until 0.149) */
  providerAuthJsonFallback: boolean;
  /**
   * `openai_base_url` in config.toml: ignored by 0.44 (measured); 0.100 applies it to API-key logins
   * only, a ChatGPT login still goes to chatgpt.com (measured); 0.171 applies it to both (measured).
   */
  configBaseUrl: 'ignored' | 'apikey-only' | 'honoured';
  /** how to store an API key as the login: `--api-key <KEY>` up to 0.44, stdin `--with-api-key` from 0.45 */
  loginWithApiKey: string;
  /**
   * Codex's hooks: none in 0.100 (measured: no hooks feature); opt-in behind `[features] codex_hooks`
   * until they became stable and default-on in 0.124 (PR #19012).
   */
  hooks: 'none' | 'opt-in' | 'default';
}

export function rulesFor(version: Version | undefined): Rules {
  const v = version ?? (parseVersion(NEWEST_KNOWN) as Version);
  return {
    version: versionText(v),
    assumed: version === undefined,
    envOpenaiApiKey: !atLeast(v, 20) ? 'overrides-login' : !atLeast(v, 36) ? 'fallback' : 'prefill-only',
    execNeedsEnvKey: !atLeast(v, 20),
    legacyMixedUses: atLeast(v, 36) ? 'apikey' : 'chatgpt',
    preferredAuthMethod: atLeast(v, 20) && !atLeast(v, 36),
    // 0.43 was not tested; the PR was merged before it, so we assume it has CODEX_API_KEY (the side that warns).
    codexApiKey: atLeast(v, 43),
    forcedLoginMethod: atLeast(v, 46),
    credentialsStore: atLeast(v, 46),
    // Agent identity is among 0.128's auth modes; earlier builds were not checked.
    accessToken: atLeast(v, 128),
    codexHomeDotenv: atLeast(v, 20),
    projectDotenv: atLeast(v, 20) && !atLeast(v, 30),
    // Tested honoured up to 0.45 and ignored by 0.171; it was deprecated (Feb 2026) and removed
    // (Apr 2026, PR #16720) before 0.128 (May 2026). Builds in between may or may not honour it.
    openaiBaseUrl: !atLeast(v, 46) ? 'honoured' : atLeast(v, 128) ? 'ignored' : 'maybe',
    providerAuthJsonFallback: !atLeast(v, 149),
    // 0.45 predates the key (Feb 2026, PR #12031); 0.128 is where OPENAI_BASE_URL is gone, and we
    // assume openai_base_url covered ChatGPT logins by then (0.171 measured, 0.100 measured not).
    configBaseUrl: !atLeast(v, 46) ? 'ignored' : atLeast(v, 128) ? 'honoured' : 'apikey-only',
    loginWithApiKey: atLeast(v, 45) ? 'printenv OPENAI_API_KEY | codex login --with-api-key' : 'codex login --api-key "$OPENAI_API_KEY"',
    // Builds between 0.101 and 0.123 were not checked; the flag existed before it graduated.
    hooks: !atLeast(v, 101) ? 'none' : atLeast(v, 124) ? 'default' : 'opt-in',
  };
}
