// History databases (atuin, nushell, McFly, IPython): rows read through SQLite from a copy, the WAL
// applied, deleted rows found in free pages, corrupt and locked files handled.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs, { type Database } from 'sql.js';
import { describe, expect, it } from 'vitest';
import { ScanContext } from '../src/scan/context.js';
import { scanned } from './helpers/scan.js';
import { filesSource } from '../src/sources/files/source.js';
import type { Finding } from '../src/types.js';
import { keyFor } from './helpers/keys.js';
import { tempDir } from './helpers/tmp.js';

const K1 = keyFor('project_164', 71);
const K2 = keyFor('admin_133', 72);
const HAS_PYTHON_SQLITE = spawnSync('python3', ['-c', 'import sqlite3']).status === 0;

async function makeDb(path: string, build: (db: Database) => void): Promise<void> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  build(db);
  writeFileSync(path, Buffer.from(db.export()));
  db.close();
}

async function scanDb(dir: string, name: string): Promise<{ findings: Finding[]; errors: string[] }> {
  const { findings, summary } = await scanned(filesSource({ paths: [name], cwd: dir, env: process.env, ignoreRoot: dir }), new ScanContext());
  return { findings, errors: summary.errors.map((e) => e.message) };
}

const ATUIN = `CREATE TABLE history (id text primary key, timestamp integer not null, duration integer not null, exit integer not null,
  command text not null, cwd text not null, session text not null, hostname text not null, deleted_at integer)`;

describe('atuin', () => {
  it('table, row id, column, time (ns), cwd, host, and soft-deleted rows flagged', async () => {
    const dir = tempDir();
    await makeDb(join(dir, 'history.db'), (db) => {
      db.run(ATUIN);
      db.run('INSERT INTO history VALUES (?,?,?,?,?,?,?,?,?)', ['0190a', 1700000000123456789, 1, 0, 'ls -la', '/home/u', 's', 'box:u', null]);
      db.run('INSERT INTO history VALUES (?,?,?,?,?,?,?,?,?)', [
        '0190b',
        1700000001000000000,
        1,
        0,
        `export OPENAI_API_KEY=${K1}`,
        '/home/u/app',
        's1',
        'box:u',
        null,
      ]);
      db.run('INSERT INTO history VALUES (?,?,?,?,?,?,?,?,?)', [
        '0190c',
        1700000002000000000,
        1,
        0,
        `curl -H "Authorization: Bearer ${K2}"`,
        '/tmp',
        's1',
        'box:u',
        1700000003000000000,
      ]);
    });
    const { findings, errors } = await scanDb(dir, 'history.db');
    expect(errors).toEqual([]);
    expect(findings.map((f) => [f.secret, f.kind, f.location.line, f.location.column, f.location.details])).toEqual([
      [
        K1,
        'shell-history',
        1,
        23,
        {
          table: 'history',
          rowid: 2,
          id: '0190b',
          cwd: '/home/u/app',
          host: 'box:u',
          session: 's1',
          time: '2023-11-14T22:13:21.000Z',
          deleted: false,
          column: 'command',
        },
      ],
      [
        K2,
        'shell-history',
        1,
        32,
        {
          table: 'history',
          rowid: 3,
          id: '0190c',
          cwd: '/tmp',
          host: 'box:u',
          session: 's1',
          time: '2023-11-14T22:13:22.000Z',
          deleted: true,
          column: 'command',
        },
      ],
    ]);
  });

  it('a deleted row whose text survives in a free page is still found, and said to be deleted', async () => {
    const dir = tempDir();
    await makeDb(join(dir, 'history.db'), (db) => {
      db.run('PRAGMA secure_delete = OFF');
      db.run(ATUIN);
      db.run('INSERT INTO history VALUES (?,?,?,?,?,?,?,?,?)', ['a', 1, 1, 0, `export OPENAI_API_KEY=${K1}`, '/', 's', 'h', null]);
      db.run(`INSERT INTO history VALUES ('b', 2, 1, 0, ?, '/', 's', 'h', null)`, ['x'.repeat(5000)]);
      db.run(`DELETE FROM history WHERE id = 'a'`);
    });
    expect(readFileSync(join(dir, 'history.db')).includes(K1)).toBe(true);
    const { findings } = await scanDb(dir, 'history.db');
    expect(findings.map((f) => [f.secret, f.location.details])).toEqual([[K1, { table: 'free pages or old WAL frames (a deleted row)', deleted: true }]]);
  });
});

