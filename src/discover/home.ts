// Where Codex keeps auth.json, config.toml and .env: CODEX_HOME, or ~/.codex.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { homeOf } from './profiles.js';
import type { CodexHome } from '../codex/facts.js';

export function codexHomePath(env: NodeJS.ProcessEnv, cwd: string): { path: string; fromEnv: boolean } | undefined {
  const fromEnv = env.CODEX_HOME?.trim();
  if (fromEnv) return { path: resolve(cwd, fromEnv), fromEnv: true };
  const home = homeOf(env);
  return home ? { path: join(home, '.codex'), fromEnv: false } : undefined;
}

/** The home and whether it exists; a path that is not a directory counts as missing, as for Codex. */
export async function readCodexHome(env: NodeJS.ProcessEnv, cwd: string): Promise<CodexHome | undefined> {
  const where = codexHomePath(env, cwd);
  if (!where) return undefined;
  try {
    const s = await stat(where.path);
    return { ...where, exists: s.isDirectory() };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ...where, exists: false };
    throw err;
  }
}
