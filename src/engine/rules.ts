// The OpenAI key families and the rules they report under (reference/openai-key-formats.md §1). Each
// family declares its shape once, here, and with it how to make examples of it: a hit, and near-misses
// that must not be reported as it. The table test (test/engine.rules.test.ts) runs every family's
// examples, and the test helpers make their fake keys from the same generators. Examples are put
// together at run time from random characters, so no key-shaped text is ever written in the source.
import type { Confidence, FamilyId, RuleId } from '../types.js';

/** base64 of "OpenAI": every `sk-` OpenAI key carries it between two random halves. */
export const MARKER = 'T3BlbkFJ';
export const SESSION_PREFIX = 'sess-';

export type Alphabet = 'alnum' | 'b64url';

/** The characters of each alphabet, in the order the seeded generators index them. */
export const ALPHABET_CHARS: Record<Alphabet, string> = (() => {
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return { alnum, b64url: `${alnum}-_` };
})();

/** A random source in [0, 1), seeded by the caller (tests): examples are reproducible. */
export type Random = () => number;

export interface Miss {
  /** what makes it not a key of this family */
  why: string;
  text: string;
}

export interface FamilyExamples {
  /** a key of this family, exactly as detection must report it */
  hit(next: Random): string;
  /** text that must not be reported as this family (it may be another family, or nothing) */
  misses(next: Random): Miss[];
}

interface Shape {
  id: FamilyId;
  /** literal prefix, or null for the named service-account `sk-<name>-` form */
  prefix: string | null;
  alphabet: Alphabet;
  ruleId: RuleId;
  label: string;
}

/** A family whose keys carry the marker between two random halves of `half` characters. */
export interface FamilyShape extends Shape {
  half: number;
  examples: FamilyExamples;
}

/** Browser session keys: `sess-` and `body` random characters, no marker. */
export interface SessionShape extends Shape {
  prefix: string;
  body: number;
  examples: FamilyExamples;
}

export function randomString(next: Random, length: number, alphabet: string): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)];
  return s;
}

/** Two characters of the alphabet, alternating: the lowest entropy a non-constant half can have. */
function lowEntropy(next: Random, length: number, chars: string): string {
  const pair = randomString(next, 2, chars);
  let s = '';
  for (let i = 0; i < length; i++) s += pair[i % 2];
  return s;
}

