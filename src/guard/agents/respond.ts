// `keyguard hook <agent>`: one event in, the agent's reply out. Every path ends in a reply: a throw
// anywhere becomes a blocking failure, never a crash the agent would read as "go on".
import type { OwnKeyIndex } from '../../engine/own-keys.js';
import { HookInputError, parseEvent, type AgentName, type HookEvent } from './events.js';
import { keysIn, withheld } from './keys-in.js';
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

function decide(agent: AgentName, event: HookEvent, ownKeys: OwnKeyIndex | undefined): HookReply {
  switch (event.kind) {
    case 'pass':
      return ALLOW;
    case 'prompt': {
      const hits = keysIn([{ path: 'the prompt', text: event.prompt }], ownKeys);
      return hits.length === 0 ? ALLOW : blockPrompt(agent, promptReason(agent, hits));
    }
    case 'pre-tool': {
      const hits = keysIn(stringLeaves(event.toolInput, 'tool_input'), ownKeys);
      return hits.length === 0 ? ALLOW : denyTool(preToolReason(event.toolName, hits));
    }
    case 'post-tool': {
      const hits = keysIn(stringLeaves(event.toolResponse, 'tool_response'), ownKeys);
      if (hits.length === 0) return ALLOW;
      const reason = postToolReason(agent, sourceOf(event.toolName, event.toolInput, ownKeys), hits);
      return withholdOutput(agent, reason, agent === 'claude-code' ? replacementOf(event.toolResponse, ownKeys) : undefined);
    }
  }
}

export function respond(agent: AgentName, input: Buffer | undefined, ownKeys: OwnKeyIndex | undefined): HookReply {
  try {
    return decide(agent, parseEvent(input), ownKeys);
  } catch (err) {
    // only our own messages are shown: anything else may quote the input
    const why = err instanceof HookInputError ? err.message : 'keyguard failed while checking the event (an internal error)';
    return failClosed(failedReason(agent, why));
  }
}
