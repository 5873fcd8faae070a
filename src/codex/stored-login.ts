// What the persistent store holds, resolved as Codex resolves it (AuthDotJson::resolved_mode):
// auth_mode wins; without it a non-null OPENAI_API_KEY means API-key mode (0.36+; 0.20–0.35 used
// the tokens when there were any); otherwise ChatGPT, even with no tokens at all.
import type { CodexFacts, IdClaims, LoginStatus } from './facts.js';
import type { Rules } from './rules.js';

export type Store = 'file' | 'keyring' | 'auto' | 'ephemeral';

export type StoredLogin =
  | { kind: 'none'; store: Store }
  | { kind: 'chatgpt'; store: Store; claims: IdClaims; missing: string[]; legacy: boolean; mixed: boolean }
  | { kind: 'apikey'; store: Store; key?: string; legacy: boolean; mixed: boolean }
  | { kind: 'other'; store: Store; mode: string }
  | { kind: 'invalid'; store: Store; error: string }
  /** the login is somewhere keyguard cannot read (the keyring, an unreadable file) */
  | { kind: 'unknown'; store: Store; why: string };

export function storeOf(facts: CodexFacts, rules: Rules): Store {
  const v = facts.config.credentialsStore?.value;
  if (!rules.credentialsStore) return 'file';
  return v === 'keyring' || v === 'auto' || v === 'ephemeral' ? v : 'file';
}

function fromStatus(status: LoginStatus | undefined, store: Store): StoredLogin | undefined {
  switch (status?.state) {
    case 'chatgpt':
      return { kind: 'chatgpt', store, claims: {}, missing: [], legacy: false, mixed: false };
    case 'apikey':
      return { kind: 'apikey', store, legacy: false, mixed: false };
    case 'none':
      return { kind: 'none', store };
    case 'other':
      return { kind: 'other', store, mode: status.text };
    default:
      return undefined;
  }
}

function fromFile(facts: CodexFacts, rules: Rules, store: Store): StoredLogin {
  const a = facts.auth;
  switch (a.state) {
    case 'absent':
      return { kind: 'none', store };
    case 'unreadable':
      return { kind: 'unknown', store, why: `${a.path} cannot be read (${a.error})` };
    case 'invalid':
      return { kind: 'invalid', store, error: a.error };
    case 'parsed':
      break;
  }
  const mixed = a.apiKey !== null && a.tokens !== undefined;
  const chatgpt = (legacy: boolean): StoredLogin => {
    const missing: string[] = [];
    if (!a.tokens) missing.push('tokens');
    else {
      if (!a.tokens.accessToken) missing.push('tokens.access_token');
      if (!a.tokens.refreshToken) missing.push('tokens.refresh_token');
    }
    return { kind: 'chatgpt', store, claims: a.claims, missing, legacy, mixed };
  };
  if (a.authMode !== undefined) {
    if (a.authMode === 'apikey') {
      return a.apiKey
        ? { kind: 'apikey', store, key: a.apiKey, legacy: false, mixed }
        : { kind: 'invalid', store, error: 'API key auth is missing a key (auth_mode is "apikey" but OPENAI_API_KEY is null)' };
    }
    if (a.authMode === 'chatgpt') return chatgpt(false);
    return { kind: 'other', store, mode: a.authMode };
  }
  if (a.apiKey !== null && !(mixed && rules.legacyMixedUses === 'chatgpt')) return { kind: 'apikey', store, key: a.apiKey, legacy: true, mixed };
  return chatgpt(true);
}

export function storedLogin(facts: CodexFacts, rules: Rules): StoredLogin {
  const store = storeOf(facts, rules);
  if (store === 'ephemeral') return { kind: 'none', store };
  if (store === 'keyring') {
    // auth.json is not read in keyring mode (a successful keyring save deletes it).
    return fromStatus(facts.loginStatus, store) ?? { kind: 'unknown', store, why: 'the login is kept in the OS keyring, which keyguard does not read' };
  }
  if (store === 'auto') {
    const s = fromStatus(facts.loginStatus, store);
    if (s) {
      // The keyring is tried first; the file only adds detail (plan, key) when it agrees.
      const f = facts.auth.state === 'parsed' ? fromFile(facts, rules, store) : undefined;
      return f && f.kind === s.kind ? f : s;
    }
    // A successful keyring save deletes auth.json: when it is still there, the file is what is in use.
    if (facts.auth.state !== 'absent') return fromFile(facts, rules, store);
    return { kind: 'unknown', store, why: 'the login may be in the OS keyring, which keyguard does not read' };
  }
  return fromFile(facts, rules, store);
}
