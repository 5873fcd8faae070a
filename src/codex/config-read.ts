// Finds and reads the config.toml layers Codex would load for this working directory.
import { realpath } from 'node:fs/promises';
import { readSmallFile } from '../small-file.js';
import { dirname, join, resolve } from 'node:path';
import { mergeConfig, trustLevelOf, type LayerText } from './config.js';
import type { ConfigFacts } from './facts.js';
import { exists } from '../exists.js';

const SYSTEM_CONFIG = '/etc/codex/config.toml';
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

type ReadErrors = { path: string; message: string }[];

function readOptional(path: string, errors: ReadErrors): string | undefined {
  const f = readSmallFile(path, MAX_CONFIG_BYTES);
  if (f.state === 'read') return f.bytes.toString('utf8');
  if (f.state === 'too-large') errors.push({ path, message: `${f.size} bytes: too large to read` });
  if (f.state === 'unreadable' && f.code !== 'ENOTDIR') errors.push({ path, message: f.error });
  return undefined;
}

/** The enclosing git work tree (a `.git` directory or file), found without running git. */
export async function gitRootOf(dir: string): Promise<string | undefined> {
  let d = resolve(dir);
  for (;;) {
    if (await exists(join(d, '.git'))) return d;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

async function real(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    return p;
  }
}

/** Directories from the project root down to cwd, each of which may hold `.codex/config.toml`. */
function projectDirs(root: string, cwd: string): string[] {
  const dirs: string[] = [];
  let d = cwd;
  for (;;) {
    dirs.unshift(d);
    if (d === root) break;
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return dirs;
}

export async function readConfig(
  opts: { codexHome: string; cwd: string; env: NodeJS.ProcessEnv; platform: NodeJS.Platform },
  errors: ReadErrors,
): Promise<ConfigFacts> {
  const layers: LayerText[] = [];
  // Tests point this elsewhere: /etc is not theirs to write.
  const systemPath = opts.env.KEYGUARD_CODEX_SYSTEM_CONFIG ?? (opts.platform === 'win32' ? undefined : SYSTEM_CONFIG);
  if (systemPath) {
    const text = readOptional(systemPath, errors);
    if (text !== undefined) layers.push({ path: systemPath, kind: 'system', text, loaded: true });
  }
  const userPath = join(opts.codexHome, 'config.toml');
  const userText = readOptional(userPath, errors);
  if (userText !== undefined) layers.push({ path: userPath, kind: 'user', text: userText, loaded: true });

  const cwd = resolve(opts.cwd);
  const root = (await gitRootOf(cwd)) ?? cwd;
  const trust = trustLevelOf(userText, [...new Set([cwd, await real(cwd), root, await real(root)])]);
  for (const dir of projectDirs(root, cwd)) {
    const path = join(dir, '.codex', 'config.toml');
    if (resolve(path) === resolve(userPath)) continue;
    const text = readOptional(path, errors);
    if (text !== undefined) layers.push({ path, kind: 'project', text, loaded: trust === 'trusted' });
  }
  return mergeConfig(layers);
}
