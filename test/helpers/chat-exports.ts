// Small, realistic chat exports and agent transcripts for tests, shaped after the formats in
// reference/history-and-chat-formats.md §3–4. Keys come from the seeded helpers only.

export interface GptNode {
  id: string;
  parent: string | null;
  role?: 'user' | 'assistant' | 'system' | 'tool';
  text?: string;
  time?: number;
  hidden?: boolean;
  /** replaces the default `{content_type: 'text', parts: [text]}` */
  content?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  name?: string;
}

/** A ChatGPT conversation; `current` defaults to the last node. */
export function gptConversation(id: string, title: string, nodes: GptNode[], current?: string): Record<string, unknown> {
  const mapping: Record<string, { id: string; message: unknown; parent: string | null; children: string[] }> = {};
  for (const n of nodes) {
    const message =
      n.role === undefined
        ? null
        : {
            id: n.id,
            author: { role: n.role, name: n.name ?? null, metadata: {} },
            create_time: n.time ?? null,
            update_time: null,
            content: n.content ?? { content_type: 'text', parts: [n.text ?? ''] },
            status: 'finished_successfully',
            weight: 1.0,
            metadata: { ...(n.hidden ? { is_visually_hidden_from_conversation: true } : {}), ...(n.metadata ?? {}) },
            recipient: 'all',
          };
    mapping[n.id] = { id: n.id, message, parent: n.parent, children: [] };
  }
  for (const n of nodes) if (n.parent && mapping[n.parent]) mapping[n.parent]!.children.push(n.id);
  return {
    title,
    create_time: 1_700_000_000.25,
    update_time: 1_700_000_500.5,
    mapping,
    moderation_results: [],
    current_node: current ?? nodes[nodes.length - 1]!.id,
    conversation_id: id,
    is_archived: false,
    id,
  };
}

/** ChatGPT's minified, Python-separated style: `", "` and `": "`. */
export function gptJson(value: unknown): string {
  return JSON.stringify(value).replace(/","/g, '", "').replace(/":"/g, '": "');
}

export function chatHtml(conversations: unknown[]): string {
  return `<!DOCTYPE html>\n<html><head><meta charset="UTF-8"><title>ChatGPT Data Export</title><style>body{font-family:sans-serif}</style></head>\n<body><div id="root"></div>\n<script>\nvar jsonData = ${gptJson(conversations)};\n\nfunction getConversationMessages(conversation) { return []; }\n</script></body></html>\n`;
}

export function claudeConversation(uuid: string, name: string, messages: Record<string, unknown>[]): Record<string, unknown> {
  return {
    uuid,
    name,
    summary: '',
    created_at: '2024-05-01T10:00:00.000000Z',
    updated_at: '2024-05-01T10:05:00.000000Z',
    account: { uuid: 'acc-1' },
    chat_messages: messages.map((m, i) => ({
      uuid: `${uuid}-m${i}`,
      text: '',
      content: [],
      sender: i % 2 === 0 ? 'human' : 'assistant',
      created_at: `2024-05-01T10:0${i}:00.000000Z`,
      updated_at: `2024-05-01T10:0${i}:00.000000Z`,
      attachments: [],
      files: [],
      ...m,
    })),
  };
}

/** Slack's PHP-style JSON: 4-space indent, escaped slashes. */
export function slackJson(value: unknown): string {
  return JSON.stringify(value, null, 4).replace(/\//g, '\\/');
}

export function slackMessage(user: string, ts: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client_msg_id: `c-${ts}`,
    type: 'message',
    text,
    user,
    ts,
    blocks: [{ type: 'rich_text', block_id: 'b1', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] }],
    team: 'T1',
    ...extra,
  };
}

export function jsonl(records: unknown[]): string {
  return `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
}