/** Documentation examples are made by hand: a short unit (10-12 characters) repeated to fill `length`. */
function repeatedUnit(next: Random, length: number, chars: string): string {
  const unit = randomString(next, 10 + Math.floor(next() * 3), chars);
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** Random letters in alternating case (`QwErTy…`, not only `AbCdEf…`). */
function alternatingCase(next: Random, length: number): string {
  const letters = randomString(next, length, 'abcdefghijklmnopqrstuvwxyz');
  let s = '';
  for (let i = 0; i < length; i++) s += i % 2 === 0 ? letters[i]!.toUpperCase() : letters[i];
  return s;
}

/** Two counting sequences interleaved, from random starts: `4e5f6g7h…` (digits and letters wrap). */
function interleaved(next: Random, length: number): string {
  const digit = Math.floor(next() * 10);
  const letter = Math.floor(next() * 26);
  let s = '';
  for (let i = 0; i < length; i++) {
    const n = Math.floor(i / 2);
    s += i % 2 === 0 ? String((digit + n) % 10) : String.fromCharCode(97 + ((letter + n) % 26));
  }
  return s;
}

/** Misses every family shares: the ways documentation examples are made by hand. */
function handMade(next: Random, length: number, chars: string, make: (left: string, right: string) => string): Miss[] {
  const same = randomString(next, length, chars);
  return [
    { why: 'identical halves', text: make(same, same) },
    { why: 'a short unit repeated', text: make(repeatedUnit(next, length, chars), repeatedUnit(next, length, chars)) },
    { why: 'alternating case', text: make(alternatingCase(next, length), alternatingCase(next, length)) },
    { why: 'interleaved sequences', text: make(interleaved(next, length), interleaved(next, length)) },
  ];
}

/** Hit and misses for a marker family; `name` stands in for the user-chosen name of `sk-<name>-`. */
function markerExamples(prefix: string | null, half: number, alphabet: Alphabet, name?: string): FamilyExamples {
  const chars = ALPHABET_CHARS[alphabet];
  const start = prefix ?? `sk-${name ?? 'name'}-`;
  // long-format keys end like the published ones (last character `A`); 20/20 keys have no such tail
  const tail = (right: string) => (alphabet === 'b64url' ? `${right.slice(0, -1)}A` : right);
  const key = (left: string, right: string, marker = MARKER) => `${start}${left}${marker}${right}`;
  const halves = (next: Random, n: number) => [randomString(next, n, chars), tail(randomString(next, n, chars))] as const;
  const misses = (next: Random): Miss[] => {
    const out: Miss[] = [
      { why: 'halves one character short', text: key(...halves(next, half - 1)) },
      { why: 'halves one character long', text: key(...halves(next, half + 1)) },
      { why: 'placeholder text in a half', text: key(`example${randomString(next, half - 7, chars)}`, halves(next, half)[1]) },
      { why: 'low entropy', text: key(lowEntropy(next, half, chars), lowEntropy(next, half, chars)) },
      { why: 'marker in lower case', text: key(...halves(next, half), MARKER.toLowerCase()) },
      ...handMade(next, half, chars, key),
    ];
    if (prefix === null) {
      const [left, right] = halves(next, half);
      out.push({ why: 'a typed prefix is not a name', text: `sk-proj-${left}${MARKER}${right}` });
    }
    return out;
  };
  return { hit: (next) => key(...halves(next, half)), misses };
}

/**
 * Session keys are 40 random alphanumerics (any of them: 0.08% have no digit); misses are one character
 * off, one case only, repetitive, or made by hand (the body split in two stands for the halves).
 */
function sessionExamples(prefix: string, body: number): FamilyExamples {
  const chars = ALPHABET_CHARS.alnum;
  // Seeded tests elsewhere rely on these keys: they keep mixing cases and digits (the gate simulation
  // in test/engine.gates.test.ts draws unrestricted bodies).
  const mixed = (s: string) => /[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s);
  const hit = (next: Random) => {
    for (;;) {
      const s = randomString(next, body, chars);
      if (mixed(s)) return prefix + s;
    }
  };
  const halfBody = body / 2;
  const misses = (next: Random): Miss[] => [
    { why: 'body one character short', text: hit(next).slice(0, -1) },
    { why: 'body one character long', text: hit(next) + randomString(next, 1, chars) },
    { why: 'one case only', text: prefix + randomString(next, body, chars.replace(/[A-Z]/g, '')) },
    { why: 'low entropy', text: prefix + lowEntropy(next, body, chars) },
    ...handMade(next, halfBody, chars, (left, right) => `${prefix}${left}${right}`),
  ];
  return { hit, misses };
}

function family(shape: Omit<FamilyShape, 'examples'>, name?: string): FamilyShape {
  return { ...shape, examples: markerExamples(shape.prefix, shape.half, shape.alphabet, name) };
}

// Order matters for classification: typed prefixes are tried before the bare `sk-` forms.
export const FAMILY_SHAPES: readonly FamilyShape[] = [
  family({ id: 'project_164', prefix: 'sk-proj-', half: 74, alphabet: 'b64url', ruleId: 'openai-api-key', label: 'OpenAI project key' }),
  family({ id: 'project_132', prefix: 'sk-proj-', half: 58, alphabet: 'b64url', ruleId: 'openai-api-key', label: 'OpenAI project key (2024 format)' }),
  family({
    id: 'project_short_56',
    prefix: 'sk-proj-',
    half: 20,
    alphabet: 'alnum',
    ruleId: 'openai-api-key',
    label: 'OpenAI project key (short 2024 format)',
  }),
  family({ id: 'none_164', prefix: 'sk-None-', half: 74, alphabet: 'b64url', ruleId: 'openai-api-key', label: 'OpenAI project-less user key' }),
  family({
    id: 'none_short_56',
    prefix: 'sk-None-',
    half: 20,
    alphabet: 'alnum',
    ruleId: 'openai-api-key',
    label: 'OpenAI project-less user key (short format)',
  }),
  family({ id: 'svcacct_167', prefix: 'sk-svcacct-', half: 74, alphabet: 'b64url', ruleId: 'openai-service-account-key', label: 'OpenAI service-account key' }),
  family({
    id: 'svcacct_111',
    prefix: 'sk-svcacct-',
    half: 46,
    alphabet: 'b64url',
    ruleId: 'openai-service-account-key',
    label: 'OpenAI service-account key (2024 format)',
  }),
  family({ id: 'admin_133', prefix: 'sk-admin-', half: 58, alphabet: 'b64url', ruleId: 'openai-admin-key', label: 'OpenAI admin key' }),
  family({ id: 'user_v2_95', prefix: 'sk-', half: 42, alphabet: 'b64url', ruleId: 'openai-api-key', label: 'OpenAI user key' }),
  family({ id: 'legacy_user_51', prefix: 'sk-', half: 20, alphabet: 'alnum', ruleId: 'openai-api-key', label: 'OpenAI user key (legacy format)' }),
  family(
    { id: 'named_svcacct_2024', prefix: null, half: 20, alphabet: 'alnum', ruleId: 'openai-service-account-key', label: 'OpenAI named service-account key' },
    'build-bot',
  ),
];

export const SESSION_SHAPE: SessionShape = {
  id: 'session_45',
  prefix: SESSION_PREFIX,
  body: 40,
  alphabet: 'alnum',
  ruleId: 'openai-session-key',
  label: 'OpenAI browser session key (short-lived)',
  examples: sessionExamples(SESSION_PREFIX, 40),
};

/** Every family detection recognises by shape, each with its examples. */
export const KEY_FAMILIES: readonly (FamilyShape | SessionShape)[] = [...FAMILY_SHAPES, SESSION_SHAPE];

/** Prefixes a named service account cannot have: they belong to typed families. */
export const TYPED_NAMES = new Set(['proj', 'None', 'svcacct', 'admin']);

export const FAMILY_LABELS: Record<FamilyId, string> = {
  ...(Object.fromEntries(KEY_FAMILIES.map((f) => [f.id, f.label])) as Record<FamilyId, string>),
  unrecognised: 'OpenAI key, unrecognised shape',
  own_key: 'Your own configured OpenAI key',
};

export const FAMILY_RULES: Record<FamilyId, RuleId> = {
  ...(Object.fromEntries(KEY_FAMILIES.map((f) => [f.id, f.ruleId])) as Record<FamilyId, RuleId>),
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

const REVOKE =
  "Revoke the key at https://platform.openai.com/api-keys (or the project's API keys page), create a new one, " +
  'then remove the old key from where it was found (rewrite history if it was committed), and keep new keys out of files: ' +
  'use environment injection or a secrets manager, and install the keyguard pre-commit hook.';

export const RULES: Record<RuleId, RuleInfo> = {
  'openai-api-key': {
    id: 'openai-api-key',
    name: 'OpenAiApiKey',
    level: 'error',
    confidence: 'high',
    short: 'OpenAI API key (user, project or legacy)',
    help: `An OpenAI API key bills its owner's account for every request. ${REVOKE}`,
  },
  'openai-service-account-key': {
    id: 'openai-service-account-key',
    name: 'OpenAiServiceAccountKey',
    level: 'error',
    confidence: 'high',
    short: 'OpenAI service-account key',
    help: `A service-account key acts for a project without a user. ${REVOKE}`,
  },
  'openai-admin-key': {
    id: 'openai-admin-key',
    name: 'OpenAiAdminKey',
    level: 'error',
    confidence: 'high',
    short: 'OpenAI admin key',
    help: `An admin key manages the whole organization (users, projects, keys). Revoke it first, at https://platform.openai.com/settings/organization/admin-keys. ${REVOKE}`,
  },
  'openai-session-key': {
    id: 'openai-session-key',
    name: 'OpenAiSessionKey',
    level: 'warning',
    confidence: 'low',
    short: 'OpenAI browser session key',
    help: 'A `sess-` key is a short-lived browser session token for the OpenAI dashboard. Sign out of all sessions at https://platform.openai.com and remove the token from where it was found.',
  },
  'openai-unrecognised-key': {
    id: 'openai-unrecognised-key',
    name: 'OpenAiUnrecognisedKey',
    level: 'error',
    confidence: 'medium',
    short: 'OpenAI key of an unrecognised shape',
    help: `This carries the OpenAI marker T3BlbkFJ and looks random, but its lengths match no published family (a new format, or a truncated key). Treat it as a key. ${REVOKE}`,
  },
  'openai-own-key': {
    id: 'openai-own-key',
    name: 'OpenAiOwnKey',
    level: 'error',
    confidence: 'high',
    short: 'One of the OpenAI keys configured on this machine',
    help: `This is a key configured on this machine (environment, shell profile, Codex auth.json or .env). ${REVOKE}`,
  },
};
