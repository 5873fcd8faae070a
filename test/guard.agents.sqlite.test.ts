// After a block, Codex's databases are cleaned too: Codex 0.171 keeps a tool's raw output (`cat .env`,
// withheld from the model) in $CODEX_HOME/thread_history_1.sqlite, which it holds open in WAL mode for
// the whole session. keyguard redacts it through SQLite's own locking (the sqlite3 program), so these
// tests hold the database open in another sqlite3 process, as Codex does. Also: records a killed
// session left behind are pruned at any session's next event, and the SessionEnd timeout Codex applies.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterEach, describe, expect, it } from 'vitest';
import { hookHash } from '../src/codex/hook-trust.js';
import { fingerprint } from '../src/engine/fingerprint.js';
import { redactionMarker } from '../src/fix/redact-bytes.js';
import { SESSION_END_INLINE_BYTES } from '../src/guard/agents/after-session.js';
import { MAX_RECORD_AGE_MS, sessionDir } from '../src/guard/agents/pending.js';
import { keyFor } from './helpers/keys.js';
import { gitEnv, runCli, tempDir, writeFiles, type CliResult } from './helpers/tmp.js';
import { runMain } from './helpers/main.js';

const KEY = keyFor('project_164', 1401);
const OTHER = keyFor('project_164', 1402);
const SESSION = '01a22518-bcbd-7c41-8ee4-215eadb71fb8';
const HAS_SQLITE3 = spawnSync('sqlite3', ['-version']).status === 0;

interface Place {
  home: string;
  codexHome: string;
  env: NodeJS.ProcessEnv;
  rollout: string;
  db: string;
  state: string;
}

function place(): Place {
  const home = tempDir('kg-sqlite-home-');
  const codexHome = join(home, '.codex');
  mkdirSync(join(codexHome, 'sessions'), { recursive: true });
  return {
    home,
    codexHome,
    env: gitEnv({ HOME: home, OPENAI_API_KEY: '', CODEX_API_KEY: '', NO_COLOR: '1', CODEX_HOME: codexHome }),
    rollout: join(codexHome, 'sessions', `rollout-2026-11-29T02-18-27-${SESSION}.jsonl`),
    db: join(codexHome, 'thread_history_1.sqlite'),
    state: join(home, '.local', 'state', 'keyguard', 'pending-redactions'),
  };
}

function hook(event: unknown, p: Place): CliResult {
  const r = runCli(['hook', 'codex'], { cwd: p.home, env: p.env, input: JSON.stringify(event) });
  for (const k of [KEY, OTHER]) expect(r.stdout + r.stderr).not.toContain(k);
  return r;
}

// Codex 0.171.0 payloads (recorded; see guard.agents.cleanup.test.ts)
const base = (p: Place, session = SESSION) => ({ session_id: session, transcript_path: p.rollout, cwd: '/work', model: 'gpt-5.5' });
const postTool = (p: Place, output: string) => ({
  ...base(p),
  turn_id: '01a22518-bcde-77d2-b933-c9cad883968a',
  hook_event_name: 'PostToolUse',
  permission_mode: 'bypassPermissions',
  tool_name: 'Bash',
  tool_use_id: 'call_1',
  tool_input: { command: 'cat .env' },
  tool_response: output,
});
const stop = (p: Place, session = SESSION) => ({ ...base(p, session), hook_event_name: 'Stop', stop_hook_active: false, last_assistant_message: 'done' });
const prompt = (p: Place, text: string, session = SESSION) => ({ ...base(p, session), hook_event_name: 'UserPromptSubmit', prompt: text });

/** Every file under `dir` whose bytes hold `needle`. */
function holding(dir: string, needle: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && readFileSync(join(d.parentPath, d.name)).includes(needle))
    .map((d) => join(d.parentPath, d.name));
}

function records(p: Place): string[] {
  if (!existsSync(p.state)) return [];
  return readdirSync(p.state, { recursive: true })
    .map(String)
    .filter((n) => n.endsWith('.json'));
}

