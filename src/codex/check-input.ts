// What every check function receives: the facts, the version rules, the resolved login and variables,
// and what each command ends up sending.
import type { CodexCommand, Effective, ResolveInput } from './effective.js';

export interface CheckInput extends ResolveInput {
  effective: Record<CodexCommand, Effective>;
}
