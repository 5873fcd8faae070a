// Exports as they arrive in real life: cut off, of an unknown layout, in broken or hostile zips,
// with duplicate ids, enormous messages, broken JSONL lines, invalid UTF-8 and byte-order marks.
// Nothing may be lost: what cannot be parsed is still scanned as bytes, and the report says why.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ScanContext } from '../src/scan/context.js';
import { scanned } from './helpers/scan.js';
import type { ChatLimits } from '../src/sources/chat/limits.js';
import type { FileRef } from '../src/sources/files/file-ref.js';
import { readAny } from '../src/sources/files/read-any.js';
import { gptConversation, gptJson } from './helpers/chat-exports.js';
import { keyFor } from './helpers/keys.js';
import { parseJson, runCli, tempDir, writeFiles } from './helpers/tmp.js';
import { makeZip } from './helpers/zip.js';

interface F {
  path: string;
  line: number;
  column: number;
  kind: string;
  secret?: string;
  details?: Record<string, string>;
  fields?: string[];
}
interface Report {
  findings: F[];
  summary: { errors: { path: string; message: string }[]; notes: string[] };
}

const K = (n: number) => keyFor('project_164', 700 + n);

function scan(cwd: string, args: string[]) {
  const r = runCli(['scan', '--format', 'json', '--show-secrets', ...args], { cwd });
  return { r, report: parseJson<Report>(r) };
}

const conv = (id: string, title: string, text: string) =>
  gptConversation(id, title, [
    { id: 'root', parent: null },
    { id: `${id}-u`, parent: 'root', role: 'user', text, time: 1_700_000_000 },
  ]);

/** A file read in-process, claiming to be larger than the whole-file limit so that it is streamed. */
function streamedRef(displayPath: string, content: Buffer, piece = 65536): FileRef {
  const stream = () =>
    Readable.from(
      (function* () {
        for (let i = 0; i < content.length; i += piece) yield content.subarray(i, i + piece);
      })(),
    );
  return { displayPath, size: 64 << 20, stream, load: async () => content };
}

async function scanRef(ref: FileRef, limits: Partial<ChatLimits> = {}) {
  const ctx = new ScanContext(undefined, undefined, limits);
  return scanned((c) => readAny(ref, c), ctx);
}

