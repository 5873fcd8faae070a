// Escaped and base64'd session keys in the readers that look for needles in raw bytes before they
// build text: chat exports (JSON string values) and shell histories. The engine knows these
// spellings; the readers must not step over them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { ScanContext } from '../src/scan/context.js';
import { detect } from '../src/engine/detect.js';
import type { FileRef } from '../src/sources/files/file-ref.js';
import { readAny } from '../src/sources/files/read-any.js';
import { filesSource } from '../src/sources/files/source.js';
import { bashHistory } from '../src/sources/shell-history/bash.js';
import { readEntries } from '../src/sources/shell-history/entries.js';
import type { Finding } from '../src/types.js';
import { gptConversation, gptJson, jsonl } from './helpers/chat-exports.js';
import { keyFor } from './helpers/keys.js';
import { scanned } from './helpers/scan.js';
import { tempDir, writeFiles } from './helpers/tmp.js';

const SESS = keyFor('session_45', 901);
const BODY = SESS.slice('sess-'.length);

const SPELLINGS: [string, string][] = [
  ['percent', `sess%2D${BODY}`],
  ['percent lower', `sess%2d${BODY}`],
  ['unicode', `sess\\u002d${BODY}`],
  ['html decimal', `sess&#45;${BODY}`],
  ['html hex', `sess&#x2d;${BODY}`],
  ['base64', Buffer.from(`SESSION_KEY=${SESS}\n`).toString('base64')],
];

async function scan(files: Record<string, string | Buffer>, path = Object.keys(files)[0]!): Promise<Finding[]> {
  const dir = tempDir();
  writeFiles(dir, files);
  const { findings } = await scanned(filesSource({ paths: [path], cwd: dir, env: process.env, ignoreRoot: dir }), new ScanContext());
  return findings;
}

describe('shell history', () => {
  for (const [name, spelled] of SPELLINGS) {
    it(`finds a ${name} session key in a bash history line`, async () => {
      const findings = await scan({ '.bash_history': `ls\necho hi\ncurl -d 'token=${spelled}' https://example.com\nls\n` });
      expect(findings.map((f) => [f.secret, f.location.line, f.kind])).toEqual([[SESS, 3, 'shell-history']]);
    });
  }
});

describe('shell history read in windows', () => {
  it('finds escaped session keys wherever the window boundaries fall', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => (i % 7 === 3 ? `curl -d 'token=${SPELLINGS[i % 5]![1]}'` : `echo line ${i}`));
    const buf = Buffer.from(`${lines.join('\n')}\n`);
    const ref: FileRef = {
      displayPath: 'h',
      size: buf.length,
      load: async () => buf,
      stream: () => Readable.from([buf.subarray(0, 700), buf.subarray(700, 1401), buf.subarray(1401)]),
    };
    const found: number[] = [];
    for await (const c of readEntries(ref, new ScanContext(), bashHistory, { windowBytes: 256 })) {
      for (const m of detect(c.text, { bytes: true })) if (m.secret === SESS) found.push(c.locate!(m.start).line);
    }
    expect(found).toEqual(lines.flatMap((l, i) => (l.startsWith('curl') ? [i + 1] : [])));
  });
});

describe('shell history database', () => {
  for (const [name, spelled] of SPELLINGS) {
    it(`finds a ${name} session key in an atuin row`, async () => {
      const dir = tempDir();
      const SQL = await initSqlJs();
      const db = new SQL.Database();
      db.run(`CREATE TABLE history (id text primary key, timestamp integer not null, duration integer not null, exit integer not null,
        command text not null, cwd text not null, session text not null, hostname text not null, deleted_at integer)`);
      db.run('INSERT INTO history VALUES (?,?,?,?,?,?,?,?,?)', ['a', 1, 1, 0, 'ls', '/', 's', 'h', null]);
      db.run('INSERT INTO history VALUES (?,?,?,?,?,?,?,?,?)', ['b', 2, 1, 0, `curl -d 'token=${spelled}' https://example.com`, '/w', 's', 'h', null]);
      writeFileSync(join(dir, 'history.db'), Buffer.from(db.export()));
      db.close();
      const { findings } = await scanned(filesSource({ paths: ['history.db'], cwd: dir, env: process.env, ignoreRoot: dir }), new ScanContext());
      expect(findings.map((f) => [f.secret, f.location.details?.table, f.location.details?.rowid])).toEqual([[SESS, 'history', 2]]);
    });
  }
});

