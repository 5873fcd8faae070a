// Chat exports and agent transcripts through the real CLI: every format is recognised by name and
// content, inside zips too, and each key is named by conversation, message, field and the rest.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatHtml, claudeConversation, gptConversation, gptJson, jsonl, slackJson, slackMessage } from './helpers/chat-exports.js';
import { keyFor } from './helpers/keys.js';
import { parseJson, runCli, tempDir, writeFiles } from './helpers/tmp.js';
import { makeZip } from './helpers/zip.js';

interface F {
  path: string;
  line: number;
  column: number;
  kind: string;
  redacted: string;
  fingerprint: string;
  secret?: string;
  details?: Record<string, string>;
  fields?: string[];
}
interface Report {
  findings: F[];
  summary: { files: number; errors: { path: string; message: string }[]; notes: string[]; findings: number };
}

function scan(cwd: string, args: string[]) {
  const r = runCli(['scan', '--format', 'json', '--show-secrets', ...args], { cwd });
  return { r, report: parseJson<Report>(r) };
}

function byKey(report: Report, key: string): F[] {
  return report.findings.filter((f) => f.secret === key);
}

function one(report: Report, key: string): F {
  const found = byKey(report, key);
  expect(found, `findings for ${key.slice(0, 12)}…`).toHaveLength(1);
  return found[0]!;
}

const K = (n: number) => keyFor('project_164', 600 + n);

