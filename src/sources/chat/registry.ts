// Chat exports and agent transcripts by name and first bytes. Tests are cheap and synchronous; the
// readers load only when a file needs one. The generic JSON and JSON Lines readers come last.
import type { FormatEntry, FormatReader } from '../files/formats.js';
import type { Sniffed } from '../files/sniff.js';

type Test = (base: string, head: Buffer) => boolean;

function has(head: Buffer, ...all: string[]): boolean {
  return all.every((s) => head.includes(s));
}

function hasAny(head: Buffer, ...any: string[]): boolean {
  return any.some((s) => head.includes(s));
}

/** The first byte that is not whitespace or a BOM. */
function opens(head: Buffer, c: '[' | '{'): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  return head[i] === c.charCodeAt(0);
}

const isJson = (base: string) => /\.json$/i.test(base);
const isJsonl = (base: string) => /\.(jsonl|ndjson)$/i.test(base);

/** Every entry below wants one of these names: most files in a tree are ruled out by this one test. */
const CHAT_NAMES = /\.(?:json|jsonl|ndjson|html)$|^file-/i;

interface ChatEntry extends FormatEntry {
  test: Test;
}

function entry(name: string, test: Test, load: () => Promise<FormatReader>): ChatEntry {
  return { name, test, load };
}

const CHATGPT_FILES = /^(user|message_feedback|shared_conversations|model_comparisons|group_chats|shopping|sora)\.json$/i;
const SLACK_FILES = /^(channels|groups|dms|mpims|canvases|integration_logs)\.json$/i;

const CHAT_FORMAT_ENTRIES: ChatEntry[] = [
  entry(
    'chatgpt-html',
    (b) => /^chat\.html$/i.test(b),
    async () => (await import('./conversations.js')).chatHtmlReader,
  ),
  entry(
    'chat-conversations',
    (b, h) =>
      /^conversations(-\d+)?\.json$/i.test(b) ||
      (isJson(b) && (has(h, '"mapping"', '"create_time"', '"parent"') || has(h, '"chat_messages"', '"uuid"', '"sender"'))),
    async () => (await import('./conversations.js')).conversationsReader,
  ),
  entry(
    'claude-projects',
    (b, h) => /^projects\.json$/i.test(b) && has(h, '"uuid"') && hasAny(h, '"docs"', '"prompt_template"'),
    async () => (await import('./conversations.js')).claudeProjectsReader,
  ),
  entry(
    'slack-day',
    (b, h) => /^\d{4}-\d{2}-\d{2}\.json$/.test(b) && opens(h, '['),
    async () => (await import('./slack.js')).slackDayReader,
  ),
  entry(
    'slack-users',
    (b, h) => /^(org_)?users\.json$/i.test(b) && hasAny(h, '"real_name"', '"is_bot"', '"team_id"'),
    async () => (await import('./slack.js')).slackUsersReader,
  ),
  entry(
    'slack-export-file',
    (b, h) => SLACK_FILES.test(b) && hasAny(h, '"members"', '"creator"', '"user_id"', '"is_general"'),
    async () => (await import('./export-files.js')).exportFileReader('Slack'),
  ),
  entry(
    'chatgpt-export-file',
    (b, h) => CHATGPT_FILES.test(b) && hasAny(h, '"conversation_id"', 'chatgpt', '"current_node"'),
    async () => (await import('./export-files.js')).exportFileReader('ChatGPT'),
  ),
  entry(
    'claude-export-file',
    (b, h) => (/^users\.json$/i.test(b) && hasAny(h, '"full_name"', '"email_address"')) || (/^memories\.json$/i.test(b) && hasAny(h, 'memor', '"uuid"')),
    async () => (await import('./export-files.js')).exportFileReader('Claude.ai'),
  ),
  entry(
    'discord-export',
    (b, h) => isJson(b) && has(h, '"guild"', '"channel"') && hasAny(h, '"messages"', '"exportedAt"'),
    async () => (await import('./discord.js')).discordReader,
  ),
  entry(
    'telegram-export',
    (b, h) => /^result\.json$/i.test(b) && hasAny(h, '"messages"', '"chats"', '"personal_information"'),
    async () => (await import('./telegram.js')).telegramReader,
  ),
  entry(
    'codex-rollout',
    (b, h) => /^rollout-.*\.jsonl$/i.test(b) || (isJsonl(b) && has(h, '"session_meta"')),
    async () => (await import('./codex.js')).codexRolloutReader,
  ),
  entry(
    'agent-prompt-history',
    (b, h) => /^history\.jsonl$/i.test(b) && hasAny(h, '"display"', '"pastedContents"', '"session_id"', '"conversation_id"'),
    async () => (await import('./prompt-history.js')).promptHistoryReader,
  ),
  entry(
    'claude-code-transcript',
    (b, h) => isJsonl(b) && hasAny(h, '"sessionId"', '"leafUuid"') && hasAny(h, '"parentUuid"', '"leafUuid"', '"isSidechain"'),
    async () => (await import('./claude-code.js')).claudeCodeReader,
  ),
  entry(
    'chatgpt-attachment',
    (b) => /^file-[A-Za-z0-9]{16,}-./.test(b),
    async () => (await import('./export-files.js')).chatGptAttachmentReader,
  ),
  entry(
    'jsonl',
    (b) => isJsonl(b),
    async () => (await import('./generic.js')).genericJsonlReader,
  ),
  entry(
    'json',
    (b) => isJson(b),
    async () => (await import('./generic.js')).genericJsonReader,
  ),
];

/** The chat export or transcript format a text file's name and first bytes say it is (a FormatFinder). */
export function chatFormatEntry(base: string, sniffed: Sniffed, head: Buffer): FormatEntry | undefined {
  if (sniffed !== 'text' || !CHAT_NAMES.test(base)) return undefined;
  return CHAT_FORMAT_ENTRIES.find((e) => e.test(base, head));
}
