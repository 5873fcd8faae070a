// History databases: atuin, McFly, nushell (SQLite format) and IPython. Rows are read through SQLite
// (a copy, see sqlite-open.ts), filtered in SQL by the prefilter's needles, and reported by table,
// row id, column, time and working directory. A second pass over the raw bytes finds keys that only
// survive in free pages or old WAL frames (rows deleted without VACUUM).
import { mayContainKey } from '../../engine/prefilter.js';
import type { Database, SqlValue } from 'sql.js';
import { detect } from '../../engine/detect.js';
import { fragmentOf } from '../../engine/fragments.js';
import { errorMessage } from '../../errors.js';
import type { ScanContext } from '../../scan/context.js';
import type { Chunk, OriginKind } from '../../types.js';
import type { FileRef } from '../files/file-ref.js';
import type { FormatReader } from '../files/formats.js';
import { readEntries } from './entries.js';
import { replLines } from './lines.js';
import { openCopy } from './sqlite-open.js';
import { isoFromUnit, type TimeUnit } from './time.js';

export interface StoreTable {
  table: string;
  /** columns that may hold a key */
  text: string[];
  /** detail name → column, read for matching rows */
  about: Record<string, string>;
  time?: { column: string; unit: TimeUnit };
  deleted?: string;
}

export interface StoreSchema {
  tool: 'atuin' | 'mcfly' | 'nushell' | 'ipython' | 'sqlite';
  kind: Extract<OriginKind, 'shell-history' | 'repl-history'>;
  tables: StoreTable[];
}

type Columns = Map<string, Set<string>>;

function columnsOf(db: Database): Columns {
  const out: Columns = new Map();
  const tables = db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values ?? [];
  for (const [name] of tables) {
    if (typeof name !== 'string') continue;
    const cols = db.exec(`PRAGMA table_info(${quoteId(name)})`)[0]?.values ?? [];
    out.set(name, new Set(cols.map((c) => String(c[1]))));
  }
  return out;
}

