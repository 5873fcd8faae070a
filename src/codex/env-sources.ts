// Where each auth-related variable is set: this shell's environment, the shell profiles,
// $CODEX_HOME/.env and (for old builds) ./.env.
import { join } from 'node:path';
import type { EnvVarFact } from './facts.js';
import { readDotenvAssignments, readProfileAssignments, type NamedAssignment } from './assignments-read.js';

/** The variables the reference says Codex reads for auth, plus the ones that redirect or tag requests. */
export const AUTH_VARS = ['OPENAI_API_KEY', 'CODEX_API_KEY', 'CODEX_ACCESS_TOKEN', 'OPENAI_BASE_URL', 'OPENAI_ORGANIZATION', 'OPENAI_PROJECT'] as const;

export async function readEnvFacts(
  opts: { env: NodeJS.ProcessEnv; codexHome: string; cwd: string; platform: NodeJS.Platform },
  names: readonly string[],
  errors: { path: string; message: string }[],
): Promise<Record<string, EnvVarFact>> {
  const want = new Set(names);
  const facts: Record<string, EnvVarFact> = {};
  for (const name of names) {
    const fact: EnvVarFact = { name, profiles: [] };
    const v = opts.env[name];
    if (v !== undefined && v !== '') fact.process = v;
    facts[name] = fact;
  }
  const has = (n: string): boolean => want.has(n);
  const profiles = await readProfileAssignments(opts.env, has, opts.platform);
  errors.push(...profiles.errors);
  for (const a of profiles.assignments) facts[a.name]?.profiles.push(a);

  // The last assignment in a file is the one that counts.
  const lastOf = (list: NamedAssignment[]): Map<string, NamedAssignment> => new Map(list.map((a) => [a.name, a]));
  const dotenv = await readDotenvAssignments(join(opts.codexHome, '.env'), has);
  errors.push(...dotenv.errors);
  for (const [name, a] of lastOf(dotenv.assignments)) {
    const f = facts[name];
    if (f) f.dotenv = a;
  }
  const project = await readDotenvAssignments(join(opts.cwd, '.env'), has);
  // A project .env matters only to builds ≤0.29; failing to read it is not worth exit 2.
  for (const [name, a] of lastOf(project.assignments)) {
    const f = facts[name];
    if (f) f.projectDotenv = a;
  }
  return facts;
}
