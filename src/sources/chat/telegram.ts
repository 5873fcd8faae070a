// Telegram Desktop `result.json`: one chat (`messages[]` at the top) or a whole account
// (`chats.list[].messages[]`, `left_chats.list[]…`). Message text is a string or an array mixing
// strings and entity objects; `text_entities` repeats it, so both fields of one message merge.
import type { ScanContext } from '../../scan/context.js';
import type { Chunk } from '../../types.js';
import type { FormatReader } from '../files/formats.js';
import type { FileRef } from '../files/file-ref.js';
import { readJsonDocument } from './document.js';
import { jsonPathPlace } from './generic.js';
import type { JsonValue, PathSeg, UnitHit } from './json-scan.js';
import { formatPath, timeText } from './json-text.js';
import { get, str } from './json-value.js';

function isMessage(p: readonly PathSeg[]): boolean {
  if (p.length === 2) return p[0] === 'messages' && typeof p[1] === 'number';
  return p.length === 5 && (p[0] === 'chats' || p[0] === 'left_chats') && p[1] === 'list' && p[3] === 'messages' && typeof p[4] === 'number';
}

function messageNamer(file: FileRef) {
  return (u: UnitHit, root: JsonValue | undefined) => {
    const chat = u.path.length === 2 ? root : get(root, ...u.path.slice(0, 3));
    const msg = u.value;
    const chatId = str(get(chat, 'id'));
    const type = str(get(chat, 'type'));
    const name = str(get(chat, 'name')) ?? (type === 'saved_messages' ? 'Saved Messages' : undefined);
    const id = str(get(msg, 'id'));
    const date = timeText(get(msg, 'date_unixtime')) ?? str(get(msg, 'date'));
    const from = str(get(msg, 'from')) ?? str(get(msg, 'actor'));
    const head = {
      chat: `${name ?? '(unnamed chat)'}${type || chatId ? ` (${[type, chatId ? `id ${chatId}` : undefined].filter(Boolean).join(', ')})` : ''}`,
      message: [id ? `id ${id}` : undefined, date, from].filter(Boolean).join(', '),
    };
    const group = `telegram\0${file.displayPath}\0${chatId ?? ''}\0${id ?? u.path.join('.')}`;
    return (rel: PathSeg[]) => ({ kind: 'chat-export' as const, head, field: formatPath(rel), group });
  };
}

function read(file: FileRef, ctx: ScanContext): AsyncGenerator<Chunk> {
  return readJsonDocument(file, ctx, {
    kind: 'chat-export',
    scan: { isUnit: isMessage, build: true },
    unit: messageNamer(file),
    outside: (path) => jsonPathPlace(file.displayPath, path, 'chat-export', { export: 'Telegram Desktop' }),
    rawWhere: 'not inside a JSON string (the file is not valid JSON there)',
  });
}

export const telegramReader: FormatReader = { name: 'telegram-export', read };
