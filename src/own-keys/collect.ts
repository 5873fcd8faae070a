// The keys configured on this machine, so every scan can say "this is your key". Read at run time,
// never stored: only the in-memory index (hash, length, short prefix) is kept.
import type { OwnKey } from '../engine/own-keys.js';

const ENV_VARS = ['OPENAI_API_KEY', 'CODEX_API_KEY'] as const;

export async function collectOwnKeys(env: NodeJS.ProcessEnv): Promise<OwnKey[]> {
  const keys: OwnKey[] = [];
  for (const name of ENV_VARS) {
    const v = env[name]?.trim();
    if (v) keys.push({ secret: v, label: `the key in your ${name} environment variable` });
  }
  return keys;
}
