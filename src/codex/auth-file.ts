// $CODEX_HOME/auth.json: parsed as Codex's AuthDotJson is (codex-rs/login/src/auth/storage.rs).
// A wrong type or an unknown auth_mode makes Codex fail to load the file, so it is 'invalid' here too.
import { readSmallFile } from '../small-file.js';
import { join } from 'node:path';
import { errorMessage } from '../errors.js';
import type { AuthFile, TokenFacts } from './facts.js';
import { idTokenClaims } from './jwt.js';

/** auth_mode values of the reference's table (0.171). */
export const KNOWN_AUTH_MODES = ['apikey', 'chatgpt', 'chatgptAuthTokens', 'agentIdentity', 'personalAccessToken'] as const;

/** 0.171 also has Bedrock and external modes whose exact spelling the reference does not give. */
function isKnownMode(mode: string): boolean {
  return (KNOWN_AUTH_MODES as readonly string[]).includes(mode) || /bedrock|external/i.test(mode);
}

/** A real auth.json is a few KB; anything far larger is not one, and we keep reads small. */
const MAX_AUTH_BYTES = 1024 * 1024;

class Invalid extends Error {}

function optionalString(o: Record<string, unknown>, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new Invalid(`${where}${key} is not a string`);
  return v;
}

function tokensOf(v: unknown): TokenFacts | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new Invalid('tokens is not an object');
  const o = v as Record<string, unknown>;
  const t: TokenFacts = {};
  const id = optionalString(o, 'id_token', 'tokens.');
  if (id) t.idToken = id;
  const access = optionalString(o, 'access_token', 'tokens.');
  if (access) t.accessToken = access;
  const refresh = optionalString(o, 'refresh_token', 'tokens.');
  if (refresh) t.refreshToken = refresh;
  const account = optionalString(o, 'account_id', 'tokens.');
  if (account) t.accountId = account;
  return t;
}

export function parseAuthJson(text: string, path: string): AuthFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { state: 'invalid', path, error: `not valid JSON (${errorMessage(err)})` };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { state: 'invalid', path, error: 'not a JSON object' };
  const o = doc as Record<string, unknown>;
  try {
    const authMode = optionalString(o, 'auth_mode', '');
    if (authMode !== undefined && !isKnownMode(authMode)) {
      throw new Invalid(`auth_mode "${authMode}" is not one Codex knows (${KNOWN_AUTH_MODES.join(', ')})`);
    }
    const apiKey = optionalString(o, 'OPENAI_API_KEY', '') ?? null;
    const tokens = tokensOf(o.tokens);
    const lastRefresh = optionalString(o, 'last_refresh', '');
    const parsed: AuthFile = { state: 'parsed', path, apiKey, claims: idTokenClaims(tokens?.idToken) };
    if (authMode !== undefined) parsed.authMode = authMode;
    if (tokens) parsed.tokens = tokens;
    if (lastRefresh) parsed.lastRefresh = lastRefresh;
    return parsed;
  } catch (err) {
    if (err instanceof Invalid) return { state: 'invalid', path, error: err.message };
    throw err;
  }
}

export function authFilePath(codexHome: string): string {
  return join(codexHome, 'auth.json');
}

/** Synchronous (small-file.ts): the pre-commit hook reads it too (own keys). */
export async function readAuthFile(codexHome: string): Promise<AuthFile> {
  const path = authFilePath(codexHome);
  const f = readSmallFile(path, MAX_AUTH_BYTES);
  if (f.state === 'absent') return { state: 'absent', path };
  if (f.state === 'not-a-file') return { state: 'unreadable', path, error: 'not a regular file' };
  if (f.state === 'too-large') return { state: 'invalid', path, error: `${f.size} bytes: too large to be a Codex login` };
  if (f.state === 'unreadable') return { state: 'unreadable', path, error: f.error };
  return parseAuthJson(f.bytes.toString('utf8'), path);
}
