// Who else can reach auth.json: other local users (mode bits), a git repository it sits in,
// a sync client that copies it to the cloud.
import { realpath, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { runGit } from '../git/process.js';
import { gitRootOf } from './config-read.js';
import type { AuthFileExposure, GitExposure } from './facts.js';
import { syncedServiceOf } from './synced.js';

const GIT_TIMEOUT_MS = 3000;

/** git's exit code (-1: it could not run, or took too long). */
async function gitStatus(root: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return (await runGit(root, env, args, undefined, { timeoutMs: GIT_TIMEOUT_MS })).code;
}

async function gitExposure(path: string, env: NodeJS.ProcessEnv): Promise<GitExposure | undefined> {
  const root = await gitRootOf(path);
  if (!root) return undefined;
  const rel = relative(root, path);
  const tracked = (await gitStatus(root, ['ls-files', '--error-unmatch', '--', rel], env)) === 0;
  const ignored = !tracked && (await gitStatus(root, ['check-ignore', '-q', '--', rel], env)) === 0;
  return { root, tracked, ignored };
}

export async function readExposure(authPath: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<AuthFileExposure> {
  const out: AuthFileExposure = {};
  let real: string;
  try {
    const s = await stat(authPath);
    // A directory in auth.json's place is reported as unreadable; its mode bits say nothing about a login.
    if (!s.isFile()) return out;
    if (platform !== 'win32') out.mode = s.mode & 0o777;
    real = await realpath(authPath);
  } catch {
    return out;
  }
  const git = await gitExposure(real, env);
  if (git) out.git = git;
  const synced = syncedServiceOf(real) ?? syncedServiceOf(authPath);
  if (synced) out.synced = synced;
  return out;
}
