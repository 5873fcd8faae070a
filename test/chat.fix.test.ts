// --fix on transcripts (in place, atomic, backed up, every line still valid JSON, JSON inside JSON
// strings still valid) and on downloaded exports (a redacted copy beside, the original untouched).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactTranscript } from '../src/fix/transcript.js';
import { redactedCopyPath } from '../src/fix/archive.js';
import { KeyTargets, redactionMarker } from '../src/fix/redact-bytes.js';
import { StreamReplacer } from '../src/fix/replace-stream.js';
import { chatHtml, gptConversation, gptJson, jsonl } from './helpers/chat-exports.js';
import { keyFor, rng } from './helpers/keys.js';
import { gitEnv, parseJson, tempDir, writeFiles } from './helpers/tmp.js';
import { runMain } from './helpers/main.js';
import { makeZip } from './helpers/zip.js';

const K = (n: number) => keyFor('svcacct_167', 800 + n);

function rollout(): string {
  return jsonl([
    { timestamp: '2025-01-02T10:00:00.000Z', type: 'session_meta', payload: { id: 's-1', cwd: '/w' } },
    {
      timestamp: '2025-01-02T10:00:01.000Z',
      type: 'response_item',
      payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: `key ${K(1)}` }] },
    },
    { timestamp: '2025-01-02T10:00:01.000Z', type: 'event_msg', payload: { type: 'user_message', message: `key ${K(1)}` } },
    {
      timestamp: '2025-01-02T10:00:02.000Z',
      type: 'response_item',
      payload: { type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', `echo ${K(2)}`] }), call_id: 'c' },
    },
    {
      timestamp: '2025-01-02T10:00:03.000Z',
      type: 'response_item',
      payload: {
        type: 'function_call_output',
        call_id: 'c',
        output: JSON.stringify({ output: JSON.stringify({ env: `OPENAI_API_KEY=${K(3)}` }), metadata: { exit_code: 0 } }),
      },
    },
  ]);
}

const env = (home: string) => gitEnv({ HOME: home, XDG_DATA_HOME: '', OPENAI_API_KEY: '', CODEX_API_KEY: '' });

describe('--fix on agent transcripts', () => {
  it('redacts in place: every line valid JSON, nested JSON too, a 0600 backup, mode kept; a rescan is clean', async () => {
    const home = tempDir();
    const rel = '.codex/sessions/2025/01/02/rollout-2025-01-02T10-00-00-0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000.jsonl';
    writeFiles(home, { [rel]: rollout() });
    const file = join(home, rel);
    chmodSync(file, 0o640);
    const original = readFileSync(file);

    const r = await runMain(['scan', '--fix', '--format', 'json', rel], { cwd: home, env: env(home) });
    expect(r.code).toBe(1);
    expect(parseJson(r).findings).toHaveLength(4);
    expect(r.stderr).toMatch(/redacted 4 occurrences of 3 keys in .*rollout-.*\.jsonl \(lines 2, 3, 4, 5\); every line is still valid JSON/);

    const after = readFileSync(file, 'utf8');
    for (const n of [1, 2, 3]) expect(after).not.toContain(K(n));
    const lines = after
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { payload: Record<string, string> });
    expect(lines).toHaveLength(5);
    expect((JSON.parse(lines[3]!.payload.arguments!) as { command: string[] }).command[2]).toMatch(
      new RegExp(`^echo REDACTED-[0-9a-f]{8}x{${K(2).length - 17}}$`),
    );
    const inner = JSON.parse((JSON.parse(lines[4]!.payload.output!) as { output: string }).output) as { env: string };
    expect(inner.env).toMatch(new RegExp(`^OPENAI_API_KEY=REDACTED-[0-9a-f]{8}x{${K(3).length - 17}}$`));
    expect(statSync(file).mode & 0o777).toBe(0o640);

    const backups = join(home, '.local/share/keyguard/backups');
    const [backup] = readdirSync(backups);
    expect(readFileSync(join(backups, backup!))).toEqual(original);
    expect(statSync(join(backups, backup!)).mode & 0o777).toBe(0o600);
    expect(r.stderr).toContain('backed up (mode 0600)');

    const again = await runMain(['scan', '--format', 'json', rel], { cwd: home, env: env(home) });
    expect(again.code).toBe(0);
  });

  it('--dry-run changes nothing; --no-backup keeps no copy of the key', async () => {
    const home = tempDir();
    const rel = '.claude/projects/-w/3f1c0e2a-0000-4000-8000-000000000001.jsonl';
    const content = jsonl([
      {
        parentUuid: null,
        isSidechain: false,
        sessionId: 's',
        type: 'user',
        message: { role: 'user', content: `here ${K(4)}` },
        uuid: 'u',
        timestamp: '2025-02-03T04:05:06Z',
      },
    ]);
    writeFiles(home, { [rel]: content });
    const dry = await runMain(['scan', '--fix', '--dry-run', rel], { cwd: home, env: env(home) });
    expect(dry.stderr).toMatch(/would redact 1 occurrence of 1 key in .*\(line 1\)/);
    expect(readFileSync(join(home, rel), 'utf8')).toBe(content);

    const fix = await runMain(['scan', '--fix', '--no-backup', rel], { cwd: home, env: env(home) });
    expect(fix.stderr).toMatch(/redacted 1 occurrence/);
    expect(readFileSync(join(home, rel), 'utf8')).not.toContain(K(4));
    expect(existsSync(join(home, '.local/share/keyguard/backups'))).toBe(false);
  });

  it('the transform keeps CRLF, blank lines and broken lines as they are, redacting keys in each', async () => {
    const text = `{"a": "${K(5)}"}\r\n\r\n{"broken": "${K(5)} \n{"b": "x"}`;
    const r = redactTranscript(Buffer.from(text), new Set([K(5)]), false)!;
    const out = r.content.toString();
    expect(r.count).toBe(2);
    expect(r.lines).toEqual([1, 3]);
    expect(out).toBe(text.split(K(5)).join(redactionMarker(K(5))));
    const pad = `x{${K(5).length - 17}}`;
    expect(out).toMatch(new RegExp(`^\\{"a": "REDACTED-[0-9a-f]{8}${pad}"\\}\\r\\n\\r\\n\\{"broken": "REDACTED-[0-9a-f]{8}${pad} \\n`));
    expect(out.length).toBe(text.length);
    expect(redactTranscript(Buffer.from('{"a": 1}\n'), new Set([K(5)]), false)).toBeUndefined();
  });
});

