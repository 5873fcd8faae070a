// UTF-16 files too large to hold are scanned in windows, like Latin-1 text: every key found once, at
// its line and column, wherever the windows are cut (odd bytes, surrogate pairs, keys across cuts).
import { openSync, closeSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFor } from './helpers/keys.js';
import { gitEnv, parseJson, runCli, tempDir } from './helpers/tmp.js';

describe('large UTF-16 files', () => {
  it('a 40 MiB UTF-16 file (LE and BE): every key found at its line and column', () => {
    const dir = tempDir();
    const keys = [keyFor('project_164', 31), keyFor('svcacct_167', 32)];
    const lines: string[] = [];
    const expected: { line: number; column: number }[] = [];
    // lines of varied length so keys fall across the 16 MiB window cuts at different offsets
    for (let i = 0, length = 0; length < 20 * 1024 * 1024; i++, length += lines[lines.length - 1]!.length + 2) {
      if (i % 4001 === 7) {
        const prefix = `😀 ${'p'.repeat(i % 13)}key=`;
        lines.push(`${prefix}${keys[i % 2]}`);
        expected.push({ line: i + 1, column: prefix.length + 1 });
      } else {
        lines.push(`${'x'.repeat(40 + (i % 97))} ünïcode ${i}`);
      }
    }
    const text = lines.join('\r\n');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    writeFileSync(join(dir, 'le.txt'), le);
    writeFileSync(join(dir, 'be.txt'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
    expect(le.length).toBeGreaterThan(40 * 1024 * 1024);
    for (const name of ['le.txt', 'be.txt']) {
      const r = runCli(['scan', '--format', 'json', name], { cwd: dir, env: gitEnv({ HOME: dir, OPENAI_API_KEY: '', CODEX_API_KEY: '' }) });
      expect(r.code, r.stderr).toBe(1);
      const found = parseJson<{ findings: { line: number; column: number }[] }>(r).findings.map((f) => ({ line: f.line, column: f.column }));
      expect(found).toEqual(expected);
    }
  });

  it('a UTF-16 file larger than any JavaScript string (1.1 GB, sparse): read in windows, the key at its end found', () => {
    const dir = tempDir();
    const key = keyFor('project_164', 33);
    const path = join(dir, 'big.txt');
    const fd = openSync(path, 'w');
    writeSync(fd, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('header\r\n', 'utf16le')]));
    // the hole reads as NUL code units: 1.1 GB of text the old reader had to decode in one string
    const tail = Buffer.from(`\r\nlast line key=${key}\r\n`, 'utf16le');
    writeSync(fd, tail, 0, tail.length, 1_100_000_000);
    closeSync(fd);
    const r = runCli(['scan', '--format', 'json', 'big.txt'], { cwd: dir, env: gitEnv({ HOME: dir, OPENAI_API_KEY: '', CODEX_API_KEY: '' }) });
    expect(r.code, r.stderr).toBe(1);
    const found = parseJson<{ findings: { line: number; column: number }[] }>(r).findings;
    expect(found.map((f) => [f.line, f.column])).toEqual([[3, 'last line key='.length + 1]]);
  });
});
