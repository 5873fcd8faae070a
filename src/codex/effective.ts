// Which credential each command really sends (pure). The order is load_auth's in 0.171
// (CODEX_API_KEY for exec → CODEX_ACCESS_TOKEN → the persistent store), bent by the version
// rules, then forced_login_method, then the model provider, which may not use the login at all.
import { BUILTIN_PROVIDERS } from './config.js';
import { at, planName, redact } from './display.js';
import type { CodexFacts, SourceRef } from './facts.js';
import type { SeenVar } from './env-value.js';
import { varSource, varWhere } from './fixes.js';
import type { Rules } from './rules.js';
import { startErrors } from './start-errors.js';
import type { StoredLogin } from './stored-login.js';

export type CodexCommand = 'interactive' | 'exec';

export type CredentialKind =
  | 'chatgpt'
  | 'api-key'
  | 'access-token'
  | 'provider-key'
  | 'provider-token'
  | 'provider-command'
  | 'other-login'
  | 'unknown'
  | 'none'
  | 'broken'
  | 'logged-out';

export type Billing = 'chatgpt-plan' | 'api-platform' | 'provider' | 'none' | 'unknown';

export interface Effective {
  kind: CredentialKind;
  billing: Billing;
  /** one line a person reads: what Codex authenticates with, from where, billed to whom */
  summary: string;
  /** where the credential comes from: a variable name, auth.json, the keyring, config.toml */
  from?: string;
  source?: SourceRef;
  /** redacted */
  key?: string;
  plan?: string;
  email?: string;
  provider: string;
  baseUrl?: string;
}

export interface ResolveInput {
  facts: CodexFacts;
  rules: Rules;
  stored: StoredLogin;
  vars: Record<string, SeenVar | undefined>;
}

