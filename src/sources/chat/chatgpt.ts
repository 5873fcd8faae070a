// ChatGPT conversations (conversations.json, its shards, chat.html's embedded copy): a key is named
// by conversation, by message (its index on the path from the root, role, time) and by branch.
// Every node of `mapping` is read, not only the branch the app shows: an edited-away message keeps
// the key it was sent with.
import type { Details, Place } from './emit.js';
import type { JsonValue, PathSeg } from './json-scan.js';
import { formatPath, timeText } from './json-text.js';
import { get, obj, str, titled, type JsonObject } from './json-value.js';

export function isChatGptConversation(v: JsonValue | undefined): boolean {
  return obj(get(v, 'mapping')) !== undefined;
}

export function chatGptId(conv: JsonValue | undefined): string | undefined {
  return str(get(conv, 'conversation_id')) ?? str(get(conv, 'id'));
}

const LINK = 'https://chatgpt.com/c/';

interface Tree {
  mapping: JsonObject;
  onBranch: Set<string> | undefined;
}

function parentOf(tree: Tree, id: string): string | undefined {
  const p = get(tree.mapping, id, 'parent');
  return typeof p === 'string' ? p : undefined;
}

function treeOf(conv: JsonValue | undefined): Tree {
  const mapping = obj(get(conv, 'mapping')) ?? {};
  const current = get(conv, 'current_node');
  let onBranch: Set<string> | undefined;
  if (typeof current === 'string') {
    onBranch = new Set();
    for (let id: string | undefined = current; id !== undefined && !onBranch.has(id); id = parentOf({ mapping, onBranch }, id)) onBranch.add(id);
  }
  return { mapping, onBranch };
}

function isShown(node: JsonValue | undefined): boolean {
  const message = get(node, 'message');
  return obj(message) !== undefined && get(message, 'metadata', 'is_visually_hidden_from_conversation') !== true;
}

/** 1-based index among the shown messages on the path from the root to `id`. */
function indexOf(tree: Tree, id: string): number {
  const seen = new Set<string>();
  let n = 0;
  for (let cur: string | undefined = id; cur !== undefined && !seen.has(cur); cur = parentOf(tree, cur)) {
    seen.add(cur);
    if (isShown(tree.mapping[cur])) n++;
  }
  return n;
}

function messageText(tree: Tree, id: string): string {
  const node = tree.mapping[id];
  const message = get(node, 'message');
  if (!obj(message)) return `node ${id} (no message)`;
  const role = str(get(message, 'author', 'role')) ?? 'unknown role';
  const name = str(get(message, 'author', 'name'));
  const recipient = str(get(message, 'recipient'));
  const who = `${role}${name ? ` (${name})` : ''}${recipient && recipient !== 'all' ? ` → ${recipient}` : ''}`;
  const time = timeText(get(message, 'create_time'));
  const at = isShown(node) ? `#${indexOf(tree, id)} ${who}` : `hidden ${who} message`;
  return time ? `${at}, ${time}` : at;
}

export interface ChatGptOptions {
  /** the export the file belongs to: the same key in conversations.json and chat.html merges there */
  container: string;
  /** which copy of this conversation id in the file (duplicates are reported apart) */
  copy: number;
  /** `chat.html: ` for the copy embedded in the viewer page */
  fieldPrefix: string;
}

export function chatGptNamer(conv: JsonValue | undefined, opts: ChatGptOptions): (rel: PathSeg[]) => Place {
  const tree = treeOf(conv);
  const id = chatGptId(conv);
  const title = str(get(conv, 'title'));
  const copy = opts.copy > 0 ? ` [copy ${opts.copy + 1} of this id in the file]` : '';
  const head = { conversation: titled(title, id) + copy };
  const link: Details = id ? { link: `${LINK}${id}` } : {};
  const group = `chatgpt\0${opts.container}\0${id ?? title ?? ''}\0${opts.copy}`;
  return (rel) => {
    const node = rel[0] === 'mapping' && typeof rel[1] === 'string' ? rel[1] : undefined;
    if (node === undefined) {
      return { kind: 'chat-export', head, field: opts.fieldPrefix + formatPath(rel), tail: link, group: `${group}\0conversation` };
    }
    const inner = rel.slice(2);
    const field = opts.fieldPrefix + formatPath(inner[0] === 'message' ? inner.slice(1) : inner);
    const branch =
      tree.onBranch === undefined
        ? 'unknown (the conversation has no current_node)'
        : tree.onBranch.has(node)
          ? 'visible'
          : 'edited-away (not on the branch the app shows, but still stored)';
    return {
      kind: 'chat-export',
      head: { ...head, message: messageText(tree, node) },
      field,
      tail: { branch, node, ...link },
      group: `${group}\0${node}`,
    };
  };
}
