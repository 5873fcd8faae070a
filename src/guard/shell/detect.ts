// Which shells are on this machine (a program of that name on PATH), and their versions: bash's
// scrubber needs 5.0, fish's filter function 4.0. Asked once, at install time, with a short timeout.
import { access, constants } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { parseVersion, type Version } from '../../codex/semver.js';
import { runProgram } from '../../run-program.js';

/** The first `name` on PATH that is executable, or undefined. */
export async function onPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<string | undefined> {
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue; // a relative PATH entry depends on where the shell happens to be
    for (const ext of exts) {
      const path = join(dir, name + ext);
      try {
        await access(path, constants.X_OK);
        return path;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const TIMEOUT_MS = 3000;

/** `program --version`'s x.y.z, or undefined when it does not answer with one. */
export async function versionOf(program: string, env: NodeJS.ProcessEnv): Promise<Version | undefined> {
  const r = await runProgram(program, ['--version'], env, { timeoutMs: TIMEOUT_MS, maxOutput: 4096 });
  if (r.errorCode || r.timedOut) return undefined;
  const out = r.stdout + r.stderr;
  // fish 3.x prints "fish, version 3.6.0"; parseVersion wants x.y.z
  return parseVersion(out) ?? parseVersion(out.replace(/(\d+)\.(\d+)(?!\.\d)/, '$1.$2.0'));
}

/** What `program args…` prints on stdout when it exits 0 within `timeoutMs`, else undefined. */
export async function stdoutOf(program: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = TIMEOUT_MS): Promise<string | undefined> {
  const r = await runProgram(program, args, env, { timeoutMs, maxOutput: 16_384 });
  return r.code === 0 ? r.stdout : undefined;
}
