// The WebAssembly SIMD pass (src/engine/needle-scan.ts; wasm-modules.test.ts checks its assembly): it
// runs on this Node, and it finds every needle wherever it stands, across the windows a long buffer is
// searched in, never past the end. prefilter.test.ts checks it against one
// native search per needle on random bytes.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { NeedleScan } from '../src/engine/needle-scan.js';
import { needlesFor } from '../src/engine/prefilter.js';
import { keyFor } from './helpers/keys.js';
import { CLI, gitEnv, tempDir, writeFiles } from './helpers/tmp.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const WINDOW = 4 * 1024 * 1024;

describe('the SIMD needle scan', () => {
  it('runs on this Node, and refuses needles it cannot take', () => {
    expect(NeedleScan.of([bytes('abc')])).toBeDefined();
    expect(NeedleScan.of([bytes('ab')])).toBeUndefined();
    expect(NeedleScan.of([bytes('a\0c')])).toBeUndefined();
    expect(NeedleScan.of([])).toBeUndefined();
  });

  it('finds each needle at the start, the end, and across every window edge of a long buffer', () => {
    const needles = needlesFor()
      .filter((n) => n !== 'sess-')
      .map(bytes);
    const scan = NeedleScan.of(needles)!;
    const long = Buffer.alloc(2 * WINDOW + 100, 'x');
    for (const n of needles) {
      for (const at of [0, WINDOW - n.length, WINDOW - 2, WINDOW - 1, WINDOW, 2 * WINDOW - 1, long.length - n.length]) {
        const d = Buffer.from(long);
        d.set(n, at);
        expect(scan.indexIn(d), `${Buffer.from(n).toString()} at ${at}`).toBe(at);
      }
      // cut short by the end of the buffer: not found, and nothing past the end is read as a match
      const cut = Buffer.from(long.subarray(0, WINDOW + 5));
      cut.set(n.subarray(0, n.length - 1), cut.length - (n.length - 1));
      expect(scan.indexIn(cut)).toBe(-1);
    }
  });

  it('lists every place a needle starts, from any offset, across window edges, each place once', () => {
    const scan = NeedleScan.of([bytes('T3BlbkFJ'), bytes('T3Bl'), bytes('sk-')])!;
    const long = Buffer.alloc(2 * WINDOW + 100, 'x');
    const places = [0, 100, WINDOW - 12, WINDOW - 1, WINDOW + 7, 2 * WINDOW - 2, long.length - 8];
    for (const at of places) long.write(at === WINDOW - 1 || at === 2 * WINDOW - 2 ? 'sk-' : 'T3BlbkFJ', at, 'latin1');
    expect(scan.offsetsIn(long)).toEqual(places);
    expect(scan.offsetsIn(long, 101)).toEqual(places.slice(2));
    expect(scan.offsetsIn(long, WINDOW + 7)).toEqual(places.slice(4));
    expect(scan.offsetsIn(long, WINDOW + 8)).toEqual(places.slice(5));
    expect(scan.offsetsIn(long, 0, (_at, n) => n.length > 3)).toEqual(places.filter((p) => p !== WINDOW - 1 && p !== 2 * WINDOW - 2));
    // in place, in the read area, from an offset
    long.copy(scan.readArea(), 0, 0, 1000);
    expect(scan.offsetsIn(scan.readArea().subarray(0, 1000), 50)).toEqual([100]);
  });

  it('leaves no trace of one buffer for the next: a shorter buffer after a longer one', () => {
    const scan = NeedleScan.of([bytes('T3BlbkFJ')])!;
    expect(scan.indexIn(bytes('....T3BlbkFJ....'))).toBe(4);
    expect(scan.indexIn(bytes('....T3Bl'))).toBe(-1);
    expect(scan.indexIn(bytes(''))).toBe(-1);
  });

  it('searches input read into its read area in place, as it searches a copy, up to a whole window', () => {
    const needle = bytes('T3BlbkFJ');
    const scan = NeedleScan.of([needle, bytes('sk-')])!;
    const area = scan.readArea();
    expect(area.length).toBe(WINDOW);
    for (const [length, at] of [
      [20, 5],
      [WINDOW, WINDOW - needle.length],
      [WINDOW, 0],
      [1000, 1000 - needle.length + 1],
    ] as const) {
      const d = Buffer.alloc(length, 'x');
      if (at + needle.length <= length) d.set(needle, at);
      else d.set(needle.subarray(0, length - at), at);
      const expected = scan.indexIn(Buffer.from(d));
      // a long buffer searched before leaves the area full of other bytes: only `length` of them count
      scan.readArea().fill('T'.charCodeAt(0));
      d.copy(scan.readArea());
      expect(scan.indexIn(scan.readArea().subarray(0, length)), `${length} bytes, needle at ${at}`).toBe(expected);
    }
    // a search of other input after it (copied into the same memory) is right, and so is the next read
    expect(scan.indexIn(bytes('..sk-..'))).toBe(2);
    scan.readArea().write('..T3BlbkFJ', 'latin1');
    expect(scan.indexIn(scan.readArea().subarray(0, 10))).toBe(2);
    expect(scan.indexIn(scan.readArea().subarray(0, 9))).toBe(-1);
  });

  it('asks the caller about each needle found, and goes on when told no', () => {
    const scan = NeedleScan.of([bytes('sk-'), bytes('T3BlbkFJ')])!;
    const d = bytes('sk-one sk-two T3BlbkFJ');
    const seen: number[] = [];
    expect(
      scan.indexIn(d, (at, n) => {
        seen.push(at);
        return n.length > 3;
      }),
    ).toBe(14);
    expect(seen).toEqual([0, 7, 14]);
  });

  it('a scan without WebAssembly (node --jitless) reports exactly the same', () => {
    const dir = tempDir('kg-jitless-');
    writeFiles(dir, {
      'a.env': `OPENAI_API_KEY=${keyFor('project_164', 1)}\n`,
      'b.js': `const k = "${keyFor('svcacct_167', 2).slice(0, 60)}" +\n  "${keyFor('svcacct_167', 2).slice(60)}";\n`,
      'c.txt': 'nothing here\n'.repeat(50),
    });
    const run = (flags: string[]) => {
      const r = spawnSync(process.execPath, [...flags, CLI, 'scan', '--format', 'json', '.'], {
        cwd: dir,
        env: gitEnv({ HOME: dir, OPENAI_API_KEY: '' }),
        encoding: 'utf8',
      });
      const report = JSON.parse(r.stdout) as { findings: unknown[]; summary: Record<string, unknown> };
      delete report.summary.durationMs;
      return { code: r.status, report };
    };
    const simd = run([]);
    expect(simd.code).toBe(1);
    expect(simd.report.findings).toHaveLength(2);
    expect(run(['--jitless'])).toEqual(simd);
  });
});
