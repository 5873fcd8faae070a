// Where agent transcripts and downloaded chat exports live on this machine, for `keyguard audit`:
// Codex ($CODEX_HOME or ~/.codex: session rollouts, archived sessions, prompt history), Claude Code
// ($CLAUDE_CONFIG_DIR or ~/.claude: project transcripts, prompt history), and ChatGPT, Claude.ai
// and Slack export archives in ~/Downloads recognised by their names. Symbolic links are not
// followed; a directory that cannot be read is passed over (the audit reports what it scanned).
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export interface ChatPlace {
  path: string;
  kind: 'chat-export' | 'agent-transcript';
}

const MAX_DEPTH = 8;

async function list(dir: string): Promise<Dirent[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

async function* walk(dir: string, depth = 0): AsyncGenerator<string> {
  for (const e of await list(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory() && depth < MAX_DEPTH) yield* walk(p, depth + 1);
    else if (e.isFile()) yield p;
  }
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || env.USERPROFILE || homedir();
}

function dirFrom(env: NodeJS.ProcessEnv, name: 'CODEX_HOME' | 'CLAUDE_CONFIG_DIR', fallback: string): string {
  const v = env[name];
  if (!v) return join(homeOf(env), fallback);
  return isAbsolute(v) ? v : resolve(homeOf(env), v);
}

/** Names the services give their export archives (and a few a person would choose). */
const EXPORT_NAMES = [
  /^[0-9a-f]{64}-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}.*\.zip$/i, // ChatGPT
  /^data-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}(-batch-\d+)?\.zip$/i, // Claude.ai
  /slack export.*\.zip$/i,
  /(chatgpt|openai|claude|anthropic).*(export|conversations|data).*\.zip$/i,
  /^conversations(-\d+)?\.json$/i,
];

export function isExportName(name: string): boolean {
  return EXPORT_NAMES.some((re) => re.test(name));
}

export async function discoverChatPlaces(env: NodeJS.ProcessEnv): Promise<ChatPlace[]> {
  const places: ChatPlace[] = [];
  const transcript = (path: string) => places.push({ path, kind: 'agent-transcript' });

  const codex = dirFrom(env, 'CODEX_HOME', '.codex');
  for (const sub of ['sessions', 'archived_sessions']) {
    for await (const p of walk(join(codex, sub))) if (/\.jsonl$/i.test(p) && /(^|[/\\])rollout-[^/\\]*$/.test(p)) transcript(p);
  }
  if (await isFile(join(codex, 'history.jsonl'))) transcript(join(codex, 'history.jsonl'));

  const claude = dirFrom(env, 'CLAUDE_CONFIG_DIR', '.claude');
  for await (const p of walk(join(claude, 'projects'))) if (/\.jsonl$/i.test(p)) transcript(p);
  if (await isFile(join(claude, 'history.jsonl'))) transcript(join(claude, 'history.jsonl'));

  for (const e of await list(join(homeOf(env), 'Downloads'))) {
    if (e.isFile() && isExportName(e.name)) places.push({ path: join(homeOf(env), 'Downloads', e.name), kind: 'chat-export' });
  }
  return places;
}
