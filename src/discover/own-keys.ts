// The keys configured on this machine, so every scan can say "this is your key". Read at run time,
// never stored: only the in-memory index (hash, length, short prefix) is kept.
// It runs in the pre-commit hook: no subprocess, small reads only, and nothing here may fail a scan.
import { readAuthFile } from '../codex/auth-file.js';
import { readDotenvAssignments, readProfileAssignments, type NamedAssignment } from '../codex/assignments-read.js';
import { tildify } from '../codex/display.js';
import { codexHomePath, homeOf } from './home.js';
import type { OwnKey } from '../engine/own-keys.js';
import { MARKER } from '../engine/rules.js';
import { join } from 'node:path';

const ENV_VARS = ['OPENAI_API_KEY', 'CODEX_API_KEY'] as const;

/** Variables that hold an OpenAI or Codex credential by name, whatever the value looks like. */
const KEY_NAME = /^(?:[A-Z0-9_]*OPENAI[A-Z0-9_]*(?:KEY|TOKEN|SECRET)[A-Z0-9_]*|CODEX_API_KEY|CODEX_ACCESS_TOKEN)$/;

/** Any literal that looks like an OpenAI key counts, whatever the variable is called. */
function looksLikeKey(value: string): boolean {
  return value.startsWith('sk-') || value.includes(MARKER);
}

function wanted(a: NamedAssignment): a is NamedAssignment & { value: string } {
  return a.value !== null && a.value.trim().length >= 20 && (KEY_NAME.test(a.name) || looksLikeKey(a.value));
}

function everyName(_name: string): boolean {
  return true;
}

async function safely<T>(fallback: T, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch {
    return fallback;
  }
}

export async function collectOwnKeys(env: NodeJS.ProcessEnv, cwd: string, platform: NodeJS.Platform): Promise<OwnKey[]> {
  const home = homeOf(env, platform);
  const show = (p: string): string => tildify(p, home);
  const keys: OwnKey[] = [];
  const profiles = (
    await safely({ assignments: [], errors: [] }, () => readProfileAssignments(env, everyName, platform, { projectEnvrc: false }))
  ).assignments.filter(wanted);
  const where = (a: NamedAssignment): string => `set in ${show(a.path)} line ${a.line}`;

  // The environment first: its label names the profile line that set the value, when there is one.
  for (const name of ENV_VARS) {
    const v = env[name]?.trim();
    if (!v) continue;
    const from = [...profiles].reverse().find((a) => a.name === name && a.value.trim() === v);
    keys.push({ secret: v, label: from ? `the key in your ${name}, ${where(from)}` : `the key in your ${name} environment variable` });
  }
  for (const a of profiles) keys.push({ secret: a.value.trim(), label: `the key in your ${a.name}, ${where(a)}` });

  const codexHome = codexHomePath(env, cwd, platform);
  if (codexHome) {
    const dotenvPath = join(codexHome.path, '.env');
    const dotenv = (await safely({ assignments: [], errors: [] }, () => readDotenvAssignments(dotenvPath, everyName))).assignments.filter(wanted);
    for (const a of dotenv) keys.push({ secret: a.value.trim(), label: `the key in ${a.name} in ${show(a.path)} line ${a.line}` });
    const auth = await safely(undefined, () => readAuthFile(codexHome.path));
    if (auth?.state === 'parsed' && auth.apiKey) keys.push({ secret: auth.apiKey.trim(), label: `the API key Codex is signed in with (${show(auth.path)})` });
  }
  return keys;
}
