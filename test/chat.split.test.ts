// Keys split across lines inside chat exports and agent transcripts: a pasted key wrapped by the
// terminal, kept in a message string where JSON writes each line break as `\n`. The marker is cut
// in every case, so no needle is in the file and only the split trace (json-split.ts) brings the
// string to `detect`. Real export files: a ChatGPT conversations.json, a Claude Code transcript, a
// Codex rollout; and --fix on a transcript overwrites every piece.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../src/engine/fingerprint.js';
import { redactionMarker } from '../src/fix/redact-bytes.js';
import { gptConversation, gptJson, jsonl } from './helpers/chat-exports.js';
import { MARKER, keyFor } from './helpers/keys.js';
import { runMain } from './helpers/main.js';
import { gitEnv, parseJson, tempDir, writeFiles } from './helpers/tmp.js';

interface F {
  path: string;
  line: number;
  column: number;
  kind: string;
  fingerprint: string;
  secret?: string;
  decoded?: string;
  joinedLines?: number;
  details?: Record<string, string>;
}
interface Report {
  findings: F[];
}

const env = (home: string) => gitEnv({ HOME: home, XDG_DATA_HOME: '', OPENAI_API_KEY: '', CODEX_API_KEY: '' });

async function scan(home: string, rel: string): Promise<{ code: number; findings: F[] }> {
  const r = await runMain(['scan', '--format', 'json', '--show-secrets', rel], { cwd: home, env: env(home) });
  return { code: r.code, findings: parseJson<Report>(r).findings };
}

/** The key as a terminal wraps it at `width` columns, with a cut inside the marker (the width is picked so). */
function wrapped(key: string): { text: string; lines: string[] } {
  const m = key.indexOf(MARKER);
  // widths whose row boundary falls strictly inside the marker
  const width = [...Array(70).keys()].map((i) => 30 + i).find((w) => [2, 3, 4, 5].some((n) => n * w > m && n * w < m + MARKER.length))!;
  const lines: string[] = [];
  for (let i = 0; i < key.length; i += width) lines.push(key.slice(i, i + width));
  return { text: lines.join('\n'), lines };
}

/** 1-based column of `needle` in the one line of the file that holds it. */
function columnOf(file: string, needle: string): { line: number; column: number } {
  const lines = file.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  return { line: line + 1, column: lines[line]!.indexOf(needle) + 1 };
}

