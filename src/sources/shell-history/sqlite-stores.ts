// History databases: atuin, McFly, nushell (SQLite format) and IPython. Rows are read through SQLite
// (a copy, see sqlite-open.ts), filtered in SQL by the prefilter's needles, and reported by table,
// row id, column, time and working directory. A second pass over the raw bytes finds keys that only
// survive in free pages or old WAL frames (rows deleted without VACUUM), and copies of a row's key
// there (the row was rewritten or an older one deleted), said on the row's finding.
import { mayContainKey } from '../../engine/prefilter.js';
import type { Database, SqlValue } from 'sql.js';
import { detect } from '../../engine/detect.js';
import { fingerprint } from '../../engine/fingerprint.js';
import { errorMessage } from '../../errors.js';
import type { ScanContext } from '../../scan/context.js';
import type { Chunk, OriginKind } from '../../types.js';
import type { FileRef } from '../files/file-ref.js';
import type { FormatReader } from '../files/formats.js';
import { needleStrings } from '../needle-offsets.js';
import { readEntries } from './entries.js';
import { freeRanges, within, type Range } from './free-space.js';
import { replLines } from './lines.js';
import { openCopy } from './sqlite-open.js';
import { oldFrames } from './wal.js';
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
  // `instr` sees no next byte: escaped session starts (`sess%…`) are substrings of their own
  const searched = needleStrings(needles);
  for (const t of schema.tables) {
    if (t.text.length === 0) continue;
    const params = searched.map((_n, i) => `?${i + 1}`);
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
      stmt.bind(searched);
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

/** One raw byte buffer of the store, and where in it nothing live is kept. */
interface RawPart {
  buf: Buffer;
  free: () => Range[];
  /** what a key in the free ranges is a copy in */
  place: string;
}

/** Every key in the raw bytes, with the places (free pages, old WAL frames) where a copy of it lies outside live content. */
function rawKeys(parts: readonly RawPart[], needles: readonly string[]): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const part of parts) {
    const { buf } = part;
    let free: Range[] | undefined;
    for (const n of needles) {
      for (let i = buf.indexOf(n, 0, 'latin1'); i >= 0; i = buf.indexOf(n, i + 1, 'latin1')) {
        const from = Math.max(0, i - 300);
        const window = buf.toString('latin1', from, Math.min(buf.length, i + 300));
        for (const m of detect(window, { bytes: true, decode: false })) {
          const places = keys.get(m.secret) ?? new Set<string>();
          keys.set(m.secret, places);
          free ??= part.free();
          if (within(free, from + m.start)) places.add(part.place);
        }
      }
    }
  }
  return keys;
}

/** The longest of `keys` that holds `secret` and is longer: a copy cut short (a page or a rewritten row ends it) is that key. */
function wholeOf(secret: string, keys: Iterable<string>): string | undefined {
  let whole: string | undefined;
  for (const key of keys) if (key.length > secret.length && key.includes(secret) && (!whole || key.length > whole.length)) whole = key;
  return whole;
}

/** The note a row's finding gets when a copy of its key (whole or cut) also lies in free space. */
function copiesNote(chunk: Chunk, copies: ReadonlyMap<string, ReadonlySet<string>>): string | undefined {
  const secrets = [...new Set(detect(chunk.text, { bytes: chunk.bytes === true }).map((m) => m.secret))];
  const copied = secrets.filter((k) => copies.has(k));
  if (copied.length === 0) return undefined;
  const places = [...new Set(copied.flatMap((k) => [...copies.get(k)!]))].join(' and ');
  // the note is the chunk's, so name the key when the row holds others that have no copy
  return copied.length === secrets.length ? places : `${places} (key ${copied.map(fingerprint).join(', ')})`;
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
  let schema: StoreSchema;
  // rows wait for the raw pass: a copy of their key in free space is said on their finding
  const rows: Chunk[] = [];
  const inRows = new Set<string>();
  try {
    schema = schemaOf(columnsOf(db));
    for (const chunk of rowChunks(db, schema, file.displayPath, ctx.needles)) {
      for (const m of detect(chunk.text, { bytes: chunk.bytes === true })) inRows.add(m.secret);
      rows.push(chunk);
    }
  } finally {
    db.close();
  }
  const freePlace = schema.tool === 'sqlite' ? 'unallocated space' : 'free pages';
  const parts: RawPart[] = [{ buf: bytes, free: () => freeRanges(bytes), place: freePlace }];
  if (wal) parts.push({ buf: wal, free: () => oldFrames(bytes, wal), place: 'old WAL frames' });
  const raw = rawKeys(parts, ctx.needles);
  const keys = [...inRows, ...raw.keys()];
  const copies = new Map<string, Set<string>>();
  const own: string[] = [];
  for (const [secret, places] of raw) {
    const whole = inRows.has(secret) ? secret : wholeOf(secret, keys);
    if (whole === undefined) own.push(secret);
    else if (inRows.has(whole) && places.size > 0) copies.set(whole, new Set([...(copies.get(whole) ?? []), ...places]));
  }
  for (const chunk of rows) {
    const note = copies.size > 0 ? copiesNote(chunk, copies) : undefined;
    yield note ? { ...chunk, origin: { ...chunk.origin, details: { ...chunk.origin.details, alsoIn: note } } } : chunk;
  }
  const where = schema.tool === 'sqlite' ? 'unallocated space' : 'free pages or old WAL frames (a deleted row)';
  for (const secret of own)
    yield { text: secret, bytes: true, origin: { kind: schema.kind, path: file.displayPath, details: { table: where, deleted: true } } };
}

export const reader: FormatReader = { name: 'history database', read: (file, ctx) => readStore(file, ctx) };
