// config.toml layers merged the way Codex merges them (later layers win, key by key), keeping for
// every auth-related setting the file and line it came from. Pure: text in, facts out.
import { parse, TomlError } from 'smol-toml';
import { errorMessage } from '../errors.js';
import type { ConfigFacts, ConfigLayer, ConfigValue, ProviderFact } from './facts.js';
import { lineOfKey } from './toml-lines.js';

export interface LayerText {
  path: string;
  kind: ConfigLayer['kind'];
  text: string;
  /** false for a project layer of an untrusted project: read to explain, never applied */
  loaded: boolean;
}

type Table = Record<string, unknown>;

/** Providers Codex ships; `model_provider` may name them without a `[model_providers.*]` table. */
export const BUILTIN_PROVIDERS = ['openai', 'oss', 'ollama', 'lmstudio'] as const;
const LOGIN_METHODS = ['chatgpt', 'api'];
const STORES = ['file', 'keyring', 'auto', 'ephemeral'];
/** Keys that matter for auth: an untrusted project layer that sets one is worth a note. */
const AUTH_KEYS = [
  'model_provider',
  'model_providers',
  'forced_login_method',
  'forced_chatgpt_workspace_id',
  'preferred_auth_method',
  'cli_auth_credentials_store',
  'openai_base_url',
];

function isTable(v: unknown): v is Table {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

export function parseToml(text: string): { table: Table } | { error: string; line?: number } {
  try {
    return { table: parse(text) as Table };
  } catch (err) {
    if (err instanceof TomlError) return { error: err.message.split('\n')[0] ?? err.message, line: err.line };
    return { error: errorMessage(err) };
  }
}

function valueAt<T>(layer: LayerText, table: readonly string[], key: string, value: T): ConfigValue<T> {
  const line = lineOfKey(layer.text, table, key);
  return { value, source: line ? { path: layer.path, line } : { path: layer.path } };
}

function mergeProvider(facts: ConfigFacts, layer: LayerText, id: string, t: Table): void {
  const prev = facts.providers[id];
  const line = lineOfKey(layer.text, ['model_providers', id], '');
  const p: ProviderFact = prev ?? {
    id,
    requiresOpenaiAuth: false,
    hasBearerToken: false,
    hasAuthCommand: false,
    source: line ? { path: layer.path, line } : { path: layer.path },
  };
  if (typeof t.base_url === 'string') p.baseUrl = t.base_url;
  if (typeof t.env_key === 'string' && t.env_key !== '') p.envKey = t.env_key;
  if (typeof t.requires_openai_auth === 'boolean') p.requiresOpenaiAuth = t.requires_openai_auth;
  if (typeof t.experimental_bearer_token === 'string' && t.experimental_bearer_token !== '') p.hasBearerToken = true;
  if (isTable(t.auth) && t.auth.command !== undefined) p.hasAuthCommand = true;
  facts.providers[id] = p;
}

function applyLayer(facts: ConfigFacts, layer: LayerText, t: Table): void {
  const str = (key: string): ConfigValue<string> | undefined => (typeof t[key] === 'string' ? valueAt(layer, [], key, t[key] as string) : undefined);
  const mp = str('model_provider');
  if (mp) facts.modelProvider = mp;
  const flm = str('forced_login_method');
  if (flm) {
    facts.forcedLoginMethod = flm;
    if (!LOGIN_METHODS.includes(flm.value)) {
      facts.errors.push({
        path: layer.path,
        ...(flm.source.line ? { line: flm.source.line } : {}),
        message: `forced_login_method = "${flm.value}" is not "chatgpt" or "api"`,
        setting: 'forced_login_method',
      });
    }
  }
  const ws = t.forced_chatgpt_workspace_id;
  if (typeof ws === 'string') facts.forcedWorkspaceIds = valueAt(layer, [], 'forced_chatgpt_workspace_id', [ws]);
  else if (Array.isArray(ws))
    facts.forcedWorkspaceIds = valueAt(
      layer,
      [],
      'forced_chatgpt_workspace_id',
      ws.filter((x): x is string => typeof x === 'string'),
    );
  const pam = str('preferred_auth_method');
  if (pam) facts.preferredAuthMethod = pam;
  const store = str('cli_auth_credentials_store');
  if (store) {
    facts.credentialsStore = store;
    if (!STORES.includes(store.value)) {
      facts.errors.push({
        path: layer.path,
        ...(store.source.line ? { line: store.source.line } : {}),
        message: `cli_auth_credentials_store = "${store.value}" is not one of ${STORES.join(', ')}`,
        setting: 'cli_auth_credentials_store',
      });
    }
  }
  const base = str('openai_base_url');
  if (base) facts.openaiBaseUrl = base;
  if (isTable(t.model_providers)) {
    for (const [id, p] of Object.entries(t.model_providers)) {
      if (!isTable(p)) continue;
      if (id === 'openai') {
        const line = lineOfKey(layer.text, ['model_providers', id], '');
        facts.errors.push({ path: layer.path, ...(line ? { line } : {}), message: 'model_providers contains the reserved built-in provider id `openai`' });
        continue;
      }
      mergeProvider(facts, layer, id, p);
    }
  }
}

/** Merge the layers in order: system, user, then project layers from the root down to the working directory. */
export function mergeConfig(layers: readonly LayerText[]): ConfigFacts {
  const facts: ConfigFacts = { layers: [], errors: [], providers: {} };
  for (const layer of layers) {
    facts.layers.push({ path: layer.path, kind: layer.kind, loaded: layer.loaded });
    const parsed = parseToml(layer.text);
    if ('error' in parsed) {
      if (layer.loaded) facts.errors.push({ path: layer.path, message: `not valid TOML: ${parsed.error}`, ...(parsed.line ? { line: parsed.line } : {}) });
      continue;
    }
    if (!layer.loaded) {
      const keys = AUTH_KEYS.filter((k) => parsed.table[k] !== undefined);
      if (keys.length > 0) facts.untrustedProject = { path: layer.path, keys };
      continue;
    }
    applyLayer(facts, layer, parsed.table);
  }
  return facts;
}

/** Whether the user config marks `dir` as trusted (`[projects."<dir>"] trust_level = "trusted"`). */
export function trustLevelOf(userConfig: string | undefined, dirs: readonly string[]): 'trusted' | 'untrusted' | undefined {
  if (!userConfig) return undefined;
  const parsed = parseToml(userConfig);
  if ('error' in parsed || !isTable(parsed.table.projects)) return undefined;
  const projects = parsed.table.projects;
  for (const dir of dirs) {
    const entry = projects[dir];
    if (isTable(entry) && typeof entry.trust_level === 'string') return entry.trust_level === 'trusted' ? 'trusted' : 'untrusted';
  }
  return undefined;
}
