// A key in a history database whose older copies (a row rewritten, a row deleted, a frame of the WAL
// superseded) survive in free space: one finding, at the row, with a note that a copy is also in free
// pages. A copy cut short (any part of the key) is that key, not an "unrecognised shape" of its own.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs, { type Database } from 'sql.js';
import { describe, expect, it } from 'vitest';
import { detect } from '../src/engine/detect.js';
import { ScanContext } from '../src/scan/context.js';
import { freeRanges } from '../src/sources/shell-history/free-space.js';
import { filesSource } from '../src/sources/files/source.js';
import type { Finding } from '../src/types.js';
import { keyFor, MARKER, rng } from './helpers/keys.js';
import { scanned } from './helpers/scan.js';
import { parseJson, runCli, tempDir } from './helpers/tmp.js';

const ATUIN = `CREATE TABLE history (id text primary key, timestamp integer not null, duration integer not null, exit integer not null,
  command text not null, cwd text not null, session text not null, hostname text not null, deleted_at integer)`;
const INSERT = 'INSERT INTO history VALUES (?,?,?,?,?,?,?,?,?)';

const KEY = keyFor('project_164', 1101);
const OTHER = keyFor('svcacct_167', 1102);
/** the key cut 30 characters into its right half: alone, an "unrecognised shape" */
const CUT = KEY.slice(0, KEY.indexOf(MARKER) + MARKER.length + 30);
/** a key with `sk-` inside its left half, and a copy of it cut on both sides that starts there */
const INNER = `${KEY.slice(0, 30)}sk-${KEY.slice(33)}`;
const MIDDLE = INNER.slice(30, INNER.indexOf(MARKER) + MARKER.length + 30);

const HAS_SQLITE3 = spawnSync('sqlite3', ['-version']).status === 0;

async function makeDb(dir: string, build: (db: Database) => void): Promise<string> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run('PRAGMA secure_delete = OFF');
  db.run(ATUIN);
  build(db);
  const path = join(dir, 'history.db');
  writeFileSync(path, Buffer.from(db.export()));
  db.close();
  return path;
}

async function findingsIn(dir: string, name = 'history.db'): Promise<Finding[]> {
  const { findings } = await scanned(filesSource({ paths: [name], cwd: dir, env: process.env, ignoreRoot: dir }), new ScanContext());
  return findings;
}

const summary = (findings: Finding[]) => findings.map((f) => [f.secret, f.family, f.location.details?.rowid ?? null, f.location.details?.alsoIn ?? null]);

function count(buf: Buffer, text: string): number {
  let n = 0;
  for (let i = buf.indexOf(text, 0, 'latin1'); i >= 0; i = buf.indexOf(text, i + 1, 'latin1')) n++;
  return n;
}

