// Histories too large to hold whole are read in line-aligned windows: the entries (and so the
// findings, lines and entry times) must be exactly those of a whole-file read, even for an entry
// that straddles a window boundary.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ScanContext } from '../src/scan/context.js';
import { detect } from '../src/engine/detect.js';
import type { FileRef } from '../src/sources/files/file-ref.js';
import { readEntries, type EntryFormat } from '../src/sources/shell-history/entries.js';
import { bashHistory } from '../src/sources/shell-history/bash.js';
import { zshHistory } from '../src/sources/shell-history/zsh.js';
import { fishHistory } from '../src/sources/shell-history/fish.js';
import type { Chunk } from '../src/types.js';
import { fakeKey, rng } from './helpers/keys.js';

function ref(buf: Buffer, piece = 333): FileRef {
  return {
    displayPath: 'h',
    size: buf.length,
    load: async () => buf,
    stream: () =>
      Readable.from(
        (function* () {
          for (let i = 0; i < buf.length; i += piece) yield buf.subarray(i, i + piece);
        })(),
      ),
  };
}

async function findingsOf(format: EntryFormat, buf: Buffer, opts: Parameters<typeof readEntries>[3] = {}): Promise<string[]> {
  const ctx = new ScanContext();
  const out: string[] = [];
  const chunks: Chunk[] = [];
  for await (const c of readEntries(ref(buf), ctx, format, opts)) chunks.push(c);
  for (const c of chunks) {
    for (const m of detect(c.text, { bytes: true })) {
      const at = c.locate!(m.start);
      out.push(`${m.secret.slice(0, 16)} ${at.line}:${at.column} ${JSON.stringify(c.origin.details ?? {})}`);
    }
  }
  expect(ctx.bytes).toBe(buf.length);
  return out;
}

function zshCorpus(entries: number, seed: number): { buf: Buffer; keys: number } {
  const next = rng(seed);
  const parts: string[] = [];
  let keys = 0;
  for (let i = 0; i < entries; i++) {
    const r = next();
    let cmd = `echo ${Math.floor(next() * 1e6)}`;
    if (r < 0.05) {
      cmd = `curl x \\\n  -H "Bearer ${fakeKey('project_164', next)}" \\\n  -d \x83\xa3`;
      keys++;
    } else if (r < 0.1) {
      cmd = `export K=${fakeKey('legacy_user_51', next)}`;
      keys++;
    } else if (r < 0.2) cmd += ' \\\n continued \\\n more';
    parts.push(`: ${1700000000 + i}:0;${cmd}\n`);
  }
  return { buf: Buffer.from(parts.join(''), 'latin1'), keys };
}

describe('windowed reading equals whole reading', () => {
  it.each([97, 256, 1000, 4096])('zsh, windows of %d bytes', async (windowBytes) => {
    const { buf, keys } = zshCorpus(600, 5);
    const whole = await findingsOf(zshHistory, buf);
    expect(whole).toHaveLength(keys);
    expect(await findingsOf(zshHistory, buf, { windowBytes })).toEqual(whole);
  });

  it('bash with #epoch markers, windows of 300 bytes', async () => {
    const next = rng(9);
    const lines: string[] = [];
    for (let i = 0; i < 400; i++)
      lines.push(
        `#${1700000000 + i}`,
        i % 7 === 0 ? `export K=${fakeKey('svcacct_167', next)}` : `ls ${i}`,
        ...(i % 11 === 0 ? ['second line of a lithist entry'] : []),
      );
    const buf = Buffer.from(`${lines.join('\n')}\n`);
    const whole = await findingsOf(bashHistory, buf);
    expect(whole.length).toBe(58);
    expect(await findingsOf(bashHistory, buf, { windowBytes: 300 })).toEqual(whole);
  });

  it('fish: the key sits on the cmd line, the time comes after it, across a boundary', async () => {
    const next = rng(3);
    const items: string[] = [];
    for (let i = 0; i < 300; i++) items.push(`- cmd: ${i % 5 === 0 ? `echo a\\nk=${fakeKey('admin_133', next)}` : `ls ${i}`}\n  when: ${1700000000 + i}\n`);
    const buf = Buffer.from(items.join(''));
    const whole = await findingsOf(fishHistory, buf);
    expect(whole).toHaveLength(60);
    expect(whole[0]).toMatch(/ 1:\d+ \{"entryLine":1,"time":"2023-11-14T22:13:20.000Z"\}$/);
    expect(await findingsOf(fishHistory, buf, { windowBytes: 211 })).toEqual(whole);
  });

  it('an entry larger than the carry limit is cut, not dropped', async () => {
    const next = rng(4);
    const key = fakeKey('project_164', next);
    const lines = [': 1700000000:0;start \\'];
    for (let i = 0; i < 200; i++) lines.push(i === 150 ? `${key} \\` : `line ${i} \\`);
    lines.push('end');
    const buf = Buffer.from(`${lines.join('\n')}\n`);
    const got = await findingsOf(zshHistory, buf, { windowBytes: 256, maxEntryBytes: 512 });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^sk-proj-\S+ 152:1 /);
  });
});
