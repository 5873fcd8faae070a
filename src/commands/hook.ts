// `keyguard hook codex|claude-code`: what the agent guards run on every prompt and tool call (installed
// by `keyguard install --codex` / `--claude-code`). Lean on purpose: the engine, the own-key lookup
// and nothing else is loaded on this path.
import { ExitCode, UsageError } from '../errors.js';
import type { AgentName } from '../guard/agents/events.js';
import type { Io } from './io.js';
import { parse } from './options.js';

export const HOOK_HELP = `Usage: keyguard hook codex|claude-code

What the hooks 'keyguard install --codex' and 'keyguard install --claude-code' add run: the agent
hands the event JSON on stdin, keyguard answers in the agent's own reply format.

  prompt (UserPromptSubmit)   a prompt holding an OpenAI key is not sent
  before a tool (PreToolUse)  a tool call with a key in any of its arguments is denied
  after a tool (PostToolUse)  output holding a key is kept from the model; the user is told where it came from

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
  const [{ respond }, ownKeys, input] = await Promise.all([
    import('../guard/agents/respond.js'),
    ownKeyIndex(io),
    io.readStdin ? io.readStdin() : Promise.resolve(undefined),
  ]);
  const reply = respond(agent, input, ownKeys);
  if (reply.stdout) io.stdout(reply.stdout);
  if (reply.stderr) io.stderr(reply.stderr);
  return reply.code;
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
