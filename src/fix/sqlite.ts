// --fix for history databases: keyguard never rewrites a database a shell or REPL is writing. It
// prints the command that deletes the rows with the tool's own CLI, or the equivalent sqlite3
// statement by row id, and VACUUM so the text does not survive in free pages.
import { shownText } from '../report/text.js';
import type { Finding } from '../types.js';
import type { FixOptions, Redactor } from './dispatch.js';
import { shq } from '../report/shell-quote.js';

interface Rows {
  table: string;
  rowids: number[];
  deleted: boolean;
}

function rowsOf(findings: readonly Finding[]): { rows: Rows[]; freeSpace: boolean; columns: Set<string> } {
  const byTable = new Map<string, Rows>();
  let freeSpace = false;
  const columns = new Set<string>();
  for (const f of findings) {
    const d = f.location.details ?? {};
    if (typeof d.column === 'string') columns.add(d.column);
    if (typeof d.rowid !== 'number' || typeof d.table !== 'string') {
      freeSpace = true;
      continue;
    }
    const r = byTable.get(d.table) ?? { table: d.table, rowids: [], deleted: false };
    if (!r.rowids.includes(d.rowid)) r.rowids.push(d.rowid);
    if (d.deleted === true) r.deleted = true;
    byTable.set(d.table, r);
  }
  return { rows: [...byTable.values()], freeSpace, columns };
}

function sqlite3(db: string, sql: string): string {
  return `sqlite3 ${shq(db)} "${sql}"`;
}

async function fix(absPath: string, findings: readonly Finding[], opts: FixOptions): Promise<void> {
  const { rows, freeSpace, columns } = rowsOf(findings);
  const out: string[] = [`keyguard: ${absPath} is a database: keyguard does not rewrite it. Close the shells or REPLs that use it, then run:`];
  const atuin = columns.has('command') && rows.some((r) => r.table === 'history');
  if (atuin && rows.some((r) => !r.deleted)) {
    out.push(`    atuin search --delete --search-mode full-text --filter-mode global -- T3BlbkFJ`);
    out.push(`  (atuin's own delete also removes the entries from its sync store; it deletes every entry that contains an OpenAI key)`);
    out.push(`  or, equivalently on this machine only:`);
  }
  const statements = rows.map((r) => `DELETE FROM ${r.table} WHERE rowid IN (${r.rowids.sort((a, b) => a - b).join(', ')});`);
  out.push(`    ${sqlite3(absPath, [...statements, 'PRAGMA wal_checkpoint(TRUNCATE);', 'VACUUM;'].join(' '))}`);
  if (rows.some((r) => r.deleted)) out.push('  (rows marked deleted still hold their text until they are removed and the database is vacuumed)');
  if (freeSpace && rows.length === 0) out.push('  (the key survives only in free pages or old WAL frames: VACUUM overwrites them)');
  if (opts.dryRun) out[0] = `keyguard: (dry run) ${out[0]!.slice('keyguard: '.length)}`;
  opts.io.stderr(`${out.map(shownText).join('\n')}\n`);
}

export const sqliteAdvice: Redactor = {
  name: 'history databases',
  applies: (_absPath, findings) =>
    findings.some((f) => f.location.details?.table !== undefined) && findings.every((f) => f.kind === 'shell-history' || f.kind === 'repl-history'),
  fix,
};
