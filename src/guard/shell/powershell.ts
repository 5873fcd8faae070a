// Where PowerShell's guard goes: the CurrentUserCurrentHost profile ($PROFILE) of each PowerShell here.
// PowerShell 7 (`pwsh`) and Windows PowerShell 5.1 (`powershell`, Windows only) have a profile each.
// A PowerShell on PATH is asked for its $PROFILE (it knows a Documents folder moved to OneDrive);
// without one, or when it does not answer, the path is the one PowerShell uses by default.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { homeOf, xdgDir } from '../../discover/home.js';
import { PWSH_PROFILE_NAME, PWSH_WINDOWS_DIRS, windowsDocuments } from '../../discover/profiles.js';
import { HookError } from '../../errors.js';
import { onPath, stdoutOf } from './detect.js';
import { hasBlock, withBlock, type BlockEdit } from './profile-block.js';

/** The programs that are PowerShell: the guard is for PowerShell when either is on PATH. */
export const PWSH_PROGRAMS = ['pwsh', 'powershell'] as const;

type Program = (typeof PWSH_PROGRAMS)[number];

// a cold .NET start can take seconds; this runs once, at install time
const ASK_TIMEOUT_MS = 10_000;

/** The Documents folder on Windows: one that already holds a PowerShell profile folder, else ~\Documents. */
function documents(home: string): string {
  const candidates = windowsDocuments(home);
  const used = candidates.find((d) => Object.values(PWSH_WINDOWS_DIRS).some((p) => existsSync(join(d, p))));
  return used ?? candidates[0]!;
}

/** The profile `program` uses by default (Linux and macOS: $XDG_CONFIG_HOME/powershell, for pwsh only). */
export function defaultPwshProfile(program: Program, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const home = homeOf(env, platform);
  if (!home) return undefined;
  if (platform === 'win32') return join(documents(home), PWSH_WINDOWS_DIRS[program], PWSH_PROFILE_NAME);
  return program === 'pwsh' ? join(xdgDir(env, 'XDG_CONFIG_HOME', home), 'powershell', PWSH_PROFILE_NAME) : undefined;
}

/** `program`'s own answer for $PROFILE, when it gives an absolute path to a .ps1 file. */
async function askProfile(path: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const out = await stdoutOf(path, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '$PROFILE'], env, ASK_TIMEOUT_MS);
  const answer = out?.trim();
  return answer && !answer.includes('\n') && isAbsolute(answer) && /\.ps1$/i.test(answer) ? answer : undefined;
}

/**
 * The profiles the guard goes in: each PowerShell's answer when it is on PATH, else its default path
 * (both PowerShells' on Windows, pwsh's elsewhere). `andDefaults` (uninstall): the default paths too,
 * where a guard installed while no PowerShell was on PATH went.
 */
export async function pwshProfiles(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, andDefaults = false): Promise<string[]> {
  const paths: string[] = [];
  for (const program of PWSH_PROGRAMS) {
    const found = await onPath(program, env, platform);
    const asked = found ? await askProfile(found, env) : undefined;
    const fallback = defaultPwshProfile(program, env, platform);
    for (const path of asked && !andDefaults ? [asked] : [asked, fallback]) if (path && !paths.includes(path)) paths.push(path);
  }
  return paths;
}

/** The PowerShell on PATH (pwsh first), or undefined. */
export async function pwshOnPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<string | undefined> {
  for (const program of PWSH_PROGRAMS) {
    const found = await onPath(program, env, platform);
    if (found) return found;
  }
  return undefined;
}

const SIGNATURE = '# SIG # Begin signature block';

/**
 * keyguard's block in a PowerShell profile: appended like any other, except to a signed profile,
 * where any edit breaks the signature and an AllSigned policy would then refuse the whole profile.
 */
export function withPwshBlock(text: string, body: readonly string[], path: string): BlockEdit {
  if (text.includes(SIGNATURE) && !hasBlock(text, path)) {
    throw new HookError(
      `${path} is signed (it has a '${SIGNATURE}'): editing it would break the signature, so nothing was changed. ` +
        'Add the guard by hand above the signature and sign the profile again (the block: keyguard install --shell pwsh on an unsigned copy)',
    );
  }
  return withBlock(text, body, path);
}
