// The claims Codex reads from the id_token. Decoded only, never verified: we describe, we do not trust.
import type { IdClaims } from './facts.js';

function payloadOf(jwt: string): Record<string, unknown> | undefined {
  const part = jwt.split('.')[1];
  if (!part) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function idTokenClaims(jwt: string | undefined): IdClaims {
  const p = jwt ? payloadOf(jwt) : undefined;
  if (!p) return {};
  const auth = obj(p['https://api.openai.com/auth']) ?? {};
  const profile = obj(p['https://api.openai.com/profile']) ?? {};
  const claims: IdClaims = {};
  const email = str(p.email) ?? str(profile.email);
  if (email) claims.email = email;
  const plan = str(auth.chatgpt_plan_type);
  if (plan) claims.plan = plan;
  const account = str(auth.chatgpt_account_id);
  if (account) claims.accountId = account;
  return claims;
}
