// What one install or uninstall step did, for the command to report.
export type Action = 'installed' | 'updated' | 'unchanged' | 'removed' | 'restored' | 'absent';

export interface Outcome {
  /** which integration: git hook, husky, pre-commit framework, lefthook */
  via: 'git' | 'husky' | 'pre-commit' | 'lefthook';
  action: Action;
  /** the file written or removed */
  path: string;
  /** things the user should know (a chained hook, a next step) */
  notes: string[];
}
