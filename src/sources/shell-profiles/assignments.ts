// Environment variables a profile sets: where, to what literal (or that it is computed at run time,
// and from which secret store). One parser per dialect; this module only dispatches.
import type { ShellKind } from '../../discover/profiles.js';
import { dotenvAssignments } from './dotenv-assignments.js';
import { fishAssignments } from './fish-assignments.js';
import { pwshAssignments } from './pwsh-assignments.js';
import { shAssignments } from './sh-assignments.js';

export interface EnvAssignment {
  name: string;
  /** the literal after unquoting, or null when computed at run time ($(…), `…`, $VAR) */
  value: string | null;
  /** 1-based line and column of the name */
  line: number;
  column: number;
  path: string;
  /** the secret store the value is fetched from at run time ('op read', 'security find-generic-password', 'pass' …) */
  runtimeFetch?: string;
  /** the assignment as written (it holds the literal: never print it unredacted) */
  raw: string;
}

export function parseAssignments(text: string, path: string, shell: ShellKind): EnvAssignment[] {
  switch (shell) {
    case 'sh':
    case 'bash':
    case 'zsh':
    case 'direnv':
      return shAssignments(text, path);
    case 'fish':
      return fishAssignments(text, path);
    case 'pwsh':
      return pwshAssignments(text, path);
    case 'env':
      return dotenvAssignments(text, path);
  }
}
