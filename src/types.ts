// The shared vocabulary of keyguard. No logic lives here.

export type Confidence = 'high' | 'medium' | 'low';

/** Key family ids, as in reference/openai-key-formats.md. */
export type FamilyId =
  | 'legacy_user_51'
  | 'user_v2_95'
  | 'project_short_56'
  | 'project_132'
  | 'project_164'
  | 'none_short_56'
  | 'none_164'
  | 'named_svcacct_2024'
  | 'svcacct_111'
  | 'svcacct_167'
  | 'admin_133'
  | 'session_45'
  | 'unrecognised'
  | 'own_key';

export type RuleId = 'openai-api-key' | 'openai-service-account-key' | 'openai-admin-key' | 'openai-session-key' | 'openai-unrecognised-key' | 'openai-own-key';

/** How a key was found when it was not written plainly: inside an encoding, or joined from pieces (`joined`). */
export type DecodedKind = 'base64' | 'percent' | 'unicode' | 'html' | 'joined';

/** One occurrence found by the engine, with offsets into the text it was given. */
export interface Match {
  secret: string;
  family: FamilyId;
  ruleId: RuleId;
  confidence: Confidence;
  /** offsets of the (encoded, when decoded) text in the chunk */
  start: number;
  end: number;
  /** 1-based line and column of `start` in the chunk text */
  line: number;
  column: number;
  /** set when the key was found inside an encoded value, or joined from pieces split across lines */
  decoded?: DecodedKind;
  /** a joined key: the offsets of each piece (start/end above are the first piece's) */
  pieces?: { start: number; end: number }[];
  /** a joined key: how many lines its pieces are on */
  joinedLines?: number;
  /** the line holds a `keyguard:allow` marker */
  allowed: boolean;
  /** label of the user's own configured key this is (e.g. "OPENAI_API_KEY in ~/.zshrc line 3") */
  ownKey?: string;
}

/** What kind of place a chunk came from: decides grouping and remediation. */
export type OriginKind = 'file' | 'staged' | 'commit' | 'profile' | 'shell-history' | 'repl-history' | 'chat-export' | 'agent-transcript' | 'codex';

export interface CommitInfo {
  sha: string;
  author: string;
  date: string;
  /** present for history findings: where the commit is reachable from */
  exposure?: Exposure;
}

export interface Exposure {
  branches: string[];
  tags: string[];
  /** reachable from a remote-tracking ref: it has been pushed */
  pushed: boolean;
  remoteRefs: string[];
  /** the same secret is still in the tree at HEAD */
  atHead: boolean;
}

export interface Origin {
  kind: OriginKind;
  /** path as the user should see it; archive members as `a.zip!inner/path` */
  path: string;
  /** physical line of the chunk's first character (1-based); default 1 */
  line?: number;
  /** column of the chunk's first character when the chunk starts mid-line; default 1 */
  column?: number;
  commit?: CommitInfo;
  /** human-meaningful location parts, printed in insertion order (conversation, message, entry time …) */
  details?: Record<string, string | number | boolean>;
  /**
   * One logical place spread over several chunks (the fields of one chat message): findings of the
   * same key with the same group are reported once, naming every `field`.
   */
  group?: string;
  /** the part of the logical place this chunk is (e.g. `text`, `blocks[0]`) */
  field?: string;
}

export interface Chunk {
  text: string;
  origin: Origin;
  /** text is raw bytes decoded as latin1: columns are counted in UTF-8 characters */
  bytes?: boolean;
  /** for text a reader unescaped: map an offset in `text` to the physical line/column */
  locate?: (offset: number) => { line: number; column: number };
}

export interface Location {
  path: string;
  line: number;
  column: number;
  commit?: CommitInfo;
  details?: Record<string, string | number | boolean>;
}

export interface Finding {
  ruleId: RuleId;
  family: FamilyId;
  familyLabel: string;
  confidence: Confidence;
  kind: OriginKind;
  location: Location;
  redacted: string;
  fingerprint: string;
  /** the full key: stays in the process; reporters print it only with --show-secrets */
  secret: string;
  decoded?: DecodedKind;
  /** a joined key: how many lines its pieces are on */
  joinedLines?: number;
  ownKey?: string;
  /** --verify: what OpenAI said about this key (set only when the user asked) */
  verification?: Verification;
  /** --verify: the answer behind `verification`, e.g. "live but out of quota (429 insufficient_quota)" */
  verificationDetail?: string;
  /** several places of one logical occurrence (e.g. fields of one chat message) */
  alsoIn?: string[];
}

/** --verify outcome: live (accepted, restricted or out of quota), revoked (401 invalid_api_key), unknown. */
export type Verification = 'live' | 'revoked' | 'unknown';

export interface ReadError {
  path: string;
  message: string;
}

export interface ScanSummary {
  /** what was scanned: files (or entries), bytes, commits where relevant */
  files: number;
  bytes: number;
  commits?: number;
  /** reason → count of skipped items */
  skipped: Record<string, number>;
  errors: ReadError[];
  findings: number;
  suppressed: { allow: number; ignored: number; baseline: number };
  /** baseline fingerprints that matched nothing in this scan */
  unusedBaseline: string[];
  notes: string[];
  durationMs: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** A problem that is not a key occurrence: a readable history file, a Codex setting, a good practice noted. */
export interface Check {
  /** stable id, kebab-case, e.g. `codex-auth-apikey`, `history-world-readable` */
  id: string;
  severity: Severity;
  /** one line a person reads first */
  message: string;
  /** more explanation, may be several sentences */
  detail?: string;
  path?: string;
  line?: number;
  /** exact commands or edits that fix it */
  fix: string[];
}
