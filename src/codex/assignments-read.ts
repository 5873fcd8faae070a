// Reads shell profiles and .env files into variable assignments (parsing is src/profiles' job).
// Shared by `keyguard codex` and own-key collection, which runs in the pre-commit hook: small
// reads only, no subprocess, and an unreadable file is reported, never thrown.
import { parseAssignments } from '../sources/shell-profiles/assignments.js';
import { discoverProfiles, type DiscoverOptions } from '../discover/profiles.js';
import { readSmallFile } from '../small-file.js';
import type { Assignment } from './facts.js';

/** Profiles and .env files are a few KB; a huge one is not worth the hook's time. */
const MAX_FILE_BYTES = 512 * 1024;

export interface NamedAssignment extends Assignment {
  name: string;
}

export interface AssignmentsRead {
  assignments: NamedAssignment[];
  errors: { path: string; message: string }[];
}

/** A profile or .env file's text; nothing for what is not a file; an error for what cannot be read. */
function readSmall(path: string): { text?: string; error?: string } {
  const f = readSmallFile(path, MAX_FILE_BYTES);
  if (f.state === 'read') return { text: f.bytes.toString('utf8') };
  if (f.state === 'too-large') return { error: `${f.size} bytes: too large to read` };
  if (f.state === 'unreadable' && f.code !== 'ENOTDIR') return { error: f.error };
  return {};
}

function parsed(text: string, path: string, shell: Parameters<typeof parseAssignments>[2], want: (name: string) => boolean): NamedAssignment[] {
  return parseAssignments(text, path, shell)
    .filter((a) => want(a.name))
    .map((a) => ({ name: a.name, path: a.path, line: a.line, value: a.value, shell, raw: a.raw }));
}

/** Assignments to the wanted names in every shell profile of this user, in the order the shells read them. */
export async function readProfileAssignments(
  env: NodeJS.ProcessEnv,
  want: (name: string) => boolean,
  platform: NodeJS.Platform,
  opts: DiscoverOptions = {},
): Promise<AssignmentsRead> {
  const out: AssignmentsRead = { assignments: [], errors: [] };
  for (const profile of await discoverProfiles(env, platform, opts)) {
    const r = readSmall(profile.path);
    if (r.error) out.errors.push({ path: profile.path, message: r.error });
    if (r.text !== undefined) out.assignments.push(...parsed(r.text, profile.path, profile.shell, want));
  }
  return out;
}

/** Assignments in one `.env` file (missing file: none). */
export async function readDotenvAssignments(path: string, want: (name: string) => boolean): Promise<AssignmentsRead> {
  const r = readSmall(path);
  return {
    assignments: r.text === undefined ? [] : parsed(r.text, path, 'env', want),
    errors: r.error ? [{ path, message: r.error }] : [],
  };
}
