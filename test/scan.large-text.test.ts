// A file past the whole-file limit is read in windows (text-reader.ts). On one long line of multi-byte
// text, every key must still be placed at its true column (UTF-16 units of the decoded line), however
// the windows fall: a window is never cut inside a UTF-8 sequence, and columns carry across windows.
import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from '../src/engine/detect.js';
import { locationOf } from '../src/scan/findings.js';
import { ScanContext } from '../src/scan/context.js';
import type { FileRef } from '../src/sources/files/file-ref.js';
import { TEXT_LIMITS, readText } from '../src/sources/files/text-reader.js';
import { keyFor, rng } from './helpers/keys.js';
import { tempDir } from './helpers/tmp.js';

async function placed(file: string, window: number): Promise<[string, number, number][]> {
  const saved = { ...TEXT_LIMITS };
  Object.assign(TEXT_LIMITS, { wholeFile: 1024, window });
  try {
    const ref: FileRef = {
      displayPath: 'bundle.min.js',
      size: statSync(file).size,
      load: async () => readFileSync(file),
      stream: () => createReadStream(file, { highWaterMark: 777 }),
    };
    const out: [string, number, number][] = [];
    for await (const chunk of readText(ref, new ScanContext())) {
      for (const m of detect(chunk.text, { bytes: true })) {
        const at = locationOf(chunk, m);
        out.push([m.secret, at.line, at.column]);
      }
    }
    return out;
  } finally {
    Object.assign(TEXT_LIMITS, saved);
  }
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
    for (const window of [1000, 1024, 1500, 4096]) expect(await placed(file, window), `windows of ${window} bytes`).toEqual(expected);
  });
});
