// The value of a variable as a Codex process started from a new terminal would see it, and where
// it comes from: $CODEX_HOME/.env beats the shell; CODEX_* keys are never taken from a .env file.
import type { Assignment, EnvVarFact } from './facts.js';
import type { Rules } from './rules.js';

export type VarOrigin = 'dotenv' | 'project-dotenv' | 'shell' | 'profile';

export interface SeenVar {
  name: string;
  /** null when the profile computes it at run time (`$(…)`), so keyguard cannot know it */
  value: string | null;
  origin: VarOrigin;
  /** the line that sets the value Codex sees, when keyguard found one */
  where?: Assignment;
  /** every profile line that sets it (all of them must go for `unset` to stick) */
  profiles: Assignment[];
}

export function seenByCodex(fact: EnvVarFact | undefined, rules: Rules): SeenVar | undefined {
  if (!fact) return undefined;
  // An empty value is no value: Codex treats `FOO=` like an unset FOO.
  const set = (a: Assignment | undefined): a is Assignment => a !== undefined && a.value !== '';
  const base = { name: fact.name, profiles: fact.profiles };
  const fromDotenvAllowed = !fact.name.startsWith('CODEX_');
  if (fromDotenvAllowed && rules.codexHomeDotenv && set(fact.dotenv)) return { ...base, value: fact.dotenv.value, origin: 'dotenv', where: fact.dotenv };
  if (fromDotenvAllowed && rules.projectDotenv && set(fact.projectDotenv)) {
    return { ...base, value: fact.projectDotenv.value, origin: 'project-dotenv', where: fact.projectDotenv };
  }
  if (fact.process !== undefined) {
    const same = [...fact.profiles].reverse().find((a) => a.value === fact.process) ?? [...fact.profiles].reverse().find((a) => a.value === null);
    return same ? { ...base, value: fact.process, origin: 'shell', where: same } : { ...base, value: fact.process, origin: 'shell' };
  }
  const last = fact.profiles[fact.profiles.length - 1];
  if (set(last)) return { ...base, value: last.value, origin: 'profile', where: last };
  return undefined;
}
