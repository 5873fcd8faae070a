// Engine matches, placed at their origin: the one place that turns a Match into a Finding.
import { fingerprint } from '../engine/fingerprint.js';
import { redact } from '../engine/redact.js';
import { FAMILY_LABELS } from '../engine/rules.js';
import type { Chunk, Finding, Location, Match } from '../types.js';

export function locationOf(chunk: Chunk, match: Match): Location {
  const o = chunk.origin;
  let line: number;
  let column: number;
  if (chunk.locate) {
    ({ line, column } = chunk.locate(match.start));
  } else {
    line = (o.line ?? 1) + match.line - 1;
    column = match.line === 1 ? (o.column ?? 1) + match.column - 1 : match.column;
  }
  const loc: Location = { path: o.path, line, column };
  if (o.commit) loc.commit = o.commit;
  if (o.details) loc.details = o.details;
  return loc;
}

export function toFinding(chunk: Chunk, match: Match): Finding {
  const f: Finding = {
    ruleId: match.ruleId,
    family: match.family,
    familyLabel: FAMILY_LABELS[match.family],
    confidence: match.confidence,
    kind: chunk.origin.kind,
    location: locationOf(chunk, match),
    redacted: redact(match.secret),
    fingerprint: fingerprint(match.secret),
    secret: match.secret,
  };
  if (match.decoded) f.decoded = match.decoded;
  if (match.joinedLines) f.joinedLines = match.joinedLines;
  if (match.ownKey) f.ownKey = match.ownKey;
  if (chunk.origin.field) f.alsoIn = [chunk.origin.field];
  return f;
}