export function quoteId(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Which tool wrote this database, by its tables and columns (schemas drift: unknown ones are read generically). */
export function schemaOf(cols: Columns): StoreSchema {
  const has = (t: string, ...c: string[]): boolean => c.every((x) => cols.get(t)?.has(x) === true);
  if (has('history', 'command', 'timestamp', 'cwd') && has('history', 'deleted_at')) {
    return {
      tool: 'atuin',
      kind: 'shell-history',
      tables: [
        {
          table: 'history',
          text: ['command'],
          about: { id: 'id', cwd: 'cwd', host: 'hostname', session: 'session' },
          time: { column: 'timestamp', unit: 'ns' },
          deleted: 'deleted_at',
        },
      ],
    };
  }
  if (has('history', 'command_line')) {
    return {
      tool: 'nushell',
      kind: 'shell-history',
      tables: [
        {
          table: 'history',
          text: ['command_line'],
          about: { cwd: 'cwd', host: 'hostname', session: 'session_id' },
          time: { column: 'start_timestamp', unit: 'ms' },
        },
      ],
    };
  }
  if (has('commands', 'cmd')) {
    return {
      tool: 'mcfly',
      kind: 'shell-history',
      tables: [
        {
          table: 'commands',
          text: ['cmd', 'cmd_tpl'].filter((c) => has('commands', c)),
          about: { cwd: 'dir', session: 'session_id' },
          time: { column: 'when_run', unit: 's' },
        },
      ],
    };
  }
  if (has('history', 'source_raw')) {
    const tables: StoreTable[] = [{ table: 'history', text: ['source_raw', 'source'], about: { session: 'session', line: 'line' } }];
    if (has('output_history', 'output')) tables.push({ table: 'output_history', text: ['output'], about: { session: 'session', line: 'line' } });
    return { tool: 'ipython', kind: 'repl-history', tables };
  }
  const tables: StoreTable[] = [];
  for (const [table, c] of cols) if (!table.startsWith('sqlite_')) tables.push({ table, text: [...c], about: {} });
  return { tool: 'sqlite', kind: 'shell-history', tables };
}

function textOf(v: SqlValue): { text: string; bytes: boolean } | undefined {
  if (typeof v === 'string') return { text: v, bytes: false };
  if (v instanceof Uint8Array) return { text: Buffer.from(v).toString('latin1'), bytes: true };
  return undefined;
}

/** IPython keeps times per session: session number → start time. */
function ipythonSessions(db: Database): Map<number, string> {
  const out = new Map<number, string>();
  try {
    for (const [s, start] of db.exec('SELECT session, start FROM sessions')[0]?.values ?? []) {
      if (typeof s === 'number' && typeof start === 'string') out.set(s, new Date(`${start.replace(' ', 'T')}Z`).toISOString());
    }
  } catch {
    // an older schema without sessions: no times
  }
  return out;
}

function* rowChunks(db: Database, schema: StoreSchema, path: string, needles: readonly string[]): Generator<Chunk> {
  const sessions = schema.tool === 'ipython' ? ipythonSessions(db) : undefined;
  for (const t of schema.tables) {
    if (t.text.length === 0) continue;
    const params = needles.map((_n, i) => `?${i + 1}`);
    const where = t.text.flatMap((c) => params.map((p) => `instr(CAST(${quoteId(c)} AS BLOB), CAST(${p} AS BLOB)) > 0`)).join(' OR ');
    const extra = [...new Set([...Object.values(t.about), ...(t.time ? [t.time.column] : []), ...(t.deleted ? [t.deleted] : [])])];
    const select = [...t.text, ...extra.filter((c) => !t.text.includes(c))].map(quoteId).join(', ');
    let stmt;
    try {
      stmt = db.prepare(`SELECT rowid AS "kg rowid", ${select} FROM ${quoteId(t.table)} WHERE ${where}`);
    } catch {
      // WITHOUT ROWID tables: identify rows by their columns alone
      stmt = db.prepare(`SELECT NULL AS "kg rowid", ${select} FROM ${quoteId(t.table)} WHERE ${where}`);
    }
    try {
      stmt.bind([...needles]);
      while (stmt.step()) {
        const row = stmt.getAsObject();
        const rowid = row['kg rowid'];
        const details: Record<string, string | number | boolean> = { table: t.table };
        if (typeof rowid === 'number') details.rowid = rowid;
        for (const [name, col] of Object.entries(t.about)) {
          const v = row[col];
          if (typeof v === 'number' || (typeof v === 'string' && v !== '')) details[name] = v;
        }
        if (t.time) {
          const time = isoFromUnit(row[t.time.column], t.time.unit);
          if (time) details.time = time;
        }
        if (sessions && typeof row.session === 'number') {
          const time = sessions.get(row.session);
          if (time) details.time = time;
        }
        if (t.deleted) details.deleted = row[t.deleted] !== null && row[t.deleted] !== undefined;
        for (const column of t.text) {
          const v = textOf(row[column] ?? null);
          if (!v || !mayContainKey(v.text, needles)) continue;
          yield {
            text: v.text,
            bytes: v.bytes,
            origin: { kind: schema.kind, path, details: { ...details, column }, group: `${t.table}:${String(rowid)}`, field: column },
          };
        }
      }
    } finally {
      stmt.free();
    }
  }
}

/** Keys in the raw bytes that no row holds: deleted rows whose text is still on disk. */
function* freeSpaceChunks(
  raw: readonly Buffer[],
  inRows: ReadonlySet<string>,
  schema: StoreSchema,
  path: string,
  needles: readonly string[],
): Generator<Chunk> {
  const seen = new Set<string>();
  for (const buf of raw) {
    for (const n of needles) {
      for (let i = buf.indexOf(n, 0, 'latin1'); i >= 0; i = buf.indexOf(n, i + 1, 'latin1')) {
        const window = buf.toString('latin1', Math.max(0, i - 300), Math.min(buf.length, i + 300));
        for (const m of detect(window, { bytes: true, decode: false })) if (!inRows.has(m.secret)) seen.add(m.secret);
      }
    }
  }
  // a copy cut short is the key it starts, found in a row or elsewhere in the free space: not a second key
  const keys = [...inRows, ...seen];
  for (const secret of seen) {
    if (fragmentOf(secret, keys)) continue;
    const where = schema.tool === 'sqlite' ? 'unallocated space' : 'free pages or old WAL frames (a deleted row)';
    yield { text: secret, bytes: true, origin: { kind: schema.kind, path, details: { table: where, deleted: true } } };
  }
}

async function* readStore(file: FileRef, ctx: ScanContext): AsyncGenerator<Chunk> {
  const content = await file.load();
  ctx.countFile(content.length);
  let opened;
  try {
    opened = await openCopy(content, file.absPath);
  } catch (err) {
    // corrupt or not SQLite after all: say so (exit 2), and still look at the bytes
    ctx.error(file.displayPath, `cannot read as an SQLite database (${errorMessage(err)}); scanned its raw bytes instead`);
    yield* readEntries({ ...file, load: async () => content }, ctx, replLines);
    return;
  }
  const { db, bytes, wal } = opened;
  try {
    const schema = schemaOf(columnsOf(db));
    const inRows = new Set<string>();
    for (const chunk of rowChunks(db, schema, file.displayPath, ctx.needles)) {
      for (const m of detect(chunk.text, { bytes: chunk.bytes === true })) inRows.add(m.secret);
      yield chunk;
    }
    yield* freeSpaceChunks(wal ? [bytes, wal] : [bytes], inRows, schema, file.displayPath, ctx.needles);
  } finally {
    db.close();
  }
}

export const reader: FormatReader = { name: 'history database', read: (file, ctx) => readStore(file, ctx) };