describe('copies of a row key in free pages', () => {
  it('the fixtures: the cut copies are keys of their own to the engine', () => {
    expect(detect(`echo ${CUT}`).map((m) => [m.secret, m.family])).toEqual([[CUT, 'unrecognised']]);
    expect(detect(`echo ${INNER}`).map((m) => [m.secret, m.family])).toEqual([[INNER, 'project_164']]);
    expect(detect(`echo ${MIDDLE}`).map((m) => [m.secret, m.family])).toEqual([[MIDDLE, 'unrecognised']]);
    expect(INNER.startsWith(MIDDLE)).toBe(false);
  });

  it('a row rewritten in place of a longer one: its old text stays whole in a freed cell, said on the one finding', async () => {
    const dir = tempDir();
    const path = await makeDb(dir, (db) => {
      db.run(INSERT, ['a', 1, 1, 0, `export OPENAI_API_KEY=${KEY}`, '/w', 's', 'h', null]);
      db.run(INSERT, ['pad', 2, 1, 0, 'x'.repeat(3000), '/', 's', 'h', null]);
      db.run(`UPDATE history SET command = ? WHERE id = 'a'`, [`export OPENAI_API_KEY=${KEY} && echo "set, now test it with a longer line"`]);
    });
    expect(count(readFileSync(path), KEY)).toBe(2);
    expect(summary(await findingsIn(dir))).toEqual([[KEY, 'project_164', 1, 'free pages']]);
  });

  it('a deleted row holding the key cut short: no second finding, the note instead', async () => {
    const dir = tempDir();
    const path = await makeDb(dir, (db) => {
      db.run(INSERT, ['old', 1, 1, 0, `export OPENAI_API_KEY=${CUT}`, '/', 's', 'h', null]);
      db.run(INSERT, ['live', 2, 1, 0, `export OPENAI_API_KEY=${KEY}`, '/', 's', 'h', null]);
      db.run(INSERT, ['pad', 3, 1, 0, 'x'.repeat(3000), '/', 's', 'h', null]);
      db.run(`DELETE FROM history WHERE id = 'old'`);
    });
    expect(readFileSync(path).includes(CUT)).toBe(true);
    expect(summary(await findingsIn(dir))).toEqual([[KEY, 'project_164', 2, 'free pages']]);
  });

  it('a copy cut on both sides (not the start of the key) folds too', async () => {
    const dir = tempDir();
    await makeDb(dir, (db) => {
      db.run(INSERT, ['old', 1, 1, 0, `echo ${MIDDLE}`, '/', 's', 'h', null]);
      db.run(INSERT, ['live', 2, 1, 0, `export OPENAI_API_KEY=${INNER}`, '/', 's', 'h', null]);
      db.run(INSERT, ['pad', 3, 1, 0, 'x'.repeat(3000), '/', 's', 'h', null]);
      db.run(`DELETE FROM history WHERE id = 'old'`);
    });
    expect(summary(await findingsIn(dir))).toEqual([[INNER, 'project_164', 2, 'free pages']]);
  });

  it('no note where the other copy is live: an index entry', async () => {
    const dir = tempDir();
    const path = await makeDb(dir, (db) => {
      db.run('CREATE INDEX idx_command ON history(command)');
      db.run(INSERT, ['a', 1, 1, 0, `export OPENAI_API_KEY=${KEY}`, '/', 's', 'h', null]);
    });
    expect(count(readFileSync(path), KEY)).toBe(2);
    expect(summary(await findingsIn(dir))).toEqual([[KEY, 'project_164', 1, null]]);
  });

  it('no note where the cut copy is the row itself, split between its page and an overflow page', async () => {
    const build = async (pre: number): Promise<Buffer> => {
      const dir = tempDir();
      const path = await makeDb(dir, (db) => db.run(INSERT, ['a', 1, 1, 0, `${'y'.repeat(pre)} ${KEY} ${'z'.repeat(4000)}`, '/', 's', 'h', null]));
      return readFileSync(path);
    };
    const localPart = (raw: Buffer): number => {
      let p = KEY.length;
      while (p > 0 && !raw.includes(KEY.slice(0, p))) p--;
      return p;
    };
    // move the key so that the page boundary cuts it just past the end of CUT
    const first = localPart(await build(400));
    expect(first).toBeLessThan(KEY.length);
    const pre = 400 + first - (CUT.length + 5);
    const raw = await build(pre);
    expect([raw.includes(KEY), localPart(raw)]).toEqual([false, CUT.length + 5]);
    const dir = tempDir();
    writeFileSync(join(dir, 'history.db'), raw);
    expect(summary(await findingsIn(dir))).toEqual([[KEY, 'project_164', 1, null]]);
  });

  it('a key only in free space is its own finding; another key is not folded into it', async () => {
    const dir = tempDir();
    await makeDb(dir, (db) => {
      db.run(INSERT, ['gone', 1, 1, 0, `export K=${OTHER}`, '/', 's', 'h', null]);
      db.run(INSERT, ['live', 2, 1, 0, `export OPENAI_API_KEY=${KEY}`, '/', 's', 'h', null]);
      db.run(INSERT, ['pad', 3, 1, 0, 'x'.repeat(3000), '/', 's', 'h', null]);
      db.run(`DELETE FROM history WHERE id = 'gone'`);
    });
    const findings = await findingsIn(dir);
    expect(summary(findings)).toEqual([
      [KEY, 'project_164', 2, null],
      [OTHER, 'svcacct_167', null, null],
    ]);
    expect(findings[1]!.location.details).toEqual({ table: 'free pages or old WAL frames (a deleted row)', deleted: true });
  });

  it.skipIf(!HAS_SQLITE3)('a superseded WAL frame holding the row before it was rewritten: also in old WAL frames', async () => {
    const dir = tempDir();
    const sql = [
      'PRAGMA journal_mode=WAL;',
      'PRAGMA wal_autocheckpoint=0;',
      `${ATUIN.replace(/\n/g, ' ')};`,
      `INSERT INTO history VALUES ('a', 1, 1, 0, 'export OPENAI_API_KEY=${KEY}', '/w', 's', 'h', NULL);`,
      `UPDATE history SET deleted_at = 5 WHERE id = 'a';`,
      '.shell cp live.db history.db && cp live.db-wal history.db-wal',
    ].join('\n');
    const r = spawnSync('sqlite3', ['live.db'], { cwd: dir, input: sql, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(count(readFileSync(join(dir, 'history.db-wal')), KEY)).toBeGreaterThanOrEqual(2);
    const findings = await findingsIn(dir);
    // the rewritten page may keep the old cell in its free space too: the WAL frame is what this asserts
    expect(summary(findings).map((r) => r.slice(0, 3))).toEqual([[KEY, 'project_164', 1]]);
    expect(findings[0]!.location.details?.alsoIn).toMatch(/old WAL frames/);
    expect(findings[0]!.location.details?.deleted).toBe(true);
  });
});

describe('free ranges of a corrupt file', () => {
  it('pointers past the end, looping chains: no throw, ranges inside the file', () => {
    const next = rng(1201);
    for (let n = 0; n < 200; n++) {
      const db = Buffer.alloc(4096 * (1 + Math.floor(next() * 4)));
      for (let i = 0; i < db.length; i++) db[i] = Math.floor(next() * 256);
      db.write('SQLite format 3\0', 0, 'latin1');
      db.writeUInt16BE(4096, 16);
      // b-tree page types, so that the page walk reads their headers
      for (let p = 0; p < db.length; p += 4096) db[p === 0 ? 100 : p] = [2, 5, 10, 13][Math.floor(next() * 4)]!;
      for (const [a, b] of freeRanges(db)) expect(0 <= a && a <= b && b <= db.length).toBe(true);
    }
  });
});

describe('the reports', () => {
  it('text and JSON show the note on the one finding', async () => {
    const dir = tempDir();
    await makeDb(dir, (db) => {
      db.run(INSERT, ['old', 1, 1, 0, `export OPENAI_API_KEY=${CUT}`, '/', 's', 'h', null]);
      db.run(INSERT, ['live', 2, 1, 0, `export OPENAI_API_KEY=${KEY}`, '/', 's', 'h', null]);
      db.run(INSERT, ['pad', 3, 1, 0, 'x'.repeat(3000), '/', 's', 'h', null]);
      db.run(`DELETE FROM history WHERE id = 'old'`);
    });
    const text = runCli(['scan', '--no-color', 'history.db'], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('      also in: free pages\n');
    expect(text.stdout.match(/✗/g)).toHaveLength(1);
    const json = runCli(['scan', '--format', 'json', 'history.db'], { cwd: dir });
    const report = parseJson<{ findings: { family: string; details: Record<string, unknown> }[] }>(json);
    expect(report.findings.map((f) => [f.family, f.details.alsoIn])).toEqual([['project_164', 'free pages']]);
  });
});