describe('--fix on downloaded exports', () => {
  it('writes export.redacted.zip beside the zip (0600), keys gone from every member, the original byte for byte the same', async () => {
    const dir = tempDir();
    const c = gptConversation('conv-1', 'env help', [
      { id: 'r', parent: null },
      { id: 'u', parent: 'r', role: 'user', text: `OPENAI_API_KEY=${K(6)}` },
    ]);
    const zip = makeZip([
      { name: 'conversations.json', data: gptJson([c]) },
      { name: 'chat.html', data: chatHtml([c]) },
      { name: 'file-AbCdEfGhIjKlMnOpQr-notes.txt', data: `second ${K(7)}\n` },
      { name: 'user.json', data: '{"id": "user-1", "chatgpt_plus_user": false}' },
    ]);
    writeFileSync(join(dir, 'export.zip'), zip);
    const r = await runMain(['scan', '--fix', '--format', 'json', 'export.zip'], { cwd: dir, env: env(dir) });
    expect(r.code).toBe(1);
    expect(parseJson(r).findings.map((f) => f.path)).toEqual(['export.zip!conversations.json', 'export.zip!file-AbCdEfGhIjKlMnOpQr-notes.txt']);
    expect(r.stderr).toMatch(
      /wrote a redacted copy of .*export\.zip to .*export\.redacted\.zip \(3 occurrences of 2 keys replaced\); the original is unchanged/,
    );

    expect(readFileSync(join(dir, 'export.zip'))).toEqual(zip);
    const copy = join(dir, 'export.redacted.zip');
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    if (spawnSync('unzip', ['-v']).status === 0) expect(spawnSync('unzip', ['-tq', copy]).status).toBe(0);
    const again = await runMain(['scan', '--format', 'json', 'export.redacted.zip'], { cwd: dir, env: env(dir) });
    expect(again.code).toBe(0);
    expect(parseJson(again).summary.files).toBe(4);
    if (spawnSync('unzip', ['-v']).status === 0) {
      const conv = execFileSync('unzip', ['-p', copy, 'conversations.json'], { encoding: 'utf8' });
      expect(conv).toBe(gptJson([c]).replace(K(6), conv.match(/REDACTED-[0-9a-f]{8}x+/)![0]));
    }
  });

  it('a plain conversations.json gets conversations.redacted.json; --dry-run writes nothing', async () => {
    const dir = tempDir();
    const c = gptConversation('c', 't', [
      { id: 'r', parent: null },
      { id: 'u', parent: 'r', role: 'user', text: K(8) },
    ]);
    writeFiles(dir, { 'conversations.json': gptJson([c]) });
    const dry = await runMain(['scan', '--fix', '--dry-run', 'conversations.json'], { cwd: dir, env: env(dir) });
    expect(dry.stderr).toMatch(/would write a redacted copy of .*conversations\.json to .*conversations\.redacted\.json/);
    expect(existsSync(join(dir, 'conversations.redacted.json'))).toBe(false);
    await runMain(['scan', '--fix', 'conversations.json'], { cwd: dir, env: env(dir) });
    const copy = readFileSync(join(dir, 'conversations.redacted.json'), 'utf8');
    expect(copy).not.toContain(K(8));
    expect(JSON.parse(copy)).toHaveLength(1);
    expect(readFileSync(join(dir, 'conversations.json'), 'utf8')).toContain(K(8));
    expect(redactedCopyPath('/a/b/export.zip')).toBe('/a/b/export.redacted.zip');
  });

  it('an extracted export folder: one finding for conversations.json and chat.html, and a redacted copy of each', async () => {
    const dir = tempDir();
    const c = gptConversation('c', 't', [
      { id: 'r', parent: null },
      { id: 'u', parent: 'r', role: 'user', text: K(12) },
    ]);
    writeFiles(dir, { 'export/conversations.json': gptJson([c]), 'export/chat.html': chatHtml([c]).replace('</body>', `<!-- ${K(13)} --></body>`) });
    const r = await runMain(['scan', '--fix', '--format', 'json', 'export'], { cwd: dir, env: env(dir) });
    const found = parseJson<{ findings: { path: string; fields?: string[] }[] }>(r).findings;
    // chat.html comes first in the walk, so the merged finding is placed there
    expect(found.map((f) => [f.path, f.fields])).toEqual([
      ['export/chat.html', ['chat.html: content.parts[0]', 'content.parts[0]']],
      ['export/chat.html', undefined],
    ]);
    const html = readFileSync(join(dir, 'export/chat.redacted.html'), 'utf8');
    expect(html).not.toContain(K(12));
    expect(html).not.toContain(K(13));
    expect(readFileSync(join(dir, 'export/conversations.redacted.json'), 'utf8')).not.toContain(K(12));
    expect(readFileSync(join(dir, 'export/chat.html'), 'utf8')).toContain(K(12));
  });

  it('an encrypted member: no copy is written, and the run says why (exit 2)', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'export.zip'),
      makeZip([
        {
          name: 'conversations.json',
          data: gptJson([
            gptConversation('c', 't', [
              { id: 'r', parent: null },
              { id: 'u', parent: 'r', role: 'user', text: K(9) },
            ]),
          ]),
        },
        { name: 'secret.txt', data: 'abc'.repeat(50), encrypted: true },
      ]),
    );
    const r = await runMain(['scan', '--fix', '--format', 'json', 'export.zip'], { cwd: dir, env: env(dir) });
    expect(r.code).toBe(2);
    const errors = parseJson<{ summary: { errors: { path: string; message: string }[] } }>(r)
      .summary.errors.map((e) => e.message)
      .join('\n');
    expect(errors).toMatch(/could not redact: member secret\.txt is encrypted/);
    expect(readdirSync(dir)).toEqual(['export.zip']);
  });
});

