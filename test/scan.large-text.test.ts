// A file past the whole-file limit is read in windows (text-reader.ts). On one long line of multi-byte
// text, every key must still be placed at its true column (UTF-16 units of the decoded line), however
// the windows fall: a window is never cut inside a UTF-8 sequence, and columns carry across windows.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from '../src/engine/detect.js';
import { locationOf } from '../src/scan/findings.js';
import { FAMILIES, keyFor, rng } from './helpers/keys.js';
import { textMatches } from './helpers/scan.js';
import { tempDir } from './helpers/tmp.js';

/** Each key found, with its line and column; and the bytes of text detection was given. */
async function placed(file: string, window: number, wholeFile = 1024, onDisk = false): Promise<{ keys: [string, number, number][]; textBytes: number }> {
  const { found, textBytes } = await textMatches(file, { limits: { wholeFile, window }, onDisk, piece: 777 });
  const keys = found.map(({ chunk, match }): [string, number, number] => {
    const at = locationOf(chunk, match);
    return [match.secret, at.line, at.column];
  });
  return { keys, textBytes };
}

describe('large text files, read in windows', () => {
  it('places keys on one long line of multi-byte text at their true columns, wherever the windows fall', async () => {
    const next = rng(41);
    // no ASCII punctuation or space for long stretches: cuts must find a character boundary
    const words = ['テスト', '日本語', 'café', 'über', '😀', 'ошибка', 'x', ' '];
    let text = '';
    const expected: [string, number, number][] = [];
    for (let k = 0; k < 12; k++) {
      for (let n = 200 + Math.floor(next() * 400); n > 0; n--) text += words[Math.floor(next() * words.length)]!;
      text += '"';
      const key = keyFor('project_164', 500 + k);
      expected.push([key, 1, text.length + 1]);
      text += `${key}"`;
    }
    text += '\nsecond line テスト ';
    const last = keyFor('svcacct_167', 9);
    expected.push([last, 2, 'second line テスト '.length + 1]);
    text += `${last}\n`;
    const file = join(tempDir(), 'bundle.min.js');
    writeFileSync(file, text);
    for (const window of [1000, 1024, 1500, 4096]) {
      for (const onDisk of [false, true])
        expect((await placed(file, window, 1024, onDisk)).keys, `windows of ${window} bytes, on disk: ${onDisk}`).toEqual(expected);
    }
  });

  it('detects only the lines around each trace, and finds there exactly what the whole text holds', async () => {
    const next = rng(43);
    const lines: string[] = [];
    const filler = () =>
      `  const value${lines.length} = compute(${Math.floor(next() * 1000)}, 'task-runner', "disk-usage"); // ${'x'.repeat(Math.floor(next() * 80))}`;
    for (let k = 0; k < 30; k++) {
      // (blank lines too: a newline right where a count starts)
      for (let n = Math.floor(next() * 300); n > 0; n--) lines.push(next() < 0.1 ? '' : filler());
      const key = keyFor(FAMILIES[k % FAMILIES.length]!, 600 + k);
      switch (k % 5) {
        case 0:
          lines.push(`OPENAI_API_KEY=${key}`);
          break;
        case 1: {
          // split across lines by concatenation
          const cut = Math.floor(key.length / 3);
          lines.push(`const k = "${key.slice(0, cut)}" +`, `  "${key.slice(cut, 2 * cut)}" +`, `  "${key.slice(2 * cut)}";`);
          break;
        }
        case 2:
          lines.push(`token: ${Buffer.from(`{"api_key":"${key}"}`).toString('base64')}`);
          break;
        case 3:
          lines.push(`{"k":"${key.replace('-', '\\u002d')}"}`);
          break;
        default:
          lines.push(`curl -H 'Authorization: Bearer ${key}' https://api.openai.com/v1/models # é テスト`);
      }
    }
    const text = `${lines.join('\n')}\n`;
    const file = join(tempDir(), 'app.log');
    writeFileSync(file, text);
    const expected = detect(Buffer.from(text).toString('latin1'), { bytes: true }).map((m) => [m.secret, m.line, m.column]);
    expect(expected.length).toBeGreaterThanOrEqual(30);
    // whole (one buffer) and in windows of several sizes
    for (const [window, wholeFile] of [
      [1 << 20, 1 << 30],
      [8192, 1024],
      [50_000, 1024],
    ] as const) {
      for (const onDisk of [false, true]) {
        const { keys, textBytes } = await placed(file, window, wholeFile, onDisk);
        expect(keys, `windows of ${window}, on disk: ${onDisk}`).toEqual(expected);
        expect(textBytes).toBeLessThan(text.length / 2);
      }
    }
  });
});
