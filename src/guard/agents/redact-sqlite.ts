// The copies of a blocked key in an agent's SQLite databases (Codex 0.171 keeps a tool's raw output,
// `cat .env` withheld from the model included, in $CODEX_HOME/thread_history_1.sqlite, table
// thread_items). Codex holds these databases open in WAL mode for its whole session, SessionEnd
// included (measured: POSIX read locks on the file and its -shm while the hook runs), so keyguard
// neither renames a rewritten copy over them (Codex would go on writing to the old file) nor patches
// their bytes (that would break WAL checksums and index order, and a connection's page cache could
// write the old page back). It goes through SQLite's own locking, with the sqlite3 program, as the
// `audit --fix` advice for history databases does (src/fix/sqlite.ts):
// - UPDATE … replace(key, marker) in one IMMEDIATE transaction, with secure_delete on, so the old
//   cell is zeroed; Codex's idle connections see the change through the WAL index, as any write;
// - wal_checkpoint(TRUNCATE): the old WAL frames (and the new ones) are copied in and the WAL emptied;
// - the raw bytes of the file and its WAL are then searched: a copy left in a free page (a row
//   rewritten earlier) takes a VACUUM and another checkpoint.
// A lock that is not released within the busy timeout makes the step fail with nothing changed
// (SQLite's transaction); the record stays and a later event tries again. The key is handed to
// sqlite3 on stdin, never in its arguments (`ps` shows those to every user).
import { open, stat } from 'node:fs/promises';
import type { OwnKeyIndex } from '../../engine/own-keys.js';
import { KeyTargets, redactionMarker } from '../../fix/redact-bytes.js';
import type { FileCleanup } from './redact-copies.js';
import { keysByFingerprint } from './redact-copies.js';
import { runProgram, type Ran } from '../../run-program.js';

/** How long SQLite waits for Codex to release a lock (ms), and how long the whole sqlite3 run may take. */
const BUSY_MS = 1000;
const RUN_MS = 2500;
/** Only keys of these characters are written into SQL (every key family is; a marker always is). */
const SQL_SAFE = /^[A-Za-z0-9_\-]+$/;

/** Is `name` a SQLite database file keyguard should look into for blocked keys? */
export function isDatabase(path: string): boolean {
  return /\.(sqlite|sqlite3|db)$/i.test(path);
}

/** sqlite3 with `script` on stdin; errorCode ENOENT when the program is not installed. */
function sqlite3(path: string, script: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return runProgram('sqlite3', ['-batch', '-bail', path], env, { input: script, timeoutMs: RUN_MS });
}

const quoteId = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Ordinary tables and their columns: virtual tables and their shadow tables are left to SQLite (FTS keeps its own index). */
const COLUMNS_SQL =
  ".mode tabs\n.headers off\n.timeout 1000\nSELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' " +
  "AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.sql NOT LIKE 'CREATE VIRTUAL%' AND NOT EXISTS (SELECT 1 FROM sqlite_master v " +
  "WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL%' AND m.name LIKE v.name || '\\_%' ESCAPE '\\');\n";

function updates(columns: readonly [string, string][], secrets: ReadonlySet<string>): string {
  const out: string[] = [];
  for (const secret of secrets) {
    const key = `'${secret}'`;
    const marker = `'${redactionMarker(secret)}'`;
    for (const [table, column] of columns) {
      const c = quoteId(column);
      out.push(
        `UPDATE ${quoteId(table)} SET ${c} = CASE typeof(${c}) WHEN 'blob' THEN CAST(replace(CAST(${c} AS TEXT), ${key}, ${marker}) AS BLOB) ` +
          `ELSE replace(${c}, ${key}, ${marker}) END WHERE typeof(${c}) IN ('text', 'blob') AND instr(${c}, ${key}) > 0;`,
      );
    }
  }
  return out.join('\n');
}

/** Does any of the database's files still hold one of the keys (in any of the encodings --fix knows)? */
async function filesHolding(path: string, targets: KeyTargets): Promise<string[]> {
  const held: string[] = [];
  for (const file of [path, `${path}-wal`, `${path}-journal`]) {
    let fh;
    try {
      fh = await open(file, 'r');
    } catch {
      continue;
    }
    try {
      const buf = await fh.readFile();
      if (targets.needles.some((n) => buf.includes(n.from))) held.push(file);
    } finally {
      await fh.close();
    }
  }
  return held;
}

/** sqlite3's own words, with any of the keys in them redacted (an error can quote the statement). */
function said(r: Ran, secrets: ReadonlySet<string>): string {
  let text = (r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ');
  for (const s of secrets) text = text.split(s).join(redactionMarker(s));
  return text || `exit ${r.code ?? 'on a signal (timed out)'}`;
}

/** Redact every copy of the keys with these fingerprints in the database at `path`: rows, free pages and WAL. */
export async function redactDatabase(
  path: string,
  fingerprints: ReadonlySet<string>,
  ownKeys: OwnKeyIndex | undefined,
  env: NodeJS.ProcessEnv,
): Promise<FileCleanup> {
  try {
    if (!(await stat(path)).isFile()) return { path, count: 0, refused: 'not a regular file' };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { path, count: 0, missing: true };
    throw err;
  }
  const secrets = new Set<string>();
  for (const file of [path, `${path}-wal`]) {
    const found = await keysByFingerprint(file, fingerprints, ownKeys).catch(() => undefined);
    for (const s of found?.secrets ?? []) if (SQL_SAFE.test(s)) secrets.add(s);
  }
  if (secrets.size === 0) return { path, count: 0 };
  const targets = new KeyTargets(secrets);
  let run = await sqlite3(path, COLUMNS_SQL, env);
  if (run.errorCode === 'ENOENT') {
    return { path, count: 0, refused: 'no sqlite3 program is installed, and keyguard changes a database only through SQLite itself' };
  }
  if (run.code !== 0) throw new Error(`sqlite3 could not read its tables: ${said(run, secrets)}`);
  const columns = run.stdout
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => l.split('\t') as [string, string]);
  const script =
    `.bail on\n.timeout ${BUSY_MS}\nPRAGMA secure_delete = ON;\nBEGIN IMMEDIATE;\n${updates(columns, secrets)}\n` +
    `SELECT 'changed', total_changes();\nCOMMIT;\nPRAGMA wal_checkpoint(TRUNCATE);\n`;
  run = await sqlite3(path, script, env);
  if (run.code !== 0) throw new Error(`sqlite3 could not redact it (nothing changed; tried again at a later event): ${said(run, secrets)}`);
  const changed = /^changed\|(\d+)$/m.exec(run.stdout);
  const count = changed ? Number(changed[1]) : 0;
  if ((await filesHolding(path, targets)).length > 0) {
    // an older copy in a free page or a WAL frame a reader still uses: VACUUM rewrites every page
    run = await sqlite3(path, `.bail on\n.timeout ${BUSY_MS}\nVACUUM;\nPRAGMA wal_checkpoint(TRUNCATE);\n`, env);
    if (run.code !== 0) throw new Error(`sqlite3 could not VACUUM it (its rows are redacted; a later event tries again): ${said(run, secrets)}`);
    const left = await filesHolding(path, targets);
    if (left.length > 0) throw new Error(`a copy is left in ${left.join(', ')} (a reader holds old WAL frames; a later event tries again)`);
  }
  return { path, count };
}