describe('stream replacement', () => {
  it('replaces hundreds of keys in three encodings, sharing their first bytes, as one search per key would', () => {
    const keys = Array.from({ length: 120 }, (_, i) => K(100 + i));
    const pairs = new KeyTargets(new Set(keys)).needles.map((n) => [n.from, n.to] as const);
    // the text: keys in each encoding among text that starts like them (sk-, s\0k\0-)
    const next = rng(5);
    const parts: Buffer[] = [];
    for (let i = 0; i < 400; i++) {
      const pick = Math.floor(next() * 4);
      const key = keys[Math.floor(next() * keys.length)]!;
      if (pick === 0) parts.push(Buffer.from(key));
      else if (pick === 1) parts.push(Buffer.from(key, 'utf16le'));
      else if (pick === 2) parts.push(Buffer.from(key, 'utf16le').swap16());
      else parts.push(Buffer.from(` sk-not-a-key ${key.slice(0, 30)} `));
      parts.push(Buffer.from(' text '));
    }
    const text = Buffer.concat(parts);
    // the reference: each needle replaced where it stands, leftmost first
    let want = text;
    for (const [from, to] of pairs) {
      const out: Buffer[] = [];
      let pos = 0;
      for (let at = want.indexOf(from); at !== -1; at = want.indexOf(from, at + from.length)) {
        out.push(want.subarray(pos, at), to);
        pos = at + from.length;
      }
      out.push(want.subarray(pos));
      want = Buffer.concat(out);
    }
    for (const size of [13, 4096, text.length]) {
      const r = new StreamReplacer(pairs);
      const out: Buffer[] = [];
      for (let i = 0; i < text.length; i += size) out.push(r.push(text.subarray(i, i + size)));
      out.push(r.end());
      expect(Buffer.concat(out).equals(want), `pieces of ${size}`).toBe(true);
    }
  });

  it('replaces keys however the stream is cut', async () => {
    const text = Buffer.from(`a ${K(10)} b ${K(11)}${K(10)} c`);
    for (const size of [1, 2, 7, 50, 1000]) {
      const r = new StreamReplacer(
        new Map([
          [K(10), 'X'],
          [K(11), 'YY'],
        ]),
      );
      const out: Buffer[] = [];
      for (let i = 0; i < text.length; i += size) out.push(r.push(text.subarray(i, i + size)));
      out.push(r.end());
      expect(Buffer.concat(out).toString()).toBe('a X b YYX c');
      expect(r.count).toBe(3);
    }
  });
});
