// `keyguard audit --fix`: redaction in place that keeps every format valid, backups, dry runs,
// symbolic links, databases left alone, and a file that changes while it is being rewritten.
import { appendFileSync, chmodSync, existsSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { redactKeys, redactionMarker } from '../src/fix/redact-bytes.js';
import { fingerprint } from '../src/engine/fingerprint.js';
import { redactInPlace } from '../src/fix/in-place.js';
import { KeyTargets } from '../src/fix/redact-bytes.js';
import { keyFor } from './helpers/keys.js';
import { parseJson, runCli, tempDir, writeFiles, machineEnv } from './helpers/tmp.js';

const K = Array.from({ length: 12 }, (_v, i) => keyFor(i % 3 === 0 ? 'project_164' : i % 3 === 1 ? 'legacy_user_51' : 'admin_133', 300 + i));

const envFor = (home: string, extra: NodeJS.ProcessEnv = {}) => machineEnv(home, { XDG_DATA_HOME: join(home, 'data'), ...extra });

function audit(home: string, args: string[], extra: NodeJS.ProcessEnv = {}) {
  return runCli(['audit', ...args], { cwd: home, env: envFor(home, extra) });
}

const FILES = (): Record<string, string> => ({
  '.zsh_history': `: 1700000000:0;ls\n: 1700000001:0;curl \\\n  -H "Bearer ${K[0]}" \\\n  x\n: 1700000002:0;echo ${K[1]} again ${K[1]}\n`,
  '.bash_history': `#1700000000\nexport OPENAI_API_KEY=${K[2]}\n#1700000001\nls\n`,
  'data/fish/fish_history': `- cmd: echo a\\nk=${K[3]}\n  when: 1700000000\n- cmd: ls\n  when: 1700000001\n`,
  'data/powershell/PSReadLine/ConsoleHost_history.txt': `$env:OPENAI_API_KEY = "${K[4]}\`\nx"\r\nGet-Date\r\n`,
  '.python_history': `_HiStOrY_V2_\nkey\\040=\\040"${K[5]}"\nprint(1)\n`,
  '.psql_history': `insert into t\x01values ('${K[6]}');\nselect 1;\n`,
  '.zshrc': `alias g=git\nexport OPENAI_API_KEY="${K[7]}"\n`,
});

describe('redaction in place', () => {
  it('every key replaced by a marker, every other byte and every entry kept, mode kept; re-audit finds nothing', () => {
    const home = tempDir();
    const files = FILES();
    writeFiles(home, files);
    for (const f of Object.keys(files)) chmodSync(join(home, f), 0o640);
    const r = audit(home, ['--fix', '--format', 'json']);
    expect(r.code).toBe(1);
    for (const [f, before] of Object.entries(files)) {
      const after = readFileSync(join(home, f), 'latin1');
      let expected = before;
      for (const k of K) expected = expected.split(k).join(redactionMarker(k));
      // a profile's key is moved out and read at run time, not redacted (test/profile.fix.test.ts)
      if (f === '.zshrc') expected = before.replace(`"${K[7]}"`, `"$(cat ${join(home, 'data/keyguard/secrets/OPENAI_API_KEY')})"`);
      expect(after, f).toBe(expected);
      expect(statSync(join(home, f)).mode & 0o777, f).toBe(0o640);
    }
    expect(readFileSync(join(home, '.zsh_history'), 'latin1')).toContain(`REDACTED-${fingerprint(K[0]!).slice(0, 8)}`);
    const again = parseJson<{ findings: unknown[] }>(audit(home, ['--format', 'json']));
    expect(again.findings).toEqual([]);
    expect(r.stderr).toMatch(/redacted 3 occurrences of 2 keys in .*\.zsh_history \(lines 3, 5\)/);
    expect(r.stderr).toContain('running shells and REPLs keep their history in memory');
    expect(r.stderr).toContain('history -c');
    expect(r.stderr).toContain('fc -p');
  });

  it('backups: 0600, in keyguard data directory, named in the output with the advice to delete them', () => {
    const home = tempDir();
    writeFiles(home, { '.bash_history': `k=${K[0]}\n` });
    const r = audit(home, ['--fix']);
    const dir = join(home, 'data', 'keyguard', 'backups');
    const backups = readdirSync(dir);
    expect(backups).toHaveLength(1);
    const backup = join(dir, backups[0]!);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    expect(readFileSync(backup, 'utf8')).toBe(`k=${K[0]}\n`);
    expect(r.stderr).toContain(`backed up (mode 0600) at ${backup}; it still holds the key: check the result, then delete it: rm ${backup}`);
  });

  it('--no-backup keeps none; --dry-run changes nothing and says what it would do', () => {
    const home = tempDir();
    writeFiles(home, { '.bash_history': `k=${K[0]}\n` });
    const dry = audit(home, ['--fix', '--dry-run']);
    expect(readFileSync(join(home, '.bash_history'), 'utf8')).toBe(`k=${K[0]}\n`);
    // the text dry run's plan is its report, on stdout (issue 15)
    expect(dry.stdout).toMatch(/would redact 1 occurrence of 1 key in .*\.bash_history \(line 1\)/);
    expect(dry.stderr).not.toContain('running shells');
    audit(home, ['--fix', '--no-backup']);
    expect(readFileSync(join(home, '.bash_history'), 'utf8')).toBe(`k=${redactionMarker(K[0]!)}\n`);
    expect(existsSync(join(home, 'data', 'keyguard'))).toBe(false);
  });

  it('a symbolic link: the target is rewritten, the link stays a link', () => {
    const home = tempDir();
    writeFiles(home, { 'sync/zsh_history': `: 1:0;k=${K[0]}\n` });
    symlinkSync(join(home, 'sync/zsh_history'), join(home, '.zsh_history'));
    audit(home, ['--fix', '--no-backup']);
    expect(lstatSync(join(home, '.zsh_history')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(home, 'sync/zsh_history'), 'utf8')).toBe(`: 1:0;k=${redactionMarker(K[0]!)}\n`);
  });

  it('a key allowed with keyguard:allow is left alone', () => {
    const home = tempDir();
    writeFiles(home, { '.bash_history': `k=${K[0]} # keyguard:allow\nk=${K[1]}\n` });
    audit(home, ['--fix', '--no-backup']);
    expect(readFileSync(join(home, '.bash_history'), 'utf8')).toBe(`k=${K[0]} # keyguard:allow\nk=${redactionMarker(K[1]!)}\n`);
  });
});

describe('history databases are never rewritten', () => {
  it('atuin: the database is byte-for-byte unchanged; the atuin command and the sqlite3 statement by row id are printed', async () => {
    const home = tempDir();
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run(
      'CREATE TABLE history (id text primary key, timestamp integer not null, duration integer not null, exit integer not null, command text not null, cwd text not null, session text not null, hostname text not null, deleted_at integer)',
    );
    for (let i = 1; i <= 4; i++)
      db.run('INSERT INTO history VALUES (?,?,?,?,?,?,?,?,?)', [`id${i}`, i, 1, 0, i === 3 ? `export OPENAI_API_KEY=${K[0]}` : `ls ${i}`, '/', 's', 'h', null]);
    const path = join(home, 'data/atuin/history.db');
    writeFiles(home, { 'data/atuin/history.db': Buffer.from(db.export()) });
    const before = readFileSync(path);
    const r = audit(home, ['--fix']);
    expect(r.code).toBe(1);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(r.stderr).toContain('atuin search --delete --search-mode full-text --filter-mode global -- T3BlbkFJ');
    expect(r.stderr).toContain(`sqlite3 ${path} "DELETE FROM history WHERE rowid IN (3); PRAGMA wal_checkpoint(TRUNCATE); VACUUM;"`);
    expect(r.stderr).not.toContain(K[0]);
  });
});

describe('a file that changes while it is rewritten', () => {
  it('the search is redone on what was appended meanwhile: the entry a shell just wrote is kept, and its key redacted', async () => {
    const dir = tempDir();
    const path = join(dir, '.bash_history');
    writeFileSync(path, `k=${K[0]}\nls\n`);
    let calls = 0;
    const result = await redactInPlace(path, new KeyTargets(new Set([K[0]!])), {
      backup: false,
      hooks: { afterScan: () => calls++ === 0 && appendFileSync(path, `echo just written\nk2=${K[0]}\n`) },
    });
    expect(result.count).toBe(2);
    const m = redactionMarker(K[0]!);
    expect(readFileSync(path, 'utf8')).toBe(`k=${m}\nls\necho just written\nk2=${m}\n`);
  });

  it('redactKeys is a pure function of the bytes (same input, same output; nothing to do → undefined)', () => {
    const input = Buffer.from(`a ${K[0]} b ${K[1]} ${K[0]}\n`);
    const set = new Set([K[0]!, K[1]!]);
    const one = redactKeys(input, set);
    expect(one?.count).toBe(3);
    expect(redactKeys(input, set)?.content.equals(one!.content)).toBe(true);
    expect(redactKeys(one!.content, set)).toBeUndefined();
    const b64 = Buffer.from(`data: ${Buffer.from(K[0]!).toString('base64')}\n`);
    const encoded = Buffer.from(K[0]!).toString('base64');
    expect(redactKeys(b64, set, true)?.content.toString()).toBe(`data: ${redactionMarker(K[0]!, encoded.length)}\n`);
    // same length as what it replaces: the marker, then `x` up to the length
    expect(redactionMarker(K[0]!, encoded.length)).toMatch(new RegExp(`^REDACTED-[0-9a-f]{8}x{${encoded.length - 17}}$`));
  });
});