describe('nushell, McFly, IPython', () => {
  it('nushell history.sqlite3: start_timestamp in ms, cwd, host', async () => {
    const dir = tempDir();
    await makeDb(join(dir, 'history.sqlite3'), (db) => {
      db.run(
        'CREATE TABLE history (id integer primary key autoincrement, command_line text not null, start_timestamp integer, session_id integer, hostname text, cwd text, duration_ms integer, exit_status integer, more_info text)',
      );
      db.run('INSERT INTO history (command_line, start_timestamp, session_id, hostname, cwd) VALUES (?,?,?,?,?)', [
        `$env.OPENAI_API_KEY = "${K1}"`,
        1700000000500,
        7,
        'box',
        '/w',
      ]);
    });
    const { findings } = await scanDb(dir, 'history.sqlite3');
    expect(findings.map((f) => f.location.details)).toEqual([
      { table: 'history', rowid: 1, cwd: '/w', host: 'box', session: 7, time: '2023-11-14T22:13:20.500Z', column: 'command_line' },
    ]);
  });

  it('McFly commands: when_run in seconds, dir as cwd', async () => {
    const dir = tempDir();
    await makeDb(join(dir, 'history.db'), (db) => {
      db.run(
        'CREATE TABLE commands (id INTEGER PRIMARY KEY AUTOINCREMENT, cmd TEXT NOT NULL, cmd_tpl TEXT, session_id TEXT NOT NULL, when_run INTEGER NOT NULL, exit_code INTEGER NOT NULL, selected INTEGER NOT NULL, dir TEXT, old_dir TEXT)',
      );
      db.run(`INSERT INTO commands (cmd, cmd_tpl, session_id, when_run, exit_code, selected, dir) VALUES (?, '', 's', 1700000000, 0, 0, '/srv')`, [
        `export OPENAI_API_KEY=${K1}`,
      ]);
    });
    const { findings } = await scanDb(dir, 'history.db');
    expect(findings.map((f) => f.location.details)).toEqual([
      { table: 'commands', rowid: 1, cwd: '/srv', session: 's', time: '2023-11-14T22:13:20.000Z', column: 'cmd' },
    ]);
  });

  it('IPython: one finding for source and source_raw of a line, session start as time; outputs read too', async () => {
    const dir = tempDir();
    await makeDb(join(dir, 'history.sqlite'), (db) => {
      db.run('CREATE TABLE sessions (session integer primary key autoincrement, start timestamp, end timestamp, num_cmds integer, remark text)');
      db.run('CREATE TABLE history (session integer, line integer, source text, source_raw text, PRIMARY KEY (session, line))');
      db.run('CREATE TABLE output_history (session integer, line integer, output text, PRIMARY KEY (session, line))');
      db.run(`INSERT INTO sessions VALUES (1, '2024-05-01 10:00:00.000000', NULL, 2, '')`);
      db.run('INSERT INTO history VALUES (1, 1, ?, ?)', [`get_ipython().run_line_magic('env', 'OPENAI_API_KEY=${K1}')`, `%env OPENAI_API_KEY=${K1}`]);
      db.run('INSERT INTO output_history VALUES (1, 2, ?)', [`'${K2}'`]);
    });
    const { findings } = await scanDb(dir, 'history.sqlite');
    expect(findings.map((f) => [f.secret, f.kind, f.location.details, f.alsoIn])).toEqual([
      [
        K1,
        'repl-history',
        { table: 'history', rowid: 1, session: 1, line: 1, time: '2024-05-01T10:00:00.000Z', column: 'source_raw' },
        ['source_raw', 'source'],
      ],
      [K2, 'repl-history', { table: 'output_history', rowid: 1, session: 1, line: 2, time: '2024-05-01T10:00:00.000Z', column: 'output' }, ['output']],
    ]);
  });
});

