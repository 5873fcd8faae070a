// Opening a history database without touching the live file's locks: read the bytes of the
// database and its -wal (a copy in memory), apply the WAL, and open the copy with sql.js (SQLite
// compiled to WebAssembly: no native build). The copy is never written back.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { applyWal } from './wal.js';

let engine: Promise<SqlJsStatic> | undefined;

function sqlJs(): Promise<SqlJsStatic> {
  engine ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmBinary = await readFile(require.resolve('sql.js/dist/sql-wasm.wasm'));
    return initSqlJs({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer });
  })();
  return engine;
}

export interface OpenedStore {
  db: Database;
  /** the bytes that were opened (database with the WAL applied), for the raw pass */
  bytes: Buffer;
  /** the -wal bytes as read (old frames may hold rows deleted since) */
  wal: Buffer | undefined;
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

/** Open a copy of the database (and its WAL when it sits beside it on disk). Throws when it is not a readable database. */
export async function openCopy(content: Buffer, absPath: string | undefined): Promise<OpenedStore> {
  const wal = absPath ? await readOptional(`${absPath}-wal`) : undefined;
  const bytes = Buffer.from(wal ? applyWal(content, wal) : content);
  // journal mode back to rollback: the copy has no WAL of its own for SQLite to look for
  if (bytes.length >= 20 && bytes[18] === 2) bytes[18] = bytes[19] = 1;
  const SQL = await sqlJs();
  const db = new SQL.Database(bytes);
  try {
    db.exec('PRAGMA query_only = 1; SELECT count(*) FROM sqlite_master');
  } catch (err) {
    db.close();
    throw err;
  }
  return { db, bytes, wal };
}
