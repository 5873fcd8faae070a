// `keyguard hook codex|claude-code`: what the agent guards run on every prompt and tool call (installed
// by `keyguard install --codex` / `--claude-code`). Lean on purpose: the engine, the own-key lookup
// and nothing else is loaded on this path.
import { ExitCode, UsageError } from '../errors.js';
import type { AgentName, HookEvent } from '../guard/agents/events.js';
import type { HookReply } from '../guard/agents/replies.js';
import type { Io } from './io.js';
import { parse } from './options.js';

export const HOOK_HELP = `Usage: keyguard hook codex|claude-code

What the hooks 'keyguard install --codex' and 'keyguard install --claude-code' add run: the agent
hands the event JSON on stdin, keyguard answers in the agent's own reply format.

  prompt (UserPromptSubmit)   a prompt holding an OpenAI key is not sent
  before a tool (PreToolUse)  a tool call with a key in any of its arguments is denied
  after a tool (PostToolUse)  output holding a key is kept from the model; the user is told where it came from
  end of turn/session (Stop, SessionEnd), and the next prompt
                              what was blocked in the session is redacted in the agent's own copies (its
                              transcript; Codex's history.jsonl and *.sqlite databases too, the
                              databases through sqlite3), in place; nothing is read when nothing was
                              blocked

Keys are shown redacted, with a fingerprint. Input keyguard cannot read, or an event it does not know,
is blocked (exit 2): both agents go on without a check when a hook fails any other way.
`;

const AGENTS: Record<string, AgentName> = { codex: 'codex', 'claude-code': 'claude-code', claude: 'claude-code' };

const OPTIONS = { help: { type: 'boolean', short: 'h' } } as const;

export async function hookCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS, true);
  if (values.help) {
    io.stdout(HOOK_HELP);
    return ExitCode.clean;
  }
  const agent = positionals.length === 1 ? AGENTS[positionals[0]!] : undefined;
  if (!agent) throw new UsageError("name the agent: 'keyguard hook codex' or 'keyguard hook claude-code'");
  const reply = await replyTo(agent, io);
  if (reply.stdout) io.stdout(reply.stdout);
  if (reply.stderr) io.stderr(reply.stderr);
  return reply.code;
}

const NONE: HookReply = { stdout: '', stderr: '', code: 0 };

async function replyTo(agent: AgentName, io: Io): Promise<HookReply> {
  const [{ parseEvent }, input] = await Promise.all([import('../guard/agents/events.js'), io.readStdin ? io.readStdin() : Promise.resolve(undefined)]);
  let event: HookEvent;
  try {
    event = parseEvent(input);
  } catch (err) {
    return (await import('../guard/agents/respond.js')).failure(agent, err);
  }
  if (event.kind === 'pass') return NONE;
  const where = { env: io.env, cwd: io.cwd, platform: io.platform };
  // Stop and SessionEnd come after every turn: with nothing blocked in the session they read no file
  const afterBlock = event.kind === 'cleanup' || event.kind === 'prompt' ? await import('../guard/agents/after-block.js') : undefined;
  const pending = afterBlock ? await afterBlock.pendingFor(agent, event.session, where).catch(() => undefined) : undefined;
  if (event.kind === 'cleanup' && !pending) return NONE;
  const [{ decide, failure }, ownKeys] = await Promise.all([import('../guard/agents/respond.js'), ownKeyIndex(io)]);
  let reply: HookReply;
  const notes: string[] = [];
  try {
    const decision = decide(agent, event, ownKeys);
    reply = decision.reply;
    if (decision.blocked.length > 0) {
      const { recordBlock } = afterBlock ?? (await import('../guard/agents/after-block.js'));
      await recordBlock(agent, event.session, decision.blocked, where).catch(() => {
        notes.push("keyguard: could not note the blocked key for redaction at the end of the turn; 'keyguard audit --fix' redacts local copies");
      });
    }
  } catch (err) {
    return failure(agent, err);
  }
  if (afterBlock && pending) {
    // a failure here never changes the reply: the prompt was judged already, and Stop must not get exit 2 ("keep going")
    try {
      const done = await afterBlock.cleanUp(agent, event.session, pending, ownKeys, event.name === 'SessionEnd', io.env);
      for (const e of done.errors) notes.push(`keyguard: could not redact a blocked key in ${e}`);
    } catch {
      notes.push("keyguard: could not redact the keys blocked in this session; run 'keyguard audit --fix'");
    }
  }
  return notes.length > 0 ? { ...reply, stderr: reply.stderr + notes.map((n) => `${n}\n`).join('') } : reply;
}

/** The user's own keys (any shape), so a proxy key or an odd-shaped key is caught too; none on any failure. */
async function ownKeyIndex(io: Io) {
  try {
    const [{ collectOwnKeys }, { OwnKeyIndex }] = await Promise.all([import('../discover/own-keys.js'), import('../engine/own-keys.js')]);
    const own = await collectOwnKeys(io.env, io.cwd, io.platform);
    return own.length > 0 ? new OwnKeyIndex(own) : undefined;
  } catch {
    return undefined;
  }
}
