// Where things hang off on this machine: the home directory, the XDG base directories, the agents'
// own homes and keyguard's data directory. Every module that needs one of them asks here, so they
// all agree: no HOME means no home (never a guess from the password database: an audit run with a
// stripped environment must say so, not read someone's real home), and a relative CODEX_HOME or
// CLAUDE_CONFIG_DIR is resolved against the working directory, as the agents themselves do.
import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { CodexHome } from '../codex/facts.js';

/** HOME (USERPROFILE on Windows, where HOME is often unset); undefined when missing. */
export function homeOf(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const home = env.HOME || (platform === 'win32' ? env.USERPROFILE : undefined);
  return home ? home : undefined;
}

export type XdgName = 'XDG_CONFIG_HOME' | 'XDG_DATA_HOME' | 'XDG_STATE_HOME' | 'XDG_CACHE_HOME';

const XDG_DEFAULTS: Record<XdgName, string> = {
  XDG_CONFIG_HOME: '.config',
  XDG_DATA_HOME: '.local/share',
  XDG_STATE_HOME: '.local/state',
  XDG_CACHE_HOME: '.cache',
};

/** XDG base directories: the variable when it is an absolute path (the spec says ignore others), else the default. */
export function xdgDir(env: NodeJS.ProcessEnv, name: XdgName, home: string): string {
  const v = env[name];
  return v && isAbsolute(v) ? v : join(home, XDG_DEFAULTS[name]);
}

export interface AgentHome {
  path: string;
  /** set by the agent's variable rather than defaulted */
  fromEnv: boolean;
}

/** An agent's home: its variable (relative to cwd, as the agent resolves it) or `~/<fallback>`. */
export function agentHome(
  env: NodeJS.ProcessEnv,
  cwd: string,
  platform: NodeJS.Platform,
  name: 'CODEX_HOME' | 'CLAUDE_CONFIG_DIR',
  fallback: '.codex' | '.claude',
): AgentHome | undefined {
  const fromEnv = env[name]?.trim();
  if (fromEnv) return { path: resolve(cwd, fromEnv), fromEnv: true };
  const home = homeOf(env, platform);
  return home ? { path: join(home, fallback), fromEnv: false } : undefined;
}

/** Where Codex keeps auth.json, config.toml and .env: CODEX_HOME, or ~/.codex. */
export function codexHomePath(env: NodeJS.ProcessEnv, cwd: string, platform: NodeJS.Platform): AgentHome | undefined {
  return agentHome(env, cwd, platform, 'CODEX_HOME', '.codex');
}

/** The Codex home and whether it exists; a path that is not a directory counts as missing, as for Codex. */
export async function readCodexHome(env: NodeJS.ProcessEnv, cwd: string, platform: NodeJS.Platform): Promise<CodexHome | undefined> {
  const where = codexHomePath(env, cwd, platform);
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

/** keyguard's own data directory (backups): $XDG_DATA_HOME/keyguard, else ~/.local/share/keyguard. */
export function dataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const xdg = env.XDG_DATA_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'keyguard');
  const home = homeOf(env, platform);
  return home ? join(xdgDir(env, 'XDG_DATA_HOME', home), 'keyguard') : undefined;
}
