// What an answer from OpenAI means for a key (pure). A 401 is not always "dead": a live restricted
// key gets 401 missing_scope, so the error code decides (reference/openai-key-formats.md §4).
import type { Verification } from '../types.js';

export interface Outcome {
  result: Verification;
  detail: string;
}

function errorOf(body: string): { code?: string; type?: string; message?: string } {
  try {
    const doc: unknown = JSON.parse(body);
    const err = doc !== null && typeof doc === 'object' ? (doc as { error?: unknown }).error : undefined;
    if (err === null || typeof err !== 'object') return {};
    const e = err as Record<string, unknown>;
    const out: { code?: string; type?: string; message?: string } = {};
    if (typeof e.code === 'string') out.code = e.code;
    if (typeof e.type === 'string') out.type = e.type;
    if (typeof e.message === 'string') out.message = e.message;
    return out;
  } catch {
    return {};
  }
}

export function outcomeOf(status: number, body: string): Outcome {
  const err = errorOf(body);
  const code = err.code ?? err.type;
  if (status >= 200 && status < 300) return { result: 'live', detail: `OpenAI accepted it (HTTP ${status})` };
  if (status === 401) {
    if (code === 'invalid_api_key') return { result: 'revoked', detail: 'OpenAI rejects it (401 invalid_api_key): revoked or never valid' };
    if (code === 'missing_scope' || /missing scopes?/i.test(err.message ?? '')) return { result: 'live', detail: 'a live restricted key (401 missing_scope)' };
    return { result: 'unknown', detail: `HTTP 401${code ? ` ${code}` : ''}` };
  }
  if (status === 403) return { result: 'live', detail: `live but restricted here (403${code ? ` ${code}` : ''})` };
  if (status === 429) {
    return {
      result: 'live',
      detail: code === 'insufficient_quota' ? 'live but out of quota (429 insufficient_quota)' : `live, rate limited (429${code ? ` ${code}` : ''})`,
    };
  }
  if (status >= 500) return { result: 'unknown', detail: `OpenAI had a server error (HTTP ${status})` };
  return { result: 'unknown', detail: `unexpected answer (HTTP ${status}${code ? ` ${code}` : ''})` };
}