describe('bad databases', () => {
  it('corrupt: reported (exit 2 territory) and its bytes still scanned', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'history.db'), Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(200, 0xff), Buffer.from(`\ncmd ${K1}\n`)]));
    const { findings, errors } = await scanDb(dir, 'history.db');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/cannot read as an SQLite database .*scanned its raw bytes instead/);
    expect(findings.map((f) => f.secret)).toEqual([K1]);
  });

  it.skipIf(!HAS_PYTHON_SQLITE)('rows still in the WAL (not checkpointed) are read; a torn last frame is not applied', async () => {
    const dir = tempDir();
    const py = `
import sqlite3, shutil
c = sqlite3.connect('live.db'); c.execute('pragma journal_mode=wal'); c.execute('pragma wal_autocheckpoint=0')
c.execute('create table history (id integer primary key autoincrement, command_line text not null, start_timestamp integer, session_id integer, hostname text, cwd text)')
c.execute("insert into history (command_line, start_timestamp) values ('ls', 1)"); c.commit()
c.execute('pragma wal_checkpoint(truncate)')
c.execute("insert into history (command_line, start_timestamp) values ('export A=${K1}', 2)"); c.commit()
shutil.copy('live.db', 'history.sqlite3'); shutil.copy('live.db-wal', 'history.sqlite3-wal')
c.execute("insert into history (command_line, start_timestamp) values ('export B=${K2}', 3)"); c.commit()
shutil.copy('live.db', 'torn/history.sqlite3'); shutil.copy('live.db-wal', 'torn/history.sqlite3-wal')
`;
    spawnSync('mkdir', [join(dir, 'torn')]);
    const r = spawnSync('python3', ['-c', py], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(readFileSync(join(dir, 'history.sqlite3')).includes(K1)).toBe(false);
    const { findings, errors } = await scanDb(dir, 'history.sqlite3');
    expect(errors).toEqual([]);
    expect(findings.map((f) => [f.secret, f.location.details?.rowid])).toEqual([[K1, 2]]);
    // cut the last frame short: the transaction that added K2 never committed, as far as a reader knows
    const wal = join(dir, 'torn', 'history.sqlite3-wal');
    truncateSync(wal, statSync(wal).size - 100);
    const torn = await scanDb(join(dir, 'torn'), 'history.sqlite3');
    expect(torn.findings.filter((f) => f.location.details?.rowid !== undefined).map((f) => [f.secret, f.location.details?.rowid])).toEqual([[K1, 2]]);
  });

  it.skipIf(!HAS_PYTHON_SQLITE)('a database locked by its writer is read without waiting for the lock', async () => {
    const dir = tempDir();
    await makeDb(join(dir, 'history.db'), (db) => {
      db.run(ATUIN);
      db.run('INSERT INTO history VALUES (?,?,?,?,?,?,?,?,?)', ['a', 1, 1, 0, `export OPENAI_API_KEY=${K1}`, '/', 's', 'h', null]);
    });
    const holder = spawn(
      'python3',
      [
        '-c',
        "import sqlite3,time,sys\nc=sqlite3.connect('history.db',isolation_level=None)\nc.execute('BEGIN EXCLUSIVE')\nprint('locked',flush=True)\ntime.sleep(30)",
      ],
      { cwd: dir },
    );
    try {
      await new Promise<void>((res, rej) => {
        holder.stdout.once('data', () => res());
        holder.once('exit', (code) => rej(new Error(`lock holder exited ${code}`)));
      });
      const t0 = Date.now();
      const { findings, errors } = await scanDb(dir, 'history.db');
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(errors).toEqual([]);
      expect(findings.map((f) => f.secret)).toEqual([K1]);
    } finally {
      holder.kill();
    }
  });
});
