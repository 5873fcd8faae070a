// Slack workspace exports: a folder per channel, a file per day (`general/2024-01-02.json`, an array
// of messages). A key is named by channel, day, time and user; user ids become names through the
// export's users.json when it was read first (or sits beside the folder on disk), else through the
// `user_profile` Slack copies into each message.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ScanContext } from '../../scan/context.js';
import type { Chunk } from '../../types.js';
import type { FormatReader } from '../files/formats.js';
import type { FileRef } from '../files/file-ref.js';
import { readJsonDocument } from './document.js';
import type { Place } from './emit.js';
import { jsonPathPlace, readGenericJson } from './generic.js';
import type { JsonValue, PathSeg, UnitHit } from './json-scan.js';
import { formatPath, timeText } from './json-text.js';
import { arr, baseOf, dirOf, get, str } from './json-value.js';

type Names = Map<string, string>;

/** users.json of each export read in this run, by the export's root directory. */
const namesByRun = new WeakMap<ScanContext, Map<string, Names>>();

const USERS_MAX = 64 << 20;

export function slackNames(users: JsonValue | undefined): Names {
  const names: Names = new Map();
  for (const u of arr(users) ?? []) {
    const id = str(get(u, 'id'));
    const name = str(get(u, 'real_name')) ?? str(get(u, 'profile', 'real_name')) ?? str(get(u, 'profile', 'display_name')) ?? str(get(u, 'name'));
    if (id && name) names.set(id, name);
  }
  return names;
}

function remember(ctx: ScanContext, root: string, names: Names): void {
  let byRoot = namesByRun.get(ctx);
  if (!byRoot) namesByRun.set(ctx, (byRoot = new Map()));
  const known = byRoot.get(root);
  if (known) for (const [k, v] of names) known.set(k, v);
  else byRoot.set(root, names);
}

async function namesFor(file: FileRef, ctx: ScanContext): Promise<Names | undefined> {
  const root = dirOf(dirOf(file.displayPath));
  const known = namesByRun.get(ctx)?.get(root);
  if (known || !file.absPath) return known;
  const names: Names = new Map();
  for (const name of ['users.json', 'org_users.json']) {
    const p = join(dirname(dirname(file.absPath)), name);
    try {
      if ((await stat(p)).size > USERS_MAX) continue;
      for (const [k, v] of slackNames(JSON.parse(await readFile(p, 'utf8')) as JsonValue)) names.set(k, v);
    } catch {
      // no users file beside the channel folders: ids are shown as they are
    }
  }
  remember(ctx, root, names);
  return names;
}

function messageNamer(file: FileRef, names: Names | undefined): (u: UnitHit) => (rel: PathSeg[]) => Place {
  const channel = baseOf(dirOf(file.displayPath));
  const day = baseOf(file.displayPath).replace(/\.json$/i, '');
  return (u) => {
    const msg = u.value;
    const ts = str(get(msg, 'ts'));
    const user = str(get(msg, 'user')) ?? str(get(msg, 'bot_id'));
    const name =
      (user ? names?.get(user) : undefined) ??
      str(get(msg, 'user_profile', 'real_name')) ??
      str(get(msg, 'user_profile', 'display_name')) ??
      str(get(msg, 'username'));
    const thread = str(get(msg, 'thread_ts'));
    const time = timeText(ts);
    const head: Record<string, string> = { channel: channel ? `#${channel}` : '(unknown channel)', day };
    if (ts) head.time = time ? `${time} (ts ${ts})` : ts;
    if (user || name) head.user = name && user ? `${name} (${user})` : (name ?? user ?? '');
    if (thread && thread !== ts) head.thread = thread;
    const group = `slack\0${file.displayPath}\0${ts ?? String(u.path[0])}`;
    return (rel) => ({ kind: 'chat-export', head, field: formatPath(rel), group });
  };
}

async function* readDay(file: FileRef, ctx: ScanContext): AsyncGenerator<Chunk> {
  const names = await namesFor(file, ctx);
  yield* readJsonDocument(file, ctx, {
    kind: 'chat-export',
    scan: { isUnit: (p) => p.length === 1 },
    unit: messageNamer(file, names),
    outside: (path) => jsonPathPlace(file.displayPath, path, 'chat-export'),
    rawWhere: 'not inside a JSON string (the file is not valid JSON there)',
  });
}

/** users.json: remembered for the day files that follow, and scanned like any export file. */
async function* readUsers(file: FileRef, ctx: ScanContext): AsyncGenerator<Chunk> {
  if (file.size <= USERS_MAX) {
    try {
      remember(ctx, dirOf(file.displayPath), slackNames(JSON.parse((await file.load()).toString('utf8')) as JsonValue));
    } catch {
      // not valid JSON: the scan below says so if it holds a key
    }
  }
  yield* readGenericJson(file, ctx, 'chat-export');
}

export const slackDayReader: FormatReader = { name: 'slack-day', read: readDay };
export const slackUsersReader: FormatReader = { name: 'slack-users', read: readUsers };