describe('chat export', () => {
  for (const [name, spelled] of SPELLINGS) {
    it(`finds a ${name} session key in a conversations.json string value`, async () => {
      const conv = gptConversation('c1', 'tokens', [
        { id: 'root', parent: null },
        { id: 'u', parent: 'root', role: 'user', text: `here it is: ${spelled} thanks`, time: 1_700_000_000 },
      ]);
      // JSON.stringify would escape the backslash of `\u002d`: write the unicode spelling as JSON's own escape
      const json = gptJson([conv]).replace('sess\\\\u002d', 'sess\\u002d');
      const findings = await scan({ 'conversations.json': json });
      expect(findings.map((f) => [f.secret, f.kind])).toEqual([[SESS, 'chat-export']]);
    });
  }
});

describe('agent transcript', () => {
  for (const [name, spelled] of SPELLINGS) {
    it(`finds a ${name} session key in a Codex rollout line`, async () => {
      const rollout = jsonl([
        { timestamp: '2025-01-02T10:00:00.000Z', type: 'session_meta', payload: { id: 's-1', cwd: '/w' } },
        {
          timestamp: '2025-01-02T10:00:01.000Z',
          type: 'response_item',
          payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: `token ${spelled}` }] },
        },
      ]).replace('sess\\\\u002d', 'sess\\u002d');
      const findings = await scan({ 'rollout-2025-01-02T10-00-00-0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000.jsonl': rollout });
      expect(findings.map((f) => [f.secret, f.kind, f.location.line])).toEqual([[SESS, 'agent-transcript', 2]]);
    });
  }
});

describe('chat export: a string longer than the whole-string limit, streamed', () => {
  /** A conversations.json read in pieces of 64 bytes, claiming to be too large to hold whole: views end every 4 KB or so. */
  function streamed(content: Buffer): FileRef {
    const stream = () =>
      Readable.from(
        (function* () {
          for (let i = 0; i < content.length; i += 64) yield content.subarray(i, i + 64);
        })(),
      );
    return { displayPath: 'conversations.json', size: 64 << 20, stream, load: async () => content };
  }

  it('finds an escaped session key wherever a view boundary cuts it', async () => {
    const json = (text: string) => {
      const conv = gptConversation('c1', 'long', [
        { id: 'root', parent: null },
        { id: 'u', parent: 'root', role: 'user', text, time: 1_700_000_000 },
      ]);
      return gptJson([conv]).replace('sess\\\\u002d', 'sess\\u002d');
    };
    // views end every 4096 bytes (64-byte pieces): put the key across the first boundary at every offset
    const before = json('@@').indexOf('@@');
    const misses: string[] = [];
    for (const [name, spelled] of SPELLINGS.slice(0, 5)) {
      for (let cut = 2; cut < spelled.length; cut += 2) {
        const text = `${'x'.repeat(4096 - cut - before)}${spelled} ${'dolor sit '.repeat(800)}`;
        expect(json(text).indexOf(spelled)).toBe(4096 - cut);
        const ctx = new ScanContext(undefined, undefined, { view: 4096, wholeString: 1024, retainUnit: 2048 });
        const { findings } = await scanned((c) => readAny(streamed(Buffer.from(json(text))), c), ctx);
        if (findings.map((f) => f.secret).join() !== SESS) misses.push(`${name} cut ${cut}`);
      }
    }
    expect(misses).toEqual([]);
  });
});
