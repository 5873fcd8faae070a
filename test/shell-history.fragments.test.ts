// A raw-bytes pass over an SQLite history sees copies of keys cut short (a row rewritten, a page
// reused): the start of a key already found in the same file is that key, not a second finding.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { detect } from '../src/engine/detect.js';
import { fragmentOf } from '../src/engine/fragments.js';
import { ScanContext } from '../src/scan/context.js';
import { filesSource } from '../src/sources/files/source.js';
import { keyFor } from './helpers/keys.js';
import { scanned } from './helpers/scan.js';
import { tempDir } from './helpers/tmp.js';

const ATUIN = `CREATE TABLE history (id text primary key, timestamp integer not null, duration integer not null, exit integer not null,
  command text not null, cwd text not null, session text not null, hostname text not null, deleted_at integer)`;

const KEY = keyFor('project_164', 91);
const OTHER = keyFor('svcacct_167', 92);
/** the key cut after 30 characters of its right half: on its own, an "unrecognised shape" */
const CUT = KEY.slice(0, KEY.indexOf('T3BlbkFJ') + 8 + 30);

async function historyWith(rows: Array<[string, string]>, deleted: string[]): Promise<string> {
  const dir = tempDir();
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run('PRAGMA secure_delete = OFF');
  db.run(ATUIN);
  rows.forEach(([id, command], i) => db.run('INSERT INTO history VALUES (?,?,?,?,?,?,?,?,?)', [id, i + 1, 1, 0, command, '/', 's', 'h', null]));
  db.run(`INSERT INTO history VALUES ('pad', 99, 1, 0, ?, '/', 's', 'h', null)`, ['x'.repeat(5000)]);
  for (const id of deleted) db.run('DELETE FROM history WHERE id = ?', [id]);
  writeFileSync(join(dir, 'history.db'), Buffer.from(db.export()));
  db.close();
  return dir;
}

async function findingsIn(dir: string) {
  const { findings } = await scanned(filesSource({ paths: ['history.db'], cwd: dir, env: process.env, ignoreRoot: dir }), new ScanContext());
  return findings.map((f) => [f.secret, f.family, f.location.details?.deleted]);
}

describe('fragments of keys in SQLite free space', () => {
  it('the cut copy is on its own reported as a key (what the raw pass used to report as a second finding)', () => {
    const found = detect(`export K=${CUT}`);
    expect(found).toHaveLength(1);
    expect(KEY.startsWith(found[0]!.secret) && found[0]!.secret !== KEY).toBe(true);
  });

  it('a deleted row holding the start of a key a live row holds folds into that key', async () => {
    const dir = await historyWith(
      [
        ['old', `export OPENAI_API_KEY=${CUT}`],
        ['live', `export OPENAI_API_KEY=${KEY}`],
      ],
      ['old'],
    );
    expect(readFileSync(join(dir, 'history.db')).includes(CUT)).toBe(true);
    expect(await findingsIn(dir)).toEqual([[KEY, 'project_164', false]]);
  });

  it('the start of a key that is itself only in free space folds too', async () => {
    const dir = await historyWith(
      [
        ['a', `echo ${CUT}`],
        ['b', `export OPENAI_API_KEY=${KEY}`],
      ],
      ['a', 'b'],
    );
    expect(await findingsIn(dir)).toEqual([[KEY, 'project_164', true]]);
  });

  it('a deleted key that is not the start of another is still its own finding', async () => {
    const dir = await historyWith(
      [
        ['old', `export K=${OTHER}`],
        ['live', `export OPENAI_API_KEY=${KEY}`],
      ],
      ['old'],
    );
    expect(await findingsIn(dir)).toEqual([
      [KEY, 'project_164', false],
      [OTHER, 'svcacct_167', true],
    ]);
  });

  it('fragmentOf names the longest key a text starts, and nothing for a whole key or another text', () => {
    expect(fragmentOf(CUT, [OTHER, KEY])).toBe(KEY);
    expect(fragmentOf(KEY, [KEY, OTHER])).toBeUndefined();
    expect(fragmentOf(CUT.slice(1), [KEY])).toBeUndefined();
  });
});
