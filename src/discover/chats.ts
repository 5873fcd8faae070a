// Where agent transcripts and downloaded chat exports live on this machine, for `keyguard audit`:
// Codex ($CODEX_HOME or ~/.codex: session rollouts, archived sessions, prompt history), Claude Code
// ($CLAUDE_CONFIG_DIR or ~/.claude: project transcripts, prompt history), and ChatGPT, Claude.ai
// and Slack export archives in ~/Downloads recognised by their names. Symbolic links are not
// followed. A directory that does not exist is simply not there; one that exists and cannot be read
// is reported through `unreadable`, so the audit exits 2 instead of claiming it found nothing.
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../errors.js';
import { agentHome, homeOf } from './home.js';

export interface ChatPlace {
  path: string;
  kind: 'chat-export' | 'agent-transcript';
}

const MAX_DEPTH = 8;

/** Where a directory that exists but cannot be listed is reported. */
export type Unreadable = (path: string, message: string) => void;

async function list(dir: string, unreadable: Unreadable): Promise<Dirent[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') unreadable(dir, `cannot list this directory: ${errorMessage(err)}`);
    return [];
  }
}

async function* walk(dir: string, unreadable: Unreadable, depth = 0): AsyncGenerator<string> {
  for (const e of await list(dir, unreadable)) {
    const p = join(dir, e.name);
    if (e.isDirectory() && depth < MAX_DEPTH) yield* walk(p, unreadable, depth + 1);
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

export interface Where {
  env: NodeJS.ProcessEnv;
  cwd: string;
  platform: NodeJS.Platform;
}

export async function discoverChatPlaces(where: Where, unreadable: Unreadable): Promise<ChatPlace[]> {
  const { env, cwd, platform } = where;
  const places: ChatPlace[] = [];
  const transcript = (path: string) => places.push({ path, kind: 'agent-transcript' });

  const codex = agentHome(env, cwd, platform, 'CODEX_HOME', '.codex');
  if (codex) {
    for (const sub of ['sessions', 'archived_sessions']) {
      for await (const p of walk(join(codex.path, sub), unreadable)) if (/\.jsonl$/i.test(p) && /(^|[/\\])rollout-[^/\\]*$/.test(p)) transcript(p);
    }
    if (await isFile(join(codex.path, 'history.jsonl'))) transcript(join(codex.path, 'history.jsonl'));
  }

  const claude = agentHome(env, cwd, platform, 'CLAUDE_CONFIG_DIR', '.claude');
  if (claude) {
    for await (const p of walk(join(claude.path, 'projects'), unreadable)) if (/\.jsonl$/i.test(p)) transcript(p);
    if (await isFile(join(claude.path, 'history.jsonl'))) transcript(join(claude.path, 'history.jsonl'));
  }

  const home = homeOf(env, platform);
  if (home) {
    const downloads = join(home, 'Downloads');
    for (const e of await list(downloads, unreadable)) {
      if (e.isFile() && isExportName(e.name)) places.push({ path: join(downloads, e.name), kind: 'chat-export' });
    }
  }
  return places;
}
