// Claude.ai exports: conversations (messages, content blocks, and attachments whose
// `extracted_content` holds long pastes) and projects (knowledge documents, instructions).
import type { Details, Place } from './emit.js';
import type { JsonValue, PathSeg } from './json-scan.js';
import { formatPath, timeText } from './json-text.js';
import { arr, get, str, titled } from './json-value.js';

export function isClaudeConversation(v: JsonValue | undefined): boolean {
  return arr(get(v, 'chat_messages')) !== undefined;
}

export function isClaudeProject(v: JsonValue | undefined): boolean {
  return get(v, 'uuid') !== undefined && (arr(get(v, 'docs')) !== undefined || get(v, 'prompt_template') !== undefined);
}

export function claudeConversationNamer(conv: JsonValue | undefined, container: string, copy: number): (rel: PathSeg[]) => Place {
  const id = str(get(conv, 'uuid'));
  const head = { conversation: titled(str(get(conv, 'name')), id) + (copy > 0 ? ` [copy ${copy + 1} of this id in the file]` : '') };
  const tail: Details = id ? { link: `https://claude.ai/chat/${id}` } : {};
  const group = `claude\0${container}\0${id ?? ''}\0${copy}`;
  return (rel) => {
    if (rel[0] !== 'chat_messages' || typeof rel[1] !== 'number') {
      return { kind: 'chat-export', head, field: formatPath(rel), tail, group: `${group}\0conversation` };
    }
    const msg = get(conv, 'chat_messages', rel[1]);
    const sender = str(get(msg, 'sender')) ?? 'unknown sender';
    const time = timeText(get(msg, 'created_at'));
    return {
      kind: 'chat-export',
      head: { ...head, message: `#${rel[1] + 1} ${sender}${time ? `, ${time}` : ''}` },
      field: formatPath(rel.slice(2)),
      tail,
      group: `${group}\0${str(get(msg, 'uuid')) ?? rel[1]}`,
    };
  };
}

export function claudeProjectNamer(project: JsonValue | undefined, container: string): (rel: PathSeg[]) => Place {
  const id = str(get(project, 'uuid'));
  const head = { project: titled(str(get(project, 'name')), id) };
  const tail: Details = id ? { link: `https://claude.ai/project/${id}` } : {};
  return (rel) => {
    if (rel[0] === 'docs' && typeof rel[1] === 'number') {
      const doc = get(project, 'docs', rel[1]);
      return {
        kind: 'chat-export',
        head: { ...head, document: str(get(doc, 'filename')) ?? `#${rel[1] + 1}` },
        field: formatPath(rel.slice(2)),
        tail,
        group: `claude-project\0${container}\0${id ?? ''}\0${rel[1]}`,
      };
    }
    return { kind: 'chat-export', head, field: formatPath(rel), tail, group: `claude-project\0${container}\0${id ?? ''}` };
  };
}
