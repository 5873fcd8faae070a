// The OpenAI key families and the rules they report under (reference/openai-key-formats.md §1).
import type { Confidence, FamilyId, RuleId } from '../types.js';

/** base64 of "OpenAI": every `sk-` OpenAI key carries it between two random halves. */
export const MARKER = 'T3BlbkFJ';
export const SESSION_PREFIX = 'sess-';

export type Alphabet = 'alnum' | 'b64url';

export interface FamilyShape {
  id: FamilyId;
  /** literal prefix, or null for the named service-account `sk-<name>-` form */
  prefix: string | null;
  half: number;
  alphabet: Alphabet;
  ruleId: RuleId;
  label: string;
}

// Order matters for classification: typed prefixes are tried before the bare `sk-` forms.
export const FAMILY_SHAPES: readonly FamilyShape[] = [
  { id: 'project_164', prefix: 'sk-proj-', half: 74, alphabet: 'b64url', ruleId: 'openai-api-key', label: 'OpenAI project key' },
  { id: 'project_132', prefix: 'sk-proj-', half: 58, alphabet: 'b64url', ruleId: 'openai-api-key', label: 'OpenAI project key (2024 format)' },
  { id: 'project_short_56', prefix: 'sk-proj-', half: 20, alphabet: 'alnum', ruleId: 'openai-api-key', label: 'OpenAI project key (short 2024 format)' },
  { id: 'none_164', prefix: 'sk-None-', half: 74, alphabet: 'b64url', ruleId: 'openai-api-key', label: 'OpenAI project-less user key' },
  { id: 'none_short_56', prefix: 'sk-None-', half: 20, alphabet: 'alnum', ruleId: 'openai-api-key', label: 'OpenAI project-less user key (short format)' },
  { id: 'svcacct_167', prefix: 'sk-svcacct-', half: 74, alphabet: 'b64url', ruleId: 'openai-service-account-key', label: 'OpenAI service-account key' },
  { id: 'svcacct_111', prefix: 'sk-svcacct-', half: 46, alphabet: 'b64url', ruleId: 'openai-service-account-key', label: 'OpenAI service-account key (2024 format)' },
  { id: 'admin_133', prefix: 'sk-admin-', half: 58, alphabet: 'b64url', ruleId: 'openai-admin-key', label: 'OpenAI admin key' },
  { id: 'user_v2_95', prefix: 'sk-', half: 42, alphabet: 'b64url', ruleId: 'openai-api-key', label: 'OpenAI user key' },
  { id: 'legacy_user_51', prefix: 'sk-', half: 20, alphabet: 'alnum', ruleId: 'openai-api-key', label: 'OpenAI user key (legacy format)' },
  { id: 'named_svcacct_2024', prefix: null, half: 20, alphabet: 'alnum', ruleId: 'openai-service-account-key', label: 'OpenAI named service-account key' },
];

/** Prefixes a named service account cannot have: they belong to typed families. */
export const TYPED_NAMES = new Set(['proj', 'None', 'svcacct', 'admin']);

export const FAMILY_LABELS: Record<FamilyId, string> = {
  ...(Object.fromEntries(FAMILY_SHAPES.map((f) => [f.id, f.label])) as Record<FamilyId, string>),
  session_45: 'OpenAI browser session key (short-lived)',
  unrecognised: 'OpenAI key, unrecognised shape',
  own_key: 'Your own configured OpenAI key',
};

export const FAMILY_RULES: Record<FamilyId, RuleId> = {
  ...(Object.fromEntries(FAMILY_SHAPES.map((f) => [f.id, f.ruleId])) as Record<FamilyId, RuleId>),
  session_45: 'openai-session-key',
  unrecognised: 'openai-unrecognised-key',
  own_key: 'openai-own-key',
};

export interface RuleInfo {
  id: RuleId;
  name: string;
  short: string;
  help: string;
  level: 'error' | 'warning';
  confidence: Confidence;
}

const REVOKE = 'Revoke the key at https://platform.openai.com/api-keys (or the project\'s API keys page), create a new one, ' +
  'then remove the old key from where it was found (rewrite history if it was committed), and keep new keys out of files: ' +
  'use environment injection or a secrets manager, and install the keyguard pre-commit hook.';

export const RULES: Record<RuleId, RuleInfo> = {
  'openai-api-key': {
    id: 'openai-api-key', name: 'OpenAiApiKey', level: 'error', confidence: 'high',
    short: 'OpenAI API key (user, project or legacy)',
    help: `An OpenAI API key bills its owner's account for every request. ${REVOKE}`,
  },
  'openai-service-account-key': {
    id: 'openai-service-account-key', name: 'OpenAiServiceAccountKey', level: 'error', confidence: 'high',
    short: 'OpenAI service-account key',
    help: `A service-account key acts for a project without a user. ${REVOKE}`,
  },
  'openai-admin-key': {
    id: 'openai-admin-key', name: 'OpenAiAdminKey', level: 'error', confidence: 'high',
    short: 'OpenAI admin key',
    help: `An admin key manages the whole organization (users, projects, keys). Revoke it first, at https://platform.openai.com/settings/organization/admin-keys. ${REVOKE}`,
  },
  'openai-session-key': {
    id: 'openai-session-key', name: 'OpenAiSessionKey', level: 'warning', confidence: 'low',
    short: 'OpenAI browser session key',
    help: 'A `sess-` key is a short-lived browser session token for the OpenAI dashboard. Sign out of all sessions at https://platform.openai.com and remove the token from where it was found.',
  },
  'openai-unrecognised-key': {
    id: 'openai-unrecognised-key', name: 'OpenAiUnrecognisedKey', level: 'error', confidence: 'medium',
    short: 'OpenAI key of an unrecognised shape',
    help: `This carries the OpenAI marker T3BlbkFJ and looks random, but its lengths match no published family (a new format, or a truncated key). Treat it as a key. ${REVOKE}`,
  },
  'openai-own-key': {
    id: 'openai-own-key', name: 'OpenAiOwnKey', level: 'error', confidence: 'high',
    short: 'One of the OpenAI keys configured on this machine',
    help: `This is a key configured on this machine (environment, shell profile, Codex auth.json or .env). ${REVOKE}`,
  },
};