describe('ChatGPT export', () => {
  const conv = () =>
    gptConversation(
      'c0ffee00-1111-4222-8333-444455556666',
      'Why does my app 401?',
      [
        { id: 'client-created-root', parent: null },
        { id: 'sys', parent: 'client-created-root', role: 'system', text: '', hidden: true },
        { id: 'u1', parent: 'sys', role: 'user', text: `my .env:\nOPENAI_API_KEY=${K(1)}\n`, time: 1_700_000_001 },
        { id: 'u1-edit', parent: 'sys', role: 'user', text: `first try ${K(2)}`, time: 1_700_000_002 },
        { id: 'a1', parent: 'u1', role: 'assistant', text: 'Rotate that key.', time: 1_700_000_003 },
        {
          id: 'code',
          parent: 'a1',
          role: 'assistant',
          name: undefined,
          content: { content_type: 'code', language: 'json', text: JSON.stringify({ cmd: ['bash', '-lc', `export OPENAI_API_KEY=${K(3)}`] }) },
          time: 1_700_000_004,
        },
        {
          id: 'u2',
          parent: 'code',
          role: 'user',
          text: 'thanks',
          metadata: { user_context_message_data: { about_user_message: `I use ${K(4)}` } },
          time: 1_700_000_005,
        },
      ],
      'u2',
    );

  it('a zip with conversations.json and chat.html: one finding per message, both fields named, every branch read', () => {
    const dir = tempDir();
    const c = conv();
    const convJson = gptJson([c]);
    writeFileSync(
      join(dir, 'export.zip'),
      makeZip([
        { name: 'conversations.json', data: convJson },
        { name: 'chat.html', data: chatHtml([c]) },
        { name: 'user.json', data: '{"id": "user-abc", "email": "me@example.com", "chatgpt_plus_user": true}' },
      ]),
    );
    const { r, report } = scan(dir, ['export.zip']);
    expect(r.code).toBe(1);
    expect(report.summary.errors).toEqual([]);

    const f1 = one(report, K(1));
    expect(f1.path).toBe('export.zip!conversations.json');
    expect(f1.kind).toBe('chat-export');
    expect([f1.line, f1.column]).toEqual([1, convJson.indexOf(K(1)) + 1]);
    expect(f1.details).toEqual({
      conversation: '"Why does my app 401?" (c0ffee00-1111-4222-8333-444455556666)',
      message: '#1 user, 2023-11-14 22:13:21 UTC',
      field: 'content.parts[0]',
      branch: 'visible',
      node: 'u1',
      link: 'https://chatgpt.com/c/c0ffee00-1111-4222-8333-444455556666',
    });
    expect(f1.fields).toEqual(['content.parts[0]', 'chat.html: content.parts[0]']);

    const f2 = one(report, K(2));
    expect(f2.details?.branch).toMatch(/^edited-away/);
    expect(f2.details?.message).toBe('#1 user, 2023-11-14 22:13:22 UTC');

    const f3 = one(report, K(3));
    expect(f3.details?.field).toBe('content.text → (JSON in string) cmd[2]');
    expect(f3.details?.message).toMatch(/^#3 assistant/);

    const f4 = one(report, K(4));
    expect(f4.details?.field).toBe('metadata.user_context_message_data.about_user_message');
    expect(f4.details?.message).toMatch(/^#4 user/);
    expect(report.findings).toHaveLength(4);
  });

  it('text output: the conversation, message and link, the fields, and the advice to delete the conversation', () => {
    const dir = tempDir();
    writeFiles(dir, { 'conversations.json': gptJson([conv()]) });
    const r = runCli(['scan', 'conversations.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('conversation: "Why does my app 401?" (c0ffee00-1111-4222-8333-444455556666)');
    expect(r.stdout).toContain('branch: edited-away');
    expect(r.stdout).toContain('link: https://chatgpt.com/c/c0ffee00-1111-4222-8333-444455556666');
    expect(r.stdout).toMatch(/Delete the conversation in the service/);
    for (let n = 1; n <= 4; n++) expect(r.stdout).not.toContain(K(n));
  });

  it('a key in a title is named and never printed in full, even in the conversation detail', () => {
    const dir = tempDir();
    const c = gptConversation('id-9', `my key ${K(5)}`, [
      { id: 'r', parent: null },
      { id: 'u', parent: 'r', role: 'user', text: 'hi' },
    ]);
    writeFiles(dir, { 'conversations.json': gptJson([c]) });
    const r = runCli(['scan', '--format', 'json', 'conversations.json'], { cwd: dir });
    const f = parseJson<Report>(r).findings;
    expect(f).toHaveLength(1);
    expect(f[0]!.details?.field).toBe('title');
    expect(f[0]!.details?.conversation).toMatch(/^"my key sk-proj-\S{4}…\S{4}" \(id-9\)$/);
    expect(r.stdout).not.toContain(K(5));
  });

  it('sharded conversations-NNN.json and the {"conversations": [...]} wrapper', () => {
    const dir = tempDir();
    const mk = (id: string, key: string) =>
      gptConversation(id, id, [
        { id: 'r', parent: null },
        { id: 'u', parent: 'r', role: 'user', text: key },
      ]);
    writeFiles(dir, {
      'conversations-000.json': gptJson([mk('a', 'nothing')]),
      'conversations-001.json': gptJson([mk('b', K(6))]),
      'wrapped.json': gptJson({ conversations: [mk('c', K(7))] }),
    });
    const { report } = scan(dir, ['.']);
    expect(one(report, K(6))).toMatchObject({ path: 'conversations-001.json', details: { conversation: '"b" (b)', node: 'u' } });
    expect(one(report, K(7))).toMatchObject({ path: 'wrapped.json', details: { conversation: '"c" (c)', message: '#1 user' } });
  });
});

describe('Claude.ai export', () => {
  it('messages, content blocks and attachments; text and content of one message reported once', () => {
    const dir = tempDir();
    const convs = [
      claudeConversation('11111111-aaaa', 'Deploy help', [
        { text: `key ${K(10)}`, content: [{ type: 'text', text: `key ${K(10)}` }] },
        { text: 'ok' },
        { text: 'see file', attachments: [{ file_name: 'paste.txt', file_size: 99, file_type: 'txt', extracted_content: `OPENAI_API_KEY=${K(11)}` }] },
      ]),
    ];
    const projects = [
      { uuid: 'proj-1', name: 'Infra', description: '', prompt_template: '', docs: [{ uuid: 'd1', filename: 'notes.md', content: `token ${K(12)}` }] },
    ];
    writeFileSync(
      join(dir, 'claude.zip'),
      makeZip([
        { name: 'conversations.json', data: JSON.stringify(convs) },
        { name: 'projects.json', data: JSON.stringify(projects) },
        { name: 'users.json', data: '[{"uuid": "u", "full_name": "Me", "email_address": "me@example.com"}]' },
      ]),
    );
    const { report } = scan(dir, ['claude.zip']);
    const f10 = one(report, K(10));
    expect(f10.details).toMatchObject({
      conversation: '"Deploy help" (11111111-aaaa)',
      message: '#1 human, 2024-05-01 10:00:00 UTC',
      link: 'https://claude.ai/chat/11111111-aaaa',
    });
    expect(f10.fields).toEqual(['text', 'content[0].text']);
    expect(one(report, K(11)).details).toMatchObject({ message: '#3 human, 2024-05-01 10:02:00 UTC', field: 'attachments[0].extracted_content' });
    expect(one(report, K(12))).toMatchObject({
      path: 'claude.zip!projects.json',
      details: { project: '"Infra" (proj-1)', document: 'notes.md', field: 'content' },
    });
  });
});

describe('Slack, Discord and Telegram exports', () => {
  it('Slack: channel, day, time, user name from users.json; text and blocks once; file previews', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'slack/users.json': slackJson([{ id: 'U01', name: 'alice', real_name: 'Alice Example', is_bot: false, profile: { real_name: 'Alice Example' } }]),
      'slack/channels.json': slackJson([{ id: 'C1', name: 'general', created: 1, creator: 'U01', members: ['U01'] }]),
      'slack/general/2024-01-02.json': slackJson([
        slackMessage('U01', '1704189600.000100', `try ${K(20)}`),
        slackMessage('U02', '1704189700.000200', 'snippet', {
          files: [{ id: 'F1', name: 'env', preview: `OPENAI_API_KEY=${K(21)}` }],
          thread_ts: '1704189600.000100',
        }),
      ]),
    });
    const { report } = scan(dir, ['slack']);
    const f = one(report, K(20));
    expect(f.details).toEqual({
      channel: '#general',
      day: '2024-01-02',
      time: '2024-01-02 10:00:00 UTC (ts 1704189600.000100)',
      user: 'Alice Example (U01)',
      field: 'text',
    });
    expect(f.fields).toEqual(['text', 'blocks[0].elements[0].elements[0].text']);
    expect(one(report, K(21)).details).toMatchObject({ user: 'U02', thread: '1704189600.000100', field: 'files[0].preview' });
  });

  it('Slack export zip: users.json read first names the users of the day files after it', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'Acme Slack export.zip'),
      makeZip([
        { name: 'users.json', data: slackJson([{ id: 'U07', name: 'dan', real_name: 'Dan Dev', is_bot: false }]) },
        {
          name: 'deploys/2024-02-03.json',
          data: slackJson([
            slackMessage('U07', '1706954400.000200', 'no profile here', {
              attachments: [{ fallback: `OPENAI_API_KEY=${K(25)}`, text: `OPENAI_API_KEY=${K(25)}` }],
            }),
          ]),
        },
      ]),
    );
    const { report } = scan(dir, ['.']);
    const f = one(report, K(25));
    expect(f).toMatchObject({ path: 'Acme Slack export.zip!deploys/2024-02-03.json', details: { channel: '#deploys', user: 'Dan Dev (U07)' } });
    expect(f.fields).toEqual(['attachments[0].fallback', 'attachments[0].text']);
  });

  it('Discord (DiscordChatExporter): server, channel, message, author, link', () => {
    const dir = tempDir();
    const doc = {
      guild: { id: '111', name: 'Dev Server', iconUrl: '' },
      channel: { id: '222', type: 'GuildTextChat', categoryId: '3', category: 'Text', name: 'help', topic: null },
      dateRange: { after: null, before: null },
      exportedAt: '2024-06-01T00:00:00+00:00',
      messages: [
        {
          id: '900',
          type: 'Default',
          timestamp: '2024-05-30T12:00:00+00:00',
          content: 'hello',
          author: { id: '5', name: 'bob', nickname: 'Bob' },
          attachments: [],
          embeds: [],
        },
        {
          id: '901',
          type: 'Default',
          timestamp: '2024-05-30T12:01:00+00:00',
          content: `my key ${K(22)}`,
          author: { id: '5', name: 'bob', nickname: 'Bob' },
          attachments: [],
          embeds: [],
        },
      ],
      messageCount: 2,
    };
    writeFiles(dir, { 'Dev Server - Text - help [222].json': JSON.stringify(doc, null, 2) });
    const { report } = scan(dir, ['.']);
    expect(one(report, K(22)).details).toEqual({
      server: 'Dev Server',
      channel: '"help" (222)',
      message: 'id 901, Bob, 2024-05-30 12:01:00 UTC',
      field: 'content',
      link: 'https://discord.com/channels/111/222/901',
    });
  });

  it('Telegram result.json: entity-array text and text_entities reported once; a full account export', () => {
    const dir = tempDir();
    const msg = (id: number, key: string) => ({
      id,
      type: 'message',
      date: '2024-03-01T09:00:00',
      date_unixtime: '1709283600',
      from: 'Carol',
      from_id: 'user42',
      text: ['the key is ', { type: 'code', text: key }],
      text_entities: [
        { type: 'plain', text: 'the key is ' },
        { type: 'code', text: key },
      ],
    });
    writeFiles(dir, {
      'one/result.json': JSON.stringify({ name: 'Ops', type: 'private_group', id: 77, messages: [msg(1, K(23))] }, null, 1),
      'all/result.json': JSON.stringify(
        {
          about: '',
          chats: {
            about: '',
            list: [
              {
                name: 'Alice',
                type: 'personal_chat',
                id: 5,
                messages: [
                  {
                    id: 3,
                    type: 'message',
                    date: '2024-03-02T10:00:00',
                    date_unixtime: '1709373600',
                    from: 'Alice',
                    text: `plain ${K(24)}`,
                    text_entities: [],
                  },
                ],
              },
            ],
          },
        },
        null,
        1,
      ),
    });
    const { report } = scan(dir, ['.']);
    const f = one(report, K(23));
    expect(f.details).toMatchObject({ chat: 'Ops (private_group, id 77)', message: 'id 1, 2024-03-01 09:00:00 UTC, Carol' });
    expect(f.fields).toEqual(['text[1].text', 'text_entities[1].text']);
    expect(one(report, K(24)).details).toMatchObject({ chat: 'Alice (personal_chat, id 5)', field: 'text' });
  });
});