function isOpenAiPlatform(url: string | undefined): boolean {
  if (!url) return true;
  try {
    return new URL(url).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

function fromVar(v: SeenVar, input: ResolveInput, kind: 'api-key' | 'access-token' | 'provider-key'): Effective {
  const e: Effective = { kind, billing: kind === 'access-token' ? 'unknown' : 'api-platform', summary: '', from: v.name, provider: 'openai' };
  if (v.where) e.source = { path: v.where.path, line: v.where.line };
  if (v.value) e.key = redact(v.value);
  const where = varSource(v, input.facts.homeDir);
  const shown = e.key ? ` (${e.key})` : ' (its value is computed when the shell starts)';
  e.summary =
    kind === 'access-token'
      ? `the Codex access token in ${where}, not your stored login`
      : `an API key${shown} from ${where}; billed to the API platform, not your ChatGPT plan`;
  return e;
}

function fromStored(cmd: CodexCommand, input: ResolveInput): Effective {
  const { stored, facts } = input;
  const file = facts.auth.path;
  const inKeyring = stored.store === 'keyring' || (stored.store === 'auto' && facts.auth.state === 'absent');
  const place = inKeyring ? 'the OS keyring' : input.facts.homeDir ? at({ path: file }, facts.homeDir) : file;
  const source: SourceRef | undefined = inKeyring ? undefined : { path: file };
  const base = { provider: 'openai', from: inKeyring ? 'keyring' : 'auth.json', ...(source ? { source } : {}) };
  switch (stored.kind) {
    case 'chatgpt': {
      if (stored.missing.length > 0) {
        return {
          ...base,
          kind: 'broken',
          billing: 'none',
          summary: `nothing usable: the ChatGPT login in ${place} is incomplete (no ${stored.missing.join(', ')}); requests will fail`,
        };
      }
      const plan = planName(stored.claims.plan);
      const who = [plan ? `${plan} plan` : undefined, stored.claims.email].filter(Boolean).join(', ');
      const e: Effective = {
        ...base,
        kind: 'chatgpt',
        billing: 'chatgpt-plan',
        summary: `your ChatGPT login${who ? ` (${who})` : ''}${inKeyring ? ', kept in the OS keyring' : ''}`,
      };
      if (plan) e.plan = stored.claims.plan as string;
      if (stored.claims.email) e.email = stored.claims.email;
      return e;
    }
    case 'apikey': {
      const e: Effective = { ...base, kind: 'api-key', billing: 'api-platform', summary: '' };
      if (stored.key) e.key = redact(stored.key);
      e.summary = `an API key${e.key ? ` (${e.key})` : ''} stored as Codex's login in ${place}; billed to the API platform, not your ChatGPT plan`;
      return e;
    }
    case 'other':
      return { ...base, kind: 'other-login', billing: 'unknown', summary: `the stored login of type "${stored.mode}" in ${place}` };
    case 'invalid':
      return {
        ...base,
        kind: 'broken',
        billing: 'none',
        summary: `nothing usable: the stored login in ${place} is corrupt (${stored.error}); Codex cannot load it`,
      };
    case 'unknown':
      return { ...base, kind: 'unknown', billing: 'unknown', summary: `unknown: ${stored.why}; \`codex login status\` shows it` };
    case 'none':
      return {
        provider: 'openai',
        kind: 'none',
        billing: 'none',
        summary:
          stored.store === 'ephemeral'
            ? 'nothing: cli_auth_credentials_store = "ephemeral" keeps no login between runs, so requests fail with 401'
            : cmd === 'interactive'
              ? 'nothing: not logged in, so Codex shows its sign-in screen (requests without a login fail with 401)'
              : 'nothing: not logged in, so requests will fail with 401',
      };
  }
}

/** The built-in provider's credential, before forced_login_method. */
function builtinCredential(cmd: CodexCommand, input: ResolveInput): Effective {
  const { rules, vars, stored } = input;
  const codexKey = vars.CODEX_API_KEY;
  if (cmd === 'exec' && rules.codexApiKey && codexKey) return fromVar(codexKey, input, 'api-key');
  const token = vars.CODEX_ACCESS_TOKEN;
  if (rules.accessToken && token) return fromVar(token, input, 'access-token');
  const openaiKey = vars.OPENAI_API_KEY;
  if (rules.envOpenaiApiKey === 'overrides-login' && openaiKey) return fromVar(openaiKey, input, 'api-key');
  // Measured on 0.29: "apikey" picks a key stored in auth.json over its tokens; an exported
  // OPENAI_API_KEY does not beat a stored ChatGPT login (it is only the fallback, below).
  if (rules.preferredAuthMethod && input.facts.config.preferredAuthMethod?.value === 'apikey') {
    if (stored.kind === 'apikey') return fromStored(cmd, input);
    const file = input.facts.auth;
    if (stored.kind === 'chatgpt' && stored.mixed && file.state === 'parsed' && file.apiKey) {
      const key = redact(file.apiKey);
      return {
        kind: 'api-key',
        billing: 'api-platform',
        provider: 'openai',
        from: 'auth.json',
        source: { path: file.path },
        key,
        summary:
          `the API key (${key}) kept beside the ChatGPT tokens in ${at({ path: file.path }, input.facts.homeDir)} ` +
          '(preferred_auth_method = "apikey"); billed to the API platform, not your ChatGPT plan',
      };
    }
  }
  if (cmd === 'exec' && rules.execNeedsEnvKey) {
    return {
      kind: 'none',
      billing: 'none',
      provider: 'openai',
      summary: `nothing: \`codex exec\` in Codex ${rules.version} needs OPENAI_API_KEY and fails with "Missing environment variable: \`OPENAI_API_KEY\`"`,
    };
  }
  if (stored.kind === 'none' && rules.envOpenaiApiKey === 'fallback' && openaiKey) return fromVar(openaiKey, input, 'api-key');
  return fromStored(cmd, input);
}

/** forced_login_method / forced_chatgpt_workspace_id: a mismatch logs the user out. */
export function logoutReason(e: Effective, input: ResolveInput): string | undefined {
  const { rules, facts, stored } = input;
  if (!rules.forcedLoginMethod) return undefined;
  const forced = facts.config.forcedLoginMethod?.value;
  if (forced === 'chatgpt' && e.kind === 'api-key')
    return `forced_login_method = "chatgpt" but an API key (${e.from === 'auth.json' || e.from === 'keyring' ? 'the stored login' : e.from}) is in use`;
  if (forced === 'api' && e.kind === 'chatgpt') return 'forced_login_method = "api" but the login is ChatGPT';
  const ids = facts.config.forcedWorkspaceIds?.value;
  const account = stored.kind === 'chatgpt' ? stored.claims.accountId : undefined;
  if (e.kind === 'chatgpt' && ids && ids.length > 0 && account && !ids.includes(account)) {
    return `forced_chatgpt_workspace_id does not include your login's workspace (${account})`;
  }
  return undefined;
}

/** The interactive CLI checks forced_login_method against CODEX_API_KEY too, though it never sends it (0.100, 0.171). */
function interactiveLogoutReason(cmd: CodexCommand, input: ResolveInput): string | undefined {
  const { rules, facts, vars } = input;
  if (cmd !== 'interactive' || !rules.forcedLoginMethod || !rules.codexApiKey || !vars.CODEX_API_KEY) return undefined;
  if (facts.config.forcedLoginMethod?.value !== 'chatgpt') return undefined;
  return 'forced_login_method = "chatgpt" but an API key (CODEX_API_KEY) is set; the interactive CLI checks it too';
}

function withLogout(e: Effective, input: ResolveInput, cmd: CodexCommand): Effective {
  const why = logoutReason(e, input) ?? interactiveLogoutReason(cmd, input);
  if (!why) return e;
  return { kind: 'logged-out', billing: 'none', provider: e.provider, summary: `nothing: Codex logs you out and deletes your stored credentials (${why})` };
}

export function effectiveFor(cmd: CodexCommand, input: ResolveInput): Effective {
  const { facts, rules, vars, stored } = input;
  const fatal = startErrors(facts.config, rules)[0];
  if (fatal) {
    return {
      kind: 'broken',
      billing: 'none',
      provider: facts.config.modelProvider?.value ?? 'openai',
      summary: `nothing: Codex will not start, because ${at(fatal, facts.homeDir)}: ${fatal.message}`,
    };
  }
  const id = facts.config.modelProvider?.value ?? 'openai';
  if (id === 'openai') return withLogout(builtinCredential(cmd, input), input, cmd);
  const p = facts.config.providers[id];
  const home = facts.homeDir;
  if (!p) {
    if ((BUILTIN_PROVIDERS as readonly string[]).includes(id)) {
      return {
        kind: 'none',
        billing: 'provider',
        provider: id,
        summary: `no credential: model_provider = "${id}" is a local model server, not your ChatGPT login`,
      };
    }
    const ref = facts.config.modelProvider?.source;
    return {
      kind: 'broken',
      billing: 'none',
      provider: id,
      summary: `nothing: model_provider = "${id}"${ref ? ` (${at(ref, home)})` : ''} names no provider, so Codex will not start`,
    };
  }
  const to = p.baseUrl ? ` at ${p.baseUrl}` : '';
  const base = { provider: id, ...(p.baseUrl ? { baseUrl: p.baseUrl } : {}) };
  const billing: Billing = isOpenAiPlatform(p.baseUrl) ? 'api-platform' : 'provider';
  if (p.envKey) {
    const v = vars[p.envKey];
    if (!v)
      return {
        ...base,
        kind: 'none',
        billing: 'none',
        summary: `nothing: model provider "${id}" needs $${p.envKey}, which is not set ("Missing environment variable")`,
      };
    const e = fromVar(v, input, 'provider-key');
    const shown = e.key ? ` (${e.key})` : '';
    return { ...e, ...base, billing, summary: `$${p.envKey}${shown} for model provider "${id}"${to}, ${varWhere(v, home)}; not your ChatGPT login` };
  }
  if (p.hasBearerToken) {
    return {
      ...base,
      kind: 'provider-token',
      billing,
      from: 'config.toml',
      source: p.source,
      summary: `the plain-text experimental_bearer_token of model provider "${id}"${to} (${at(p.source, home)}); not your ChatGPT login`,
    };
  }
  if (p.hasAuthCommand) {
    return {
      ...base,
      kind: 'provider-command',
      billing,
      from: 'config.toml',
      source: p.source,
      summary: `a token from the auth command of model provider "${id}"${to}; not your ChatGPT login`,
    };
  }
  if (p.requiresOpenaiAuth) {
    const e = withLogout(builtinCredential(cmd, input), input, cmd);
    return { ...e, ...base, summary: `${e.summary}, sent to model provider "${id}"${to}` };
  }
  if (rules.providerAuthJsonFallback && stored.kind === 'apikey') {
    const e = fromStored(cmd, input);
    return { ...e, ...base, billing, summary: `${e.summary}, sent to model provider "${id}"${to} (Codex before 0.149 falls back to the stored key)` };
  }
  return { ...base, kind: 'none', billing: 'provider', summary: `no credential: model provider "${id}"${to} is used without one, not your ChatGPT login` };
}
