// What the audit looks at, and how results are grouped for people: by kind of place.
import type { ShellKind } from '../discover/profiles.js';
import type { HistoryFormat } from '../sources/shell-history/registry.js';
import type { Check, Finding, OriginKind } from '../types.js';

export interface AuditPlace {
  /** absolute for discovered places; as given on the command line otherwise */
  path: string;
  kind: OriginKind;
  /** the reader: a history format, 'profile', or undefined to decide by name and content (like `scan`) */
  format?: HistoryFormat | 'shell' | 'profile';
  /** the program that writes it (bash, zsh, atuin, python …): names the hardening advice */
  tool?: string;
  shell?: ShellKind;
  sourcedFrom?: string;
}

export type SectionId = 'profiles' | 'shell-histories' | 'repl-histories' | 'chats' | 'codex' | 'other';

/** One group of the report: its findings, its checks, and the places it read. */
export interface AuditSection {
  id: SectionId | string;
  title: string;
  findings: Finding[];
  checks: Check[];
  places: string[];
  /** a section that renders itself (the Codex check): shown as is, in place of places and checks */
  text?: string;
}

export const SECTION_TITLES: Record<SectionId, string> = {
  profiles: 'Shell profiles',
  'shell-histories': 'Shell histories',
  'repl-histories': 'REPL histories',
  chats: 'Chat exports and agent transcripts',
  codex: 'Codex',
  other: 'Other files',
};

export function sectionOf(kind: OriginKind): SectionId {
  switch (kind) {
    case 'profile':
      return 'profiles';
    case 'shell-history':
      return 'shell-histories';
    case 'repl-history':
      return 'repl-histories';
    case 'chat-export':
    case 'agent-transcript':
      return 'chats';
    case 'codex':
      return 'codex';
    default:
      return 'other';
  }
}