describe('a wrapped key with its marker cut, in real export files', () => {
  const key = keyFor('project_164', 2101);
  const w = wrapped(key);

  it('the key is wrapped over several rows and no row holds the marker (no needle in the files)', () => {
    expect(w.lines.length).toBeGreaterThan(2);
    for (const l of w.lines) expect(l).not.toContain(MARKER);
  });

  it('ChatGPT conversations.json: reported once, joined, with its conversation, message and field, at the first piece', async () => {
    const home = tempDir();
    const conv = gptConversation('conv-7', 'deploy help', [
      { id: 'r', parent: null },
      { id: 'u', parent: 'r', role: 'user', text: `my key is\n${w.text}\nwhy does it fail?`, time: 1_700_000_100 },
      { id: 'a', parent: 'u', role: 'assistant', text: 'Please revoke it.' },
    ]);
    const file = gptJson([conv]);
    writeFiles(home, { 'conversations.json': file });
    const { code, findings } = await scan(home, 'conversations.json');
    expect(code).toBe(1);
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect([f.secret, f.fingerprint, f.decoded, f.joinedLines, f.kind]).toEqual([key, fingerprint(key), 'joined', w.lines.length, 'chat-export']);
    expect({ line: f.line, column: f.column }).toEqual(columnOf(file, w.lines[0]!));
    expect(f.details).toMatchObject({ conversation: expect.stringContaining('deploy help'), field: 'content.parts[0]' });
    expect(JSON.stringify(f.details)).toContain('user');
  });

  it('Claude Code transcript: reported at its record and field; --fix overwrites every piece, the line stays valid JSON', async () => {
    const home = tempDir();
    const rel = '.claude/projects/-w/3f1c0e2a-0000-4000-8000-000000000021.jsonl';
    const records = [
      { type: 'summary', summary: 'setup', leafUuid: 'x' },
      {
        parentUuid: null,
        sessionId: 's-21',
        type: 'user',
        message: { role: 'user', content: `use this:\n${w.text}\nthanks` },
        uuid: 'u',
        timestamp: '2025-02-03T04:05:06Z',
        cwd: '/w',
      },
    ];
    const content = jsonl(records);
    writeFiles(home, { [rel]: content });
    const { findings } = await scan(home, rel);
    expect(findings.map((f) => [f.secret, f.decoded, f.joinedLines, f.kind, f.line, f.column])).toEqual([
      [key, 'joined', w.lines.length, 'agent-transcript', ...Object.values(columnOf(content, w.lines[0]!))],
    ]);
    expect(findings[0]!.details).toMatchObject({ session: 's-21', field: 'message.content' });

    const fix = await runMain(['scan', '--fix', '--no-backup', rel], { cwd: home, env: env(home) });
    expect(fix.code).toBe(1);
    expect(fix.stderr).toMatch(/redacted 1 occurrence of 1 key in .*\(line 2\); every line is still valid JSON/);
    const after = readFileSync(join(home, rel), 'utf8');
    expect(after.length).toBe(content.length);
    for (const piece of w.lines) expect(after).not.toContain(piece);
    const message = (JSON.parse(after.split('\n')[1]!) as { message: { content: string } }).message.content;
    expect(message).toBe(`use this:\n${w.lines.map((l) => redactionMarker(key, l.length)).join('\n')}\nthanks`);
    expect((await scan(home, rel)).code).toBe(0);
  });

  it('Codex rollout: the user message, its event and a tool call (JSON in a string) cut inside the marker', async () => {
    const home = tempDir();
    const rel = '.codex/sessions/2025/01/02/rollout-2025-01-02T10-00-00-0199aaaa-bbbb-7ccc-8ddd-eeeeffff0021.jsonl';
    const at = key.indexOf(MARKER) + 3;
    const command = `export OPENAI_API_KEY=${key.slice(0, at)}\\\n${key.slice(at)}\nnpm start`;
    const content = jsonl([
      { timestamp: '2025-01-02T10:00:00.000Z', type: 'session_meta', payload: { id: 's-1', cwd: '/w' } },
      {
        timestamp: '2025-01-02T10:00:01.000Z',
        type: 'response_item',
        payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: `key:\n${w.text}` }] },
      },
      { timestamp: '2025-01-02T10:00:01.000Z', type: 'event_msg', payload: { type: 'user_message', message: `key:\n${w.text}` } },
      {
        timestamp: '2025-01-02T10:00:02.000Z',
        type: 'response_item',
        payload: { type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', command] }), call_id: 'c' },
      },
    ]);
    expect(content).not.toContain(MARKER);
    writeFiles(home, { [rel]: content });
    const { findings } = await scan(home, rel);
    expect(findings.map((f) => [f.secret, f.decoded, f.line, f.details?.field])).toEqual([
      [key, 'joined', 2, 'payload.content[0].text'],
      [key, 'joined', 3, 'payload.message'],
      [key, 'joined', 4, expect.stringContaining('(JSON in string) command[2]')],
    ]);
    expect(findings[2]!.column).toBe(columnOf(content, key.slice(0, at)).column);

    const fix = await runMain(['scan', '--fix', '--no-backup', rel], { cwd: home, env: env(home) });
    expect(fix.stderr).toMatch(/redacted 3 occurrences of 1 key .*\(lines 2, 3, 4\)/);
    const after = readFileSync(join(home, rel), 'utf8');
    for (const piece of [...w.lines, key.slice(0, at), key.slice(at)]) expect(after).not.toContain(piece);
    for (const l of after.trimEnd().split('\n')) expect(() => JSON.parse(l)).not.toThrow();
    expect((await scan(home, rel)).code).toBe(0);
  });
});

describe('look-alikes are not joined', () => {
  it('two different keys on consecutive lines of one message: two keys, neither joined', async () => {
    const home = tempDir();
    const [k1, k2] = [keyFor('project_164', 2111), keyFor('project_164', 2112)];
    const conv = gptConversation('conv-8', 'two keys', [
      { id: 'r', parent: null },
      { id: 'u', parent: 'r', role: 'user', text: `old:\n${k1}\nnew:\n${k2}\n${k1}\n${k2}` },
    ]);
    writeFiles(home, { 'conversations.json': gptJson([conv]) });
    const { findings } = await scan(home, 'conversations.json');
    expect(findings.map((f) => [f.secret, f.decoded])).toEqual([
      [k1, undefined],
      [k2, undefined],
    ]);
  });

  it('a key whose first rows are in one message and last row in another: nothing joined across strings', async () => {
    const home = tempDir();
    const key = keyFor('project_164', 2113);
    const w = wrapped(key);
    const rel = '.claude/projects/-w/3f1c0e2a-0000-4000-8000-000000000022.jsonl';
    const message = (content: string, uuid: string) => ({
      sessionId: 's',
      type: 'user',
      message: { role: 'user', content },
      uuid,
      timestamp: '2025-02-03T04:05:06Z',
    });
    writeFiles(home, {
      [rel]: jsonl([message(w.lines.slice(0, -1).join('\n'), 'a'), message(w.lines[w.lines.length - 1]!, 'b')]),
      'task.json': JSON.stringify({ notes: 'task-sk-1\nmore text\nrisk-\nend', other: "say 'sk-x'\n'y'" }),
    });
    expect((await scan(home, rel)).findings).toEqual([]);
    expect((await scan(home, 'task.json')).findings).toEqual([]);
  });
});
