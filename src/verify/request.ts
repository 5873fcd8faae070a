// One question to OpenAI about one key: a read-only GET, one attempt, a timeout. No retries: an
// unanswered question is "unknown", never a reason to ask again.
import { errorMessage } from '../errors.js';
import { outcomeOf, type Outcome } from './outcome.js';

export interface Endpoint {
  /** e.g. https://api.openai.com (no trailing slash, no /v1) */
  base: string;
  timeoutMs: number;
}

const MAX_BODY = 64 * 1024;

export function pathFor(admin: boolean): string {
  return admin ? '/v1/organization/admin_api_keys?limit=1' : '/v1/models';
}

export async function askOpenAi(key: string, admin: boolean, ep: Endpoint): Promise<Outcome> {
  let res: Response;
  try {
    res = await fetch(`${ep.base}${pathFor(admin)}`, {
      method: 'GET',
      headers: { Authorization: `Bearer ${key}`, 'User-Agent': 'keyguard-verify' },
      // A redirect would carry the question somewhere else: treat it as an answer instead.
      redirect: 'manual',
      signal: AbortSignal.timeout(ep.timeoutMs),
    });
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') return { result: 'unknown', detail: `no answer within ${ep.timeoutMs / 1000}s` };
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
    return { result: 'unknown', detail: `could not reach ${ep.base} (${errorMessage(cause)})` };
  }
  let body = '';
  try {
    body = (await res.text()).slice(0, MAX_BODY);
  } catch {
    // The status alone still tells most of the story.
  }
  return outcomeOf(res.status, body);
}
