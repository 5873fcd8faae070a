// Discord channels exported with DiscordChatExporter (JSON): the header names the server and the
// channel, then `messages[]`; a key is named by message id, time and author, with a link.
import type { ScanContext } from '../../scan/context.js';
import type { Chunk } from '../../types.js';
import type { FormatReader } from '../files/formats.js';
import type { FileRef } from '../files/file-ref.js';
import { readJsonDocument } from './document.js';
import { jsonPathPlace } from './generic.js';
import type { JsonValue, PathSeg, UnitHit } from './json-scan.js';
import { formatPath, timeText } from './json-text.js';
import { get, str, titled } from './json-value.js';

function messageNamer(file: FileRef) {
  return (u: UnitHit, root: JsonValue | undefined) => {
    const msg = u.value;
    const guildId = str(get(root, 'guild', 'id'));
    const channelId = str(get(root, 'channel', 'id'));
    const id = str(get(msg, 'id'));
    const author = str(get(msg, 'author', 'nickname')) ?? str(get(msg, 'author', 'name'));
    const time = timeText(get(msg, 'timestamp'));
    const head: Record<string, string> = {};
    const guild = str(get(root, 'guild', 'name'));
    if (guild) head.server = guild;
    head.channel = titled(str(get(root, 'channel', 'name')), channelId);
    head.message = [id ? `id ${id}` : `#${Number(u.path[1]) + 1}`, author, time].filter(Boolean).join(', ');
    const tail = guildId && channelId && id ? { link: `https://discord.com/channels/${guildId === '0' ? '@me' : guildId}/${channelId}/${id}` } : undefined;
    const group = `discord\0${file.displayPath}\0${id ?? String(u.path[1])}`;
    return (rel: PathSeg[]) => ({ kind: 'chat-export' as const, head, field: formatPath(rel), ...(tail ? { tail } : {}), group });
  };
}

function read(file: FileRef, ctx: ScanContext): AsyncGenerator<Chunk> {
  return readJsonDocument(file, ctx, {
    kind: 'chat-export',
    scan: { isUnit: (p) => p.length === 2 && p[0] === 'messages', build: true },
    unit: messageNamer(file),
    outside: (path) => jsonPathPlace(file.displayPath, path, 'chat-export', { export: 'Discord (DiscordChatExporter)' }),
    rawWhere: 'not inside a JSON string (the file is not valid JSON there)',
  });
}

export const discordReader: FormatReader = { name: 'discord-export', read };
