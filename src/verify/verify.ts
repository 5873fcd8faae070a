// `--verify`: opt-in only. Asks OpenAI whether each distinct key found is live, and tells the user
// first that this sends the keys to OpenAI and nowhere else. Never run by the hook unless asked.
import { UsageError } from '../errors.js';
import type { Finding } from '../types.js';
import type { Outcome } from './outcome.js';
import { mapLimit } from './pool.js';
import { askOpenAi, pathFor, type Endpoint } from './request.js';

const DEFAULT_BASE = 'https://api.openai.com';
const DEFAULT_TIMEOUT_MS = 10_000;
/** A handful at a time: enough to be quick, few enough not to look like a flood. */
const CONCURRENCY = 4;

/** KEYGUARD_OPENAI_BASE_URL points the questions at a test server; plain http only on loopback. */
export function endpointOf(env: NodeJS.ProcessEnv): Endpoint {
  const raw = env.KEYGUARD_OPENAI_BASE_URL?.trim() || DEFAULT_BASE;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`KEYGUARD_OPENAI_BASE_URL is not a URL: ${raw}`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new UsageError('KEYGUARD_OPENAI_BASE_URL must be https (plain http only for 127.0.0.1/localhost)');
  }
  const base = `${url.origin}${url.pathname}`.replace(/\/+$/, '').replace(/\/v1$/, '');
  const t = Number(env.KEYGUARD_VERIFY_TIMEOUT_MS);
  return { base, timeoutMs: Number.isFinite(t) && t > 0 ? t : DEFAULT_TIMEOUT_MS };
}

function isAdmin(f: Finding): boolean {
  return f.ruleId === 'openai-admin-key' || f.secret.startsWith('sk-admin-');
}

/** Session keys are browser sessions, and an own key of another shape may not be OpenAI's at all. */
function notSent(f: Finding): Outcome | undefined {
  if (f.family === 'session_45') return { result: 'unknown', detail: 'not checked: session keys are ChatGPT browser sessions, not API keys' };
  if (f.family === 'own_key' && !f.secret.startsWith('sk-')) return { result: 'unknown', detail: 'not checked: not an OpenAI key shape, so it was not sent' };
  return undefined;
}

export async function verifyFindings(findings: Finding[], opts: { env: NodeJS.ProcessEnv; stderr: (s: string) => void }): Promise<void> {
  const ep = endpointOf(opts.env);
  const bySecret = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = bySecret.get(f.secret);
    if (list) list.push(f);
    else bySecret.set(f.secret, [f]);
  }
  const groups = [...bySecret.values()] as [Finding, ...Finding[]][];
  const toSend = groups.filter((g) => !notSent(g[0]));
  if (toSend.length > 0) {
    const admin = toSend.some((g) => isAdmin(g[0]));
    opts.stderr(
      `keyguard: --verify sends ${toSend.length === 1 ? 'the key' : `each of the ${toSend.length} distinct keys`} found to ${ep.base} ` +
        `(GET ${pathFor(false)}${admin ? `; admin keys: GET ${pathFor(true)}` : ''}) and nowhere else, one request per key, no retries.\n`,
    );
  }
  const outcomes = await mapLimit(groups, CONCURRENCY, async (g) => notSent(g[0]) ?? askOpenAi(g[0].secret, isAdmin(g[0]), ep));
  const tally = { live: 0, revoked: 0, unknown: 0 };
  groups.forEach((g, i) => {
    const o = outcomes[i] as Outcome;
    tally[o.result]++;
    for (const f of g) {
      f.verification = o.result;
      f.verificationDetail = o.detail;
    }
  });
  if (groups.length > 0)
    opts.stderr(
      `keyguard: verified ${groups.length} distinct key${groups.length === 1 ? '' : 's'}: ${tally.live} live, ${tally.revoked} revoked, ${tally.unknown} unknown\n`,
    );
}
