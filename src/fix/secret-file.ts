// Where --fix puts a profile's key when there is no usable secret store: a file only the user can
// read (0600, in a 0700 folder of keyguard's), never inside the git work tree that holds the profile
// (a dotfiles repository would commit it next to the profile it was taken out of).
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { dataDir, homeOf, xdgDir } from '../discover/home.js';
import { fingerprint } from '../engine/fingerprint.js';
import { gitBytes } from '../git/process.js';
import { writeTemp } from './atomic-rewrite.js';
import { ensureBackupDir } from './backup.js';

/** The folders keyguard may keep keys in, best first: $XDG_DATA_HOME/keyguard/secrets, then the config dir. */
export function secretDirs(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const out: string[] = [];
  const data = dataDir(env, platform);
  if (data) out.push(join(data, 'secrets'));
  const home = homeOf(env, platform);
  if (home) out.push(join(xdgDir(env, 'XDG_CONFIG_HOME', home), 'keyguard', 'secrets'));
  return out;
}

/** The work tree `dir` (or, when it does not exist yet, its nearest folder above) is in, if any. */
async function workTreeOf(dir: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  let d = dir;
  while (
    !(await stat(d).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    if (dirname(d) === d) return undefined;
    d = dirname(d);
  }
  try {
    return (await gitBytes(d, env, ['rev-parse', '--show-toplevel'])).toString('utf8').trim() || undefined;
  } catch {
    return undefined; // not in a repository, or no git to ask
  }
}

export interface SecretDirChoice {
  dir?: string;
  /** why a folder was passed over, for the message */
  skipped: string[];
}

/** The first folder of `secretDirs` outside the git work tree that holds `profile` (its real path). */
export async function chooseSecretDir(profile: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<SecretDirChoice> {
  const repo = await workTreeOf(dirname(profile), env);
  const skipped: string[] = [];
  for (const dir of secretDirs(env, platform)) {
    if (repo !== undefined && (await workTreeOf(dir, env)) === repo) {
      skipped.push(`${dir} is inside the git work tree ${repo}, which holds the profile`);
      continue;
    }
    return { dir, skipped };
  }
  return { skipped };
}

async function readIfThere(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'latin1');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Write `secret` to `<dir>/<variable>` (mode 0600), or reuse the file that already holds it; returns its path. */
export async function putSecretFile(dir: string, variable: string, secret: string): Promise<string> {
  await ensureBackupDir(dir);
  // keeps the folder out of any repository it may end up in later (git add -A skips ignored files)
  const ignore = join(dir, '.gitignore');
  if ((await readIfThere(ignore)) === undefined) await writeFile(ignore, '*\n', { mode: 0o600 });
  for (const name of [variable, `${variable}-${fingerprint(secret).slice(0, 8)}`]) {
    const path = join(dir, name);
    const there = await readIfThere(path);
    if (there === secret) return path;
    if (there !== undefined) continue; // another key for the same variable: it keeps its file
    const tmp = await writeTemp(path, 0o600, async (fh) => fh.writeFile(secret));
    await tmp.commit();
    // read back through a fresh handle: what the profile will read
    const fh = await open(path, 'r');
    try {
      if ((await fh.readFile('latin1')) !== secret) throw new Error(`${path} does not hold the key after writing it`);
    } finally {
      await fh.close();
    }
    return path;
  }
  throw new Error(`${dir} already holds other keys for ${variable}`);
}