/** A sqlite3 process that keeps the database open, as Codex does for its whole session. */
class Holder {
  private out = '';
  private n = 0;
  readonly child: ChildProcessWithoutNullStreams;
  constructor(db: string) {
    this.child = spawn('sqlite3', ['-batch', db]);
    this.child.stdout.on('data', (c: Buffer) => (this.out += c.toString('utf8')));
    this.child.stderr.on('data', (c: Buffer) => (this.out += c.toString('utf8')));
  }
  /** Run `sql` and wait until it is done; its output. */
  async run(sql: string): Promise<string> {
    const tag = `done-${++this.n}`;
    const from = this.out.length;
    this.child.stdin.write(`${sql}\nSELECT '${tag}';\n`);
    for (let i = 0; i < 500 && !this.out.includes(tag, from); i++) await new Promise((r) => setTimeout(r, 10));
    expect(this.out.includes(tag, from), `sqlite3 did not finish: ${this.out.slice(from)}`).toBe(true);
    return this.out.slice(from, this.out.indexOf(tag, from)).trim();
  }
  async close(): Promise<void> {
    this.child.stdin.end();
    if (this.child.exitCode === null) await once(this.child, 'close');
  }
}

const holders: Holder[] = [];
afterEach(async () => {
  for (const h of holders.splice(0)) await h.close();
});

/** Codex's table (0.171 schema, trimmed), with an index on the JSON column so a broken index order would show. */
async function codexDatabase(p: Place): Promise<Holder> {
  const h = new Holder(p.db);
  holders.push(h);
  await h.run(
    'PRAGMA journal_mode = WAL;\n' +
      'CREATE TABLE thread_items (thread_id TEXT NOT NULL, item_id TEXT NOT NULL, item_json TEXT NOT NULL, PRIMARY KEY (thread_id, item_id));\n' +
      'CREATE INDEX idx_json ON thread_items(item_json);\n' +
      `INSERT INTO thread_items VALUES ('t', 'earlier', '{"text":"an earlier item"}');\n` +
      // a row deleted without VACUUM: its text survives in a free page
      `INSERT INTO thread_items VALUES ('t', 'gone', '${JSON.stringify({ output: `OPENAI_API_KEY=${KEY} (old)` })}');\n` +
      `DELETE FROM thread_items WHERE item_id = 'gone';\n` +
      `INSERT INTO thread_items VALUES ('t', 'out', '${JSON.stringify({ aggregatedOutput: `OPENAI_API_KEY=${KEY}\n`, other: OTHER })}');`,
  );
  return h;
}

/** As measured: Codex writes the command's raw output to its rollout too. */
function rolloutLine(): string {
  return `${JSON.stringify({ type: 'event_msg', payload: { type: 'exec_command_end', aggregated_output: `OPENAI_API_KEY=${KEY}\n` } })}\n`;
}

function sqlite(db: string, sql: string): string {
  return spawnSync('sqlite3', [db, sql], { encoding: 'utf8' }).stdout.trim();
}

