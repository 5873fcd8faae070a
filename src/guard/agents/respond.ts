// `keyguard hook <agent>`: one event in, the agent's reply out. Every path ends in a reply: a throw
// anywhere becomes a blocking failure, never a crash the agent would read as "go on".
import type { OwnKeyIndex } from '../../engine/own-keys.js';
import { HookInputError, parseEvent, type AgentName, type HookEvent } from './events.js';
import { keysIn, withheld, type KeyHit } from './keys-in.js';
import { mapStrings, stringLeaves } from './leaves.js';
import { failedReason, postToolReason, preToolReason, promptReason, sourceOf } from './messages.js';
import { ALLOW, blockPrompt, denyTool, failClosed, withholdOutput, type HookReply } from './replies.js';

// Claude Code shows a saved copy instead of the replacement when these are left in (a large output).
const PERSISTED_FIELDS = new Set(['persistedOutputPath', 'persistedOutputSize']);

function replacementOf(response: unknown, ownKeys: OwnKeyIndex | undefined): unknown {
  const clean = mapStrings(response, (s) => withheld(s, ownKeys));
  if (typeof clean !== 'object' || clean === null || Array.isArray(clean)) return clean;
  return Object.fromEntries(Object.entries(clean).filter(([k]) => !PERSISTED_FIELDS.has(k)));
}

/** The reply, and the fingerprints of the keys it blocked (their local copies are redacted later: cleanup.ts). */
export interface Decision {
  reply: HookReply;
  blocked: string[];
}

const fingerprints = (hits: readonly KeyHit[]): string[] => hits.map((h) => h.fingerprint);

export function decide(agent: AgentName, event: HookEvent, ownKeys: OwnKeyIndex | undefined): Decision {
  switch (event.kind) {
    case 'pass':
    case 'cleanup':
      return { reply: ALLOW, blocked: [] };
    case 'prompt': {
      const hits = keysIn([{ path: 'the prompt', text: event.prompt }], ownKeys);
      return hits.length === 0 ? { reply: ALLOW, blocked: [] } : { reply: blockPrompt(agent, promptReason(agent, hits)), blocked: fingerprints(hits) };
    }
    case 'pre-tool': {
      const hits = keysIn(stringLeaves(event.toolInput, 'tool_input'), ownKeys);
      return hits.length === 0 ? { reply: ALLOW, blocked: [] } : { reply: denyTool(preToolReason(event.toolName, hits)), blocked: fingerprints(hits) };
    }
    case 'post-tool': {
      const hits = keysIn(stringLeaves(event.toolResponse, 'tool_response'), ownKeys);
      if (hits.length === 0) return { reply: ALLOW, blocked: [] };
      const reason = postToolReason(agent, sourceOf(event.toolName, event.toolInput, ownKeys), hits);
      const reply = withholdOutput(agent, reason, agent === 'claude-code' ? replacementOf(event.toolResponse, ownKeys) : undefined);
      return { reply, blocked: fingerprints(hits) };
    }
  }
}

/** A throw anywhere becomes a blocking failure; only our own messages are shown: anything else may quote the input. */
export function failure(agent: AgentName, err: unknown): HookReply {
  const why = err instanceof HookInputError ? err.message : 'keyguard failed while checking the event (an internal error)';
  return failClosed(failedReason(agent, why));
}

/** The event, or the blocking reply to give when it cannot be read. */
export function readEvent(agent: AgentName, input: Buffer | undefined): HookEvent | HookReply {
  try {
    return parseEvent(input);
  } catch (err) {
    return failure(agent, err);
  }
}

export function respond(agent: AgentName, input: Buffer | undefined, ownKeys: OwnKeyIndex | undefined): HookReply {
  try {
    return decide(agent, parseEvent(input), ownKeys).reply;
  } catch (err) {
    return failure(agent, err);
  }
}
