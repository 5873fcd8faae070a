// `conversations.json` (ChatGPT or Claude.ai, also ChatGPT's `conversations-NNN.json` shards and the
// `{"conversations": [...]}` wrapper) and ChatGPT's `chat.html`, which embeds the same array as
// `var jsonData = [...]`. Each conversation is a unit: skipped fast unless it holds a hit, then
// recognised by its shape, so a file mixing layouts or of an unknown one is still read.
import type { ScanContext } from '../../scan/context.js';
import type { Chunk } from '../../types.js';
import type { FormatReader } from '../files/formats.js';
import type { FileRef } from '../files/file-ref.js';
import { chatGptId, chatGptNamer, isChatGptConversation } from './chatgpt.js';
import { claudeConversationNamer, claudeProjectNamer, isClaudeConversation, isClaudeProject } from './claude-ai.js';
import { readJsonDocument } from './document.js';
import type { Place } from './emit.js';
import { jsonPathPlace } from './generic.js';
import type { JsonValue, PathSeg, UnitHit } from './json-scan.js';
import { containerOf, dirOf, get, str } from './json-value.js';

/** A conversation: an element of the top-level array, or of the wrapper's `conversations` array. */
function isConversationUnit(path: readonly PathSeg[]): boolean {
  return (path.length === 1 && typeof path[0] === 'number') || (path.length === 2 && path[0] === 'conversations' && typeof path[1] === 'number');
}

function unknownLayout(ctx: ScanContext, file: FileRef): void {
  ctx.note(`${file.displayPath}: the conversation layout is not one keyguard knows (ChatGPT or Claude.ai); keys in it are reported by JSON path`);
}

async function* readConversations(file: FileRef, ctx: ScanContext, html: boolean): AsyncGenerator<Chunk> {
  // conversations.json and chat.html of one export (one zip, or one extracted folder) name the same messages
  const container = file.displayPath.includes('!') ? containerOf(file.displayPath) : `${dirOf(file.displayPath)}/`;
  const copies = new Map<string, number>();
  const duplicated: string[] = [];
  const copyOf = (id: string | undefined): number => {
    if (id === undefined) return 0;
    const n = copies.get(id) ?? 0;
    copies.set(id, n + 1);
    if (n === 1) duplicated.push(id);
    return n;
  };
  const outside = (path: PathSeg[]): Place => {
    unknownLayout(ctx, file);
    return jsonPathPlace(file.displayPath, path, 'chat-export');
  };
  const unit = (u: UnitHit): ((rel: PathSeg[]) => Place) => {
    if (isChatGptConversation(u.value)) {
      return chatGptNamer(u.value, { container, copy: copyOf(chatGptId(u.value)), fieldPrefix: html ? 'chat.html: ' : '' });
    }
    if (isClaudeConversation(u.value)) return claudeConversationNamer(u.value, container, copyOf(str(get(u.value, 'uuid'))));
    unknownLayout(ctx, file);
    return (rel) => jsonPathPlace(file.displayPath, [...u.path, ...rel], 'chat-export');
  };
  yield* readJsonDocument(file, ctx, {
    kind: 'chat-export',
    scan: html ? { isUnit: isConversationUnit, startAfter: 'jsonData', afterRoot: 'raw' } : { isUnit: isConversationUnit },
    unit,
    outside,
    rawWhere: html ? 'chat.html outside the embedded conversation data' : 'not inside a JSON string (the file is not valid JSON there)',
  });
  if (duplicated.length > 0) {
    const shown = duplicated.slice(0, 3).join(', ') + (duplicated.length > 3 ? ', …' : '');
    const one = duplicated.length === 1;
    ctx.note(
      `${file.displayPath}: ${one ? `conversation ${shown} appears` : `${duplicated.length} conversation ids (${shown}) appear`} more than once; each copy is reported on its own`,
    );
  }
}

export const conversationsReader: FormatReader = { name: 'chat-conversations', read: (file, ctx) => readConversations(file, ctx, false) };
export const chatHtmlReader: FormatReader = { name: 'chatgpt-html', read: (file, ctx) => readConversations(file, ctx, true) };

async function* readProjects(file: FileRef, ctx: ScanContext): AsyncGenerator<Chunk> {
  const container = containerOf(file.displayPath);
  yield* readJsonDocument(file, ctx, {
    kind: 'chat-export',
    scan: { isUnit: (p) => p.length === 1 && typeof p[0] === 'number' },
    unit: (u: UnitHit) => {
      if (isClaudeProject(u.value)) return claudeProjectNamer(u.value, container);
      unknownLayout(ctx, file);
      return (rel) => jsonPathPlace(file.displayPath, [...u.path, ...rel], 'chat-export');
    },
    outside: (path: PathSeg[], _root: JsonValue | undefined) => jsonPathPlace(file.displayPath, path, 'chat-export'),
    rawWhere: 'not inside a JSON string (the file is not valid JSON there)',
  });
}

export const claudeProjectsReader: FormatReader = { name: 'claude-projects', read: readProjects };