describe.skipIf(!HAS_SQLITE3)('a blocked tool output is redacted in Codex’s database, which Codex holds open', () => {
  it('rows, free pages and WAL frames: no file holds the key; the index, other keys and the open connection stay good', async () => {
    const p = place();
    const codex = await codexDatabase(p);
    // the key is in the WAL (the holder never checkpointed) and, through the deleted row, in free space
    expect(holding(p.codexHome, KEY)).toContain(`${p.db}-wal`);
    expect(hook(postTool(p, `OPENAI_API_KEY=${KEY}\n`), p).stdout).toMatch(/"decision":"block"/);
    writeFileSync(p.rollout, rolloutLine());
    expect(records(p)).toHaveLength(1);

    expect(hook(stop(p), p)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(holding(p.home, KEY)).toEqual([]);
    expect(records(p)).toEqual([]);
    // Codex's connection, open throughout, reads the redacted row and goes on writing
    expect(await codex.run(`SELECT json_extract(item_json, '$.aggregatedOutput') FROM thread_items WHERE item_id = 'out';`)).toBe(
      `OPENAI_API_KEY=${redactionMarker(KEY)}`,
    );
    await codex.run(`INSERT INTO thread_items VALUES ('t', 'later', '{"text":"a later item"}');`);
    expect(await codex.run('SELECT count(*) FROM thread_items;')).toBe('3');
    await codex.close();
    expect(sqlite(p.db, 'PRAGMA integrity_check;')).toBe('ok');
    // a key that was not blocked is not touched
    expect(sqlite(p.db, `SELECT instr(item_json, '${OTHER}') > 0 FROM thread_items WHERE item_id = 'out';`)).toBe('1');
  });

  it('a write lock held past the busy timeout: nothing changes, the record stays, and the next prompt redacts', async () => {
    const p = place();
    const codex = await codexDatabase(p);
    hook(postTool(p, `OPENAI_API_KEY=${KEY}\n`), p);
    writeFileSync(p.rollout, rolloutLine());
    await codex.run(`BEGIN IMMEDIATE; INSERT INTO thread_items VALUES ('t', 'writing', '{}');`);

    const stopped = hook(stop(p), p);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toBe('');
    expect(stopped.stderr).toMatch(/could not redact a blocked key in .*thread_history_1\.sqlite: sqlite3 could not redact it \(nothing changed/);
    expect(holding(p.codexHome, KEY).length).toBeGreaterThan(0);
    expect(records(p)).toHaveLength(1);

    await codex.run('COMMIT;');
    expect(hook(prompt(p, 'go on'), p)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(holding(p.home, KEY)).toEqual([]);
    expect(records(p)).toEqual([]);
    expect(await codex.run('SELECT count(*) FROM thread_items;')).toBe('3');
    await codex.close();
    expect(sqlite(p.db, 'PRAGMA integrity_check;')).toBe('ok');
  });
});

describe('without the sqlite3 program', () => {
  it.skipIf(!HAS_SQLITE3)('the transcript is redacted, the database is left as it is and the user is told', async () => {
    const p = place();
    const codex = await codexDatabase(p);
    await codex.close();
    hook(postTool(p, `OPENAI_API_KEY=${KEY}\n`), p);
    writeFileSync(p.rollout, rolloutLine());
    const before = readFileSync(p.db);
    const r = hook(stop(p), { ...p, env: { ...p.env, PATH: join(p.home, 'no-such-bin') } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`could not redact a blocked key in ${p.db}: no sqlite3 program is installed`);
    expect(readFileSync(p.rollout, 'utf8')).not.toContain(KEY);
    expect(readFileSync(p.db).equals(before)).toBe(true);
  });
});

describe('records a session left behind are pruned at any session’s next event', () => {
  /** A record as addRecord writes it, dated `ageMs` ago. */
  function leftover(p: Place, session: string, ageMs: number, transcript?: string): string {
    const dir = sessionDir(p.state, 'codex', session);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const at = Date.now() - ageMs;
    const name = `${String(at).padStart(15, '0')}-0123456789ab.json`;
    const record = { version: 1, agent: 'codex', sessionId: session, fingerprints: [fingerprint(KEY)], files: [], at: new Date(at).toISOString(), transcript };
    writeFileSync(join(dir, name), `${JSON.stringify(record)}\n`, { mode: 0o600 });
    return join(dir, name);
  }

  it('older than 7 days, or its transcript gone after the grace hour: dropped; the others stay', () => {
    const p = place();
    const live = join(p.home, 'live.jsonl');
    writeFileSync(live, '{}\n');
    const old = leftover(p, 'killed-a-week-ago', MAX_RECORD_AGE_MS + 60_000, live);
    const gone = leftover(p, 'transcript-deleted', 2 * 3600_000, join(p.home, 'deleted.jsonl'));
    const young = leftover(p, 'transcript-not-yet-written', 60_000, join(p.home, 'not-yet.jsonl'));
    const kept = leftover(p, 'still-running', 2 * 3600_000, live);

    // a clean prompt of another session: the reply is unchanged
    expect(hook(prompt(p, 'hello', 'a-new-session'), p)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(existsSync(old)).toBe(false);
    expect(existsSync(gone)).toBe(false);
    expect(existsSync(young)).toBe(true);
    expect(existsSync(kept)).toBe(true);
    // the emptied session folders go too
    expect(readdirSync(p.state)).toHaveLength(2);
  });

  it('a session’s own records are not pruned by its own event: they are cleaned', () => {
    const p = place();
    hook(prompt(p, `use ${KEY}`), p);
    writeFileSync(p.rollout, `${JSON.stringify({ text: `use ${KEY}` })}\n`);
    expect(records(p)).toHaveLength(1);
    expect(hook(stop(p), p)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(p.rollout, 'utf8')).toContain(redactionMarker(KEY));
  });
});

describe('Codex’s SessionEnd (3 s): a large transcript is redacted after the hook answers', () => {
  it('the hook answers at once; a detached keyguard redacts the key and drops the record', async () => {
    const p = place();
    hook(prompt(p, `use ${KEY}`), p);
    // 12 MB of lines dense with other keys, the slow case for the engine, with the blocked key in the middle
    const others = Array.from({ length: 20 }, (_, i) => keyFor('project_164', 1600 + i));
    const lines = Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ n: i, text: `${'x'.repeat(300)} ${others[i % 20]}` }));
    lines.splice(15_000, 0, JSON.stringify({ text: `use ${KEY}` }));
    writeFileSync(p.rollout, `${lines.join('\n')}\n`);
    expect(statSync(p.rollout).size).toBeGreaterThan(SESSION_END_INLINE_BYTES);

    const started = Date.now();
    const ended = hook({ ...base(p), hook_event_name: 'SessionEnd', reason: 'other' }, p);
    expect(ended).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(Date.now() - started).toBeLessThan(3000);
    // not redacted yet when the hook answered: the work was handed on (inline, this file takes seconds)
    expect(readFileSync(p.rollout, 'utf8')).toContain(KEY);
    expect(records(p)).toHaveLength(1);
    for (let i = 0; i < 600 && records(p).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(records(p)).toEqual([]);
    const after = readFileSync(p.rollout, 'utf8');
    expect(after).not.toContain(KEY);
    expect(after).toContain(redactionMarker(KEY));
    expect(after).toContain(others[3]);
  }, 60_000);
});

describe('install --codex: SessionEnd gets the timeout Codex applies', () => {
  it('3 s for SessionEnd (Codex clamps it to 1–3), 30 for the others; the trust hash is the one a 30 s guard had', async () => {
    const home = tempDir('kg-sqlite-home-');
    const e = gitEnv({ HOME: home, OPENAI_API_KEY: '', CODEX_API_KEY: '' });
    writeFiles(home, { '.codex/config.toml': 'model = "gpt-5.5"\n' });
    await runMain(['install', '--codex'], { cwd: home, env: e });
    const t = parseToml(readFileSync(join(home, '.codex/config.toml'), 'utf8')) as { hooks: Record<string, { hooks: { timeout: number }[] }[]> };
    expect(t.hooks.SessionEnd?.[0]?.hooks[0]?.timeout).toBe(3);
    for (const event of ['UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop']) expect(t.hooks[event]?.[0]?.hooks[0]?.timeout).toBe(30);
    const command = 'keyguard hook codex';
    expect(hookHash('SessionEnd', undefined, { command, timeout: 3 })).toBe(hookHash('SessionEnd', undefined, { command, timeout: 30 }));
  });
});
