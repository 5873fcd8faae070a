// What keyguard read about this machine's Codex setup. Gathered by the readers (I/O), judged by the
// resolver (pure). Values that hold keys stay in the process; renderers print them redacted.

/** A place a value comes from. */
export interface SourceRef {
  path: string;
  line?: number;
}

/** One `NAME=value` line in a shell profile or a `.env` file. */
export interface Assignment {
  path: string;
  line: number;
  /** the literal value, or null when it is computed at run time (`$(…)`, `$OTHER`) */
  value: string | null;
  /** the profile's shell (decides how to unset), or 'env' for .env files */
  shell: string;
  /** the source line, as written (may hold the key: redact before printing) */
  raw: string;
}

/** Everything known about one environment variable Codex may read. */
export interface EnvVarFact {
  name: string;
  /** its value in keyguard's own environment, i.e. in the shell that ran keyguard ('' counts as unset) */
  process?: string;
  /** where shell profiles set it, in the order the shell reads them */
  profiles: Assignment[];
  /** its line in `$CODEX_HOME/.env` */
  dotenv?: Assignment;
  /** its line in `./.env` (loaded only by old builds) */
  projectDotenv?: Assignment;
}

export interface TokenFacts {
  idToken?: string;
  accessToken?: string;
  refreshToken?: string;
  accountId?: string;
}

export interface IdClaims {
  email?: string;
  plan?: string;
  accountId?: string;
}

export type AuthFile =
  | { state: 'absent'; path: string }
  | { state: 'unreadable'; path: string; error: string }
  /** Codex cannot load it either: invalid JSON, wrong types, or an unknown auth_mode */
  | { state: 'invalid'; path: string; error: string }
  | {
      state: 'parsed';
      path: string;
      authMode?: string;
      apiKey: string | null;
      tokens?: TokenFacts;
      claims: IdClaims;
      lastRefresh?: string;
    };

export interface GitExposure {
  root: string;
  tracked: boolean;
  ignored: boolean;
}

/** Who else can reach auth.json. */
export interface AuthFileExposure {
  /** permission bits (Unix), e.g. 0o644 */
  mode?: number;
  git?: GitExposure;
  /** e.g. "Dropbox", "iCloud Drive" */
  synced?: string;
}

export interface ProviderFact {
  id: string;
  baseUrl?: string;
  envKey?: string;
  requiresOpenaiAuth: boolean;
  hasBearerToken: boolean;
  hasAuthCommand: boolean;
  source: SourceRef;
}

export interface ConfigValue<T> {
  value: T;
  source: SourceRef;
}

export interface ConfigLayer {
  path: string;
  kind: 'system' | 'user' | 'project';
  /** project layers load only when the project is trusted */
  loaded: boolean;
}

export interface ConfigFacts {
  layers: ConfigLayer[];
  /** files Codex will refuse to start with (TOML syntax, reserved provider ids, bad enum values) */
  errors: { path: string; message: string; line?: number; setting?: 'forced_login_method' | 'cli_auth_credentials_store' }[];
  modelProvider?: ConfigValue<string>;
  providers: Record<string, ProviderFact>;
  forcedLoginMethod?: ConfigValue<string>;
  forcedWorkspaceIds?: ConfigValue<string[]>;
  preferredAuthMethod?: ConfigValue<string>;
  credentialsStore?: ConfigValue<string>;
  openaiBaseUrl?: ConfigValue<string>;
  /** a project `.codex/config.toml` that is skipped because the project is not trusted */
  untrustedProject?: { path: string; keys: string[] };
}

export type LoginStatus = { state: 'chatgpt' | 'apikey' | 'none' | 'other'; text: string } | { state: 'error'; text: string };

export interface CodexHome {
  path: string;
  /** CODEX_HOME was set (then it must exist, or every Codex command fails) */
  fromEnv: boolean;
  exists: boolean;
}

/** One command handler of a Codex hooks source, with the trust key(s) and hash Codex gives it. */
export interface HookHandlerFact {
  event: string;
  /** `<source>:<event_snake>:<group>:<handler>`, for the path as given and as resolved */
  keys: string[];
  hash: string;
  /** runs `keyguard hook codex` */
  ours: boolean;
}

export interface HookSourceFact {
  path: string;
  layer: 'user' | 'project';
  /** project sources load only when the project is trusted */
  loaded: boolean;
  handlers: HookHandlerFact[];
  /** Codex cannot read it either (invalid TOML/JSON) */
  error?: string;
}

export interface HooksFacts {
  sources: HookSourceFact[];
  /** `[hooks.state."<key>"]` of the user config.toml: where Codex records trust */
  state: Record<string, { trustedHash?: string; enabled?: boolean }>;
  /** `[features] hooks` (or the older `codex_hooks`), the last loaded layer's */
  feature?: ConfigValue<boolean> & { key: string };
  /** requirements.toml `allow_managed_hooks_only = true`: user and project hooks are ignored */
  managedOnly?: SourceRef;
  /** requirements.toml turns the hooks feature off */
  requirementsOff?: SourceRef;
  projectRoot: string;
  projectTrusted: boolean;
  userConfig: string;
}

export interface CodexFacts {
  home: CodexHome;
  auth: AuthFile;
  exposure: AuthFileExposure;
  config: ConfigFacts;
  /** OPENAI_API_KEY, CODEX_API_KEY, … and every provider env_key */
  env: Record<string, EnvVarFact>;
  /** `codex login status`, asked only when the login sits in the OS keyring */
  loginStatus?: LoginStatus;
  /** things keyguard should have read and could not (exit 2) */
  readErrors: { path: string; message: string }[];
  /** for shortening paths in messages */
  homeDir?: string;
  /** keyguard's hooks and what keeps them from running */
  hooks?: HooksFacts;
}

export interface VersionFact {
  /** the version `codex --version` printed, if it ran */
  raw?: string;
  /** why it could not be asked (not on PATH, timed out, unparseable) */
  problem?: string;
}