describe('bad input', () => {
  it('truncated conversations.json: keys before the cut are named, the cut is noted', () => {
    const dir = tempDir();
    const text = gptJson([conv('a', 'first', `one ${K(1)}`), conv('b', 'second', `two ${K(2)} and a long tail of text`)]);
    writeFiles(dir, { 'conversations.json': text.slice(0, text.indexOf(K(2)) + K(2).length + 5) });
    const { r, report } = scan(dir, ['conversations.json']);
    expect(r.code).toBe(1);
    expect(report.findings.map((f) => [f.secret === K(1) ? 1 : f.secret === K(2) ? 2 : 0, f.details?.conversation, f.details?.message])).toEqual([
      [1, '"first" (a)', '#1 user, 2023-11-14 22:13:20 UTC'],
      [2, '"second"', '#1 user, 2023-11-14 22:13:20 UTC'],
    ]);
    expect(report.summary.notes.join('\n')).toMatch(/conversations\.json line 1, column \d+: the file ends inside a string/);
  });

  it('an unknown layout falls back to JSON paths, and says so', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'conversations.json': JSON.stringify([{ thread: { posts: [{ body: `k ${K(3)}` }] } }]),
      'other/conversations.json': JSON.stringify({ data: { note: K(4) } }),
    });
    const { report } = scan(dir, ['.']);
    expect(report.findings.find((f) => f.secret === K(3))).toMatchObject({ kind: 'chat-export', details: { 'json path': '[0].thread.posts[0].body' } });
    expect(report.findings.find((f) => f.secret === K(4))).toMatchObject({ kind: 'chat-export', details: { 'json path': 'data.note' } });
    expect(report.summary.notes.filter((n) => /layout is not one keyguard knows .*reported by JSON path/.test(n))).toHaveLength(2);
  });

  it('a corrupt export zip is an error (exit 2); the files beside it are still scanned', () => {
    const dir = tempDir();
    const zip = makeZip([{ name: 'conversations.json', data: gptJson([conv('a', 't', K(5))]) }]);
    writeFileSync(join(dir, 'export.zip'), zip.subarray(0, zip.length - 40));
    writeFiles(dir, { 'conversations.json': gptJson([conv('b', 'ok', K(6))]) });
    const { r, report } = scan(dir, ['.']);
    expect(r.code).toBe(2);
    expect(report.summary.errors.map((e) => [e.path, e.message])).toEqual([['export.zip', expect.stringMatching(/corrupt or unreadable zip archive/)]]);
    expect(report.findings.map((f) => f.secret)).toEqual([K(6)]);
  });

  it('an encrypted export is reported as unreadable, not as clean', () => {
    const dir = tempDir();
    writeFiles(dir, { 'conversations.json': gptJson([conv('a', 't', K(7))]) });
    const haveZip = spawnSync('zip', ['-v']).status === 0;
    if (haveZip) execFileSync('zip', ['-q', '-P', 'secret', 'locked.zip', 'conversations.json'], { cwd: dir });
    else writeFileSync(join(dir, 'locked.zip'), makeZip([{ name: 'conversations.json', data: 'x'.repeat(100), encrypted: true }]));
    const { r, report } = scan(dir, ['locked.zip']);
    expect(r.code).toBe(2);
    expect(report.summary.errors).toEqual([{ path: 'locked.zip!conversations.json', message: 'encrypted zip member: cannot be read' }]);
    expect(report.findings).toEqual([]);
  });

  it('a zip bomb member is refused; the conversations next to it are read', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'export.zip'),
      makeZip([
        { name: 'dalle-generations/huge.dat', data: Buffer.alloc(40 << 20, 0x20) },
        { name: 'conversations.json', data: gptJson([conv('a', 'kept', K(8))]) },
      ]),
    );
    const { r, report } = scan(dir, ['export.zip']);
    expect(r.code).toBe(2);
    expect(report.summary.errors[0]!.message).toMatch(/zip bomb/);
    expect(report.findings.map((f) => [f.path, f.details?.conversation])).toEqual([['export.zip!conversations.json', '"kept" (a)']]);
  });

  it('duplicate conversation ids: each copy is its own finding, even for the same key', () => {
    const dir = tempDir();
    writeFiles(dir, { 'conversations.json': gptJson([conv('same', 'one', K(9)), conv('same', 'two', K(9))]) });
    const { report } = scan(dir, ['conversations.json']);
    expect(report.findings.map((f) => f.details?.conversation)).toEqual(['"one" (same)', '"two" (same) [copy 2 of this id in the file]']);
    expect(report.summary.notes.join()).toMatch(/conversation same appears more than once/);
  });

  it('a single message larger than the limits (streamed, parsed live, cut into slices) is still named', async () => {
    // the 100 MB message, scaled down: every limit lowered by the same factor
    const filler = 'lorem ipsum dolor sit amet '.repeat(120_000); // ~3.2 MB
    const text = `${filler}\nOPENAI_API_KEY=${K(10)}\n${filler}\n${K(11)}`;
    const before = conv('small', 'before', 'hello');
    const huge = conv('huge', 'the big one', text);
    const after = conv('after', 'after', `late ${K(12)}`);
    const bytes = Buffer.from(gptJson([before, huge, after]));
    const limits = { view: 64 << 10, wholeString: 256 << 10, retainUnit: 1 << 20 };
    const { findings, summary } = await scanRef(streamedRef('export.zip!conversations.json', bytes, 50_000), limits);
    expect(summary.errors).toEqual([]);
    const named = findings.map((f) => [
      f.secret === K(10) ? 10 : f.secret === K(11) ? 11 : f.secret === K(12) ? 12 : 0,
      f.location.details?.conversation,
      f.location.details?.field,
      f.location.column,
    ]);
    expect(named).toEqual([
      [10, '"the big one" (huge)', 'content.parts[0]', bytes.indexOf(K(10)) + 1],
      [11, '"the big one" (huge)', 'content.parts[0]', bytes.indexOf(K(11)) + 1],
      [12, '"after" (after)', 'content.parts[0]', bytes.indexOf(K(12)) + 1],
    ]);
  });

  it('a conversations.json over 32 MB is streamed by the CLI and every key is still named', () => {
    const dir = tempDir();
    const path = join(dir, 'conversations.json');
    const fd = openSync(path, 'w');
    const head = gptJson([conv('h', 'head', `early ${K(13)}`)]).slice(0, -1);
    writeSync(fd, head);
    const block = `, ${gptJson(conv('x', 'filler', 'words '.repeat(50_000)))}`;
    for (let i = 0; i < 120; i++) writeSync(fd, block);
    writeSync(fd, `, ${gptJson(conv('t', 'tail', `late ${K(14)}`))}]`);
    closeSync(fd);
    const { r, report } = scan(dir, ['conversations.json']);
    expect(r.code).toBe(1);
    expect(report.findings.map((f) => f.details?.conversation)).toEqual(['"head" (h)', '"tail" (t)']);
  });

  it('a JSONL file with broken lines: keys before the break keep their path, after it by position; noted; the rest named', () => {
    const home = tempDir();
    const good = (n: number, text: string) =>
      JSON.stringify({
        timestamp: `2025-01-0${n}T00:00:00Z`,
        type: 'response_item',
        payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
      });
    writeFiles(home, {
      'rollout-2025-01-01T00-00-00-x.jsonl': [
        good(1, 'hi'),
        `{"timestamp": "2025-01-02", "type": "response_item", "payload": {"type": "message", "text": "${K(15)}"`,
        `{"type": "response_item", oops ${K(22)} }`,
        good(3, `later ${K(16)}`),
      ].join('\n'),
    });
    const { r, report } = scan(home, ['.']);
    expect(r.code).toBe(1);
    const which = (f: F) => [15, 16, 22].find((n) => f.secret === K(n));
    expect(report.findings.map((f) => [which(f), f.line, f.details?.where ?? `${f.details?.record}: ${f.details?.field}`])).toEqual([
      [15, 2, 'response_item / message: payload.text'],
      [22, 3, 'line 3, which is not valid JSON'],
      [16, 4, 'response_item / message: payload.content[0].text'],
    ]);
    expect(report.summary.notes.join()).toMatch(
      /2 lines \(2, 3\) are not valid JSON; keys after the error on them are reported by position only, the other lines were read normally/,
    );
  });

  it('a JSONL line larger than the line limit is parsed as it streams', async () => {
    const big = JSON.stringify({ type: 'response_item', payload: { type: 'function_call_output', output: `${'x'.repeat(500_000)} ${K(17)}` } });
    const content = Buffer.from(
      `{"type": "session_meta", "payload": {"id": "s-1"}}\n${big}\n{"type": "event_msg", "payload": {"type": "user_message", "message": "${K(18)}"}}\n`,
    );
    const { findings } = await scanRef(streamedRef('rollout-2025-01-01T00-00-00-s.jsonl', content, 30_000), {
      jsonlLine: 100_000,
      view: 16 << 10,
      wholeString: 64 << 10,
    });
    expect(findings.map((f) => [f.location.line, f.location.details?.record, f.location.details?.field])).toEqual([
      [2, 'response_item / function_call_output', 'payload.output'],
      [3, 'event_msg / user_message', 'payload.message'],
    ]);
  });

  it('invalid UTF-8 and byte-order marks: keys found, columns counted as the engine counts them', () => {
    const dir = tempDir();
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const bad = Buffer.from([0xff, 0xc3, 0x28]);
    const convBytes = Buffer.concat([
      bom,
      Buffer.from('[{"title": "t'),
      bad,
      Buffer.from(`", "mapping": {"r": {"id": "r", "message": {"author": {"role": "user"}, "content": {"parts": ["`),
      bad,
      Buffer.from(` ${K(19)}"]}}, "parent": null, "children": []}}, "current_node": "r", "id": "x"}]`),
    ]);
    writeFileSync(join(dir, 'conversations.json'), convBytes);
    writeFileSync(
      join(dir, 'history.jsonl'),
      Buffer.concat([
        bom,
        Buffer.from(`{"display": "x", "pastedContents": {}, "sessionId": "s", "timestamp": 1, "note": "`),
        bad,
        Buffer.from(` ${K(20)}"}\n`),
      ]),
    );
    const { report } = scan(dir, ['.']);
    const f19 = report.findings.find((f) => f.secret === K(19))!;
    expect(f19.details).toMatchObject({ conversation: '"t\uFFFD\uFFFD(" (x)', message: '#1 user', field: 'content.parts[0]' });
    const at = convBytes.indexOf(K(19));
    expect(f19.column).toBe(convBytes.subarray(0, at).toString('utf8').length + 1);
    const f20 = report.findings.find((f) => f.secret === K(20))!;
    expect(f20.details).toMatchObject({ history: 'Claude Code prompts', field: 'note' });
    expect(report.summary.notes).toEqual([]);
  });

  it('a key split across read boundaries of a zip member stream is found once', async () => {
    const text = Buffer.from(gptJson([conv('a', 'split', `aaaa ${K(21)} bbbb`)]));
    const at = text.indexOf(K(21)) + 40;
    const ref = streamedRef('x.zip!conversations.json', text, at);
    const { findings } = await scanRef(ref, { view: 1 });
    expect(findings.map((f) => [f.secret, f.location.details?.conversation])).toEqual([[K(21), '"split" (a)']]);
  });
});