describe('agent transcripts', () => {
  const session = '0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000';

  it('Codex rollouts (current and older layouts) and history.jsonl: session, line, record, role; JSON inside strings', () => {
    const home = tempDir();
    const rollout = `.codex/sessions/2025/01/02/rollout-2025-01-02T10-00-00-${session}.jsonl`;
    writeFiles(home, {
      [rollout]: jsonl([
        {
          timestamp: '2025-01-02T10:00:00.000Z',
          type: 'session_meta',
          payload: { id: session, timestamp: '2025-01-02T10:00:00.000Z', cwd: '/work', originator: 'codex_cli_rs', cli_version: '0.50.0', instructions: null },
        },
        {
          timestamp: '2025-01-02T10:00:01.000Z',
          type: 'response_item',
          payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: `use ${K(30)}` }] },
        },
        { timestamp: '2025-01-02T10:00:01.000Z', type: 'event_msg', payload: { type: 'user_message', message: `use ${K(30)}`, images: [] } },
        {
          timestamp: '2025-01-02T10:00:02.000Z',
          type: 'response_item',
          payload: {
            type: 'function_call',
            name: 'shell',
            arguments: JSON.stringify({ command: ['bash', '-lc', `curl -H 'Authorization: Bearer ${K(31)}'`], workdir: '/work' }),
            call_id: 'call_1',
          },
        },
        {
          timestamp: '2025-01-02T10:00:03.000Z',
          type: 'response_item',
          payload: {
            type: 'function_call_output',
            call_id: 'call_1',
            output: JSON.stringify({ output: `OPENAI_API_KEY=${K(32)}\n`, metadata: { exit_code: 0 } }),
          },
        },
      ]),
      '.codex/archived_sessions/rollout-2025-05-01T08-00-00-old.jsonl': jsonl([
        { id: 'old-session', timestamp: '2025-05-01T08:00:00.000Z', instructions: 'be helpful', git: null },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: `old ${K(33)}` }] },
        { record_type: 'state' },
      ]),
      '.codex/history.jsonl': jsonl([{ session_id: session, ts: 1_735_812_000, text: `prompt with ${K(34)}` }]),
    });
    const { report } = scan(home, ['.codex']);
    const twice = byKey(report, K(30)).sort((a, b) => a.line - b.line);
    expect(twice.map((f) => [f.line, f.details?.record, f.details?.role ?? null])).toEqual([
      [2, 'response_item / message', 'user'],
      [3, 'event_msg / user_message', null],
    ]);
    expect(twice[0]!.details).toMatchObject({ session, time: '2025-01-02 10:00:01 UTC', field: 'payload.content[0].text' });
    expect(twice[0]!.kind).toBe('agent-transcript');
    expect(one(report, K(31)).details).toMatchObject({
      record: 'response_item / function_call (shell)',
      field: 'payload.arguments → (JSON in string) command[2]',
    });
    const out = one(report, K(32));
    expect(out.details?.field).toBe('payload.output → (JSON in string) output');
    const raw = readFileSync(join(home, rollout), 'utf8').split('\n')[4]!;
    expect([out.line, out.column]).toEqual([5, raw.indexOf(K(32)) + 1]);
    expect(one(report, K(33)).details).toMatchObject({ session: 'old-session', record: 'message (older rollout layout)', role: 'user' });
    expect(one(report, K(34)).details).toMatchObject({ history: 'Codex prompts', session, time: '2025-01-02 10:00:00 UTC', field: 'text' });
  });

  it('Claude Code transcripts and history.jsonl: a key read from .env in tool_result and toolUseResult is one finding', () => {
    const home = tempDir();
    const base = { parentUuid: null, isSidechain: false, userType: 'external', cwd: '/home/me/app', sessionId: session, version: '1.0.0', gitBranch: 'main' };
    writeFiles(home, {
      [`.claude/projects/-home-me-app/${session}.jsonl`]: jsonl([
        { ...base, type: 'user', message: { role: 'user', content: 'read my .env' }, uuid: 'u1', timestamp: '2025-02-03T04:05:06.000Z' },
        {
          ...base,
          type: 'assistant',
          message: { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Read', input: { file_path: '/home/me/app/.env' } }] },
          uuid: 'a1',
          timestamp: '2025-02-03T04:05:07.000Z',
        },
        {
          ...base,
          type: 'user',
          message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: `     1→OPENAI_API_KEY=${K(40)}\n` }] },
          toolUseResult: { type: 'text', file: { filePath: '/home/me/app/.env', content: `OPENAI_API_KEY=${K(40)}\n` } },
          uuid: 'u2',
          timestamp: '2025-02-03T04:05:08.000Z',
        },
      ]),
      '.claude/history.jsonl': jsonl([
        {
          display: 'fix it [Pasted text #1]',
          pastedContents: { '1': { id: 1, type: 'text', content: `KEY=${K(41)}` } },
          timestamp: 1_738_555_506_000,
          project: '/home/me/app',
          sessionId: session,
        },
      ]),
    });
    const { report } = scan(home, ['.claude']);
    const f = one(report, K(40));
    expect(f).toMatchObject({ line: 3, kind: 'agent-transcript' });
    expect(f.details).toMatchObject({ session, record: 'user', time: '2025-02-03 04:05:08 UTC', project: '/home/me/app' });
    expect(f.fields).toEqual(['message.content[0].content', 'toolUseResult.file.content']);
    expect(one(report, K(41)).details).toMatchObject({ history: 'Claude Code prompts', project: '/home/me/app', field: 'pastedContents["1"].content' });
  });
});

describe('other JSON and JSON Lines files', () => {
  it('are named by JSON path, with exact line and column', () => {
    const dir = tempDir();
    const pretty = JSON.stringify({ services: { openai: { key: K(50) } }, list: [1, { 'odd key': K(51) }] }, null, 2);
    writeFiles(dir, { 'config.json': pretty, 'events.jsonl': jsonl([{ a: 1 }, { nested: { arr: ['x', `k=${K(52)}`] } }]) });
    const { report } = scan(dir, ['.']);
    const f50 = one(report, K(50));
    expect(f50).toMatchObject({ kind: 'file', details: { 'json path': 'services.openai.key' } });
    const lines = pretty.split('\n');
    const at = lines.findIndex((l) => l.includes(K(50)));
    expect([f50.line, f50.column]).toEqual([at + 1, lines[at]!.indexOf(K(50)) + 1]);
    expect(one(report, K(51)).details).toEqual({ 'json path': 'list[1]["odd key"]' });
    expect(one(report, K(52))).toMatchObject({ line: 2, details: { 'json path': 'nested.arr[1]' } });
  });
});
