// --fix redacts in place, same length, through the file's own inode: a process appending to the file
// meanwhile loses no line, every hard link is redacted, the owner stays, a read-only file is left
// alone (exit 2), a file rewritten or replaced under us is redone, any size is searched in windows,
// and an export's redacted copy is scanned before it is called clean.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAtomic } from '../src/fix/atomic-rewrite.js';
import { scanFile } from '../src/fix/file-hits.js';
import { redactInPlace } from '../src/fix/in-place.js';
import { KeyTargets, redactKeys, redactionMarker } from '../src/fix/redact-bytes.js';
import { chatHtml, gptConversation, gptJson, jsonl } from './helpers/chat-exports.js';
import { keyFor, rng } from './helpers/keys.js';
import { gitEnv, parseJson, runCli, tempDir, writeFiles, machineEnv } from './helpers/tmp.js';
import { makeZip } from './helpers/zip.js';

const K = (n: number) => keyFor(n % 2 === 0 ? 'project_164' : 'svcacct_167', 900 + n);

const envFor = (home: string) => machineEnv(home, { XDG_DATA_HOME: join(home, 'data') });

/**
 * A writer that keeps `path` open with O_APPEND, as shells and agents do, and appends a line every
 * 2 ms until told to stop; then 20 more, so some surely land after keyguard is done.
 */
const APPENDER = `
const fs = require('node:fs');
const [path, kind] = process.argv.slice(1);
const fd = fs.openSync(path, 'a');
const line = (n) => kind === 'json' ? JSON.stringify({ type: 'event', n, text: 'appended line ' + n }) + '\\n' : 'echo appended-' + n + '\\n';
let i = 0;
let stopAt = -1;
process.stdin.on('data', () => { if (stopAt < 0) stopAt = i + 20; });
const tick = () => {
  fs.writeSync(fd, line(i++));
  if (i === 5) process.stdout.write('ready\\n');
  if (stopAt >= 0 && i >= stopAt) {
    fs.closeSync(fd);
    process.stdout.write('count ' + i + '\\n');
    process.exit(0);
  }
  setTimeout(tick, 2);
};
tick();
`;

function startAppender(path: string, kind: 'text' | 'json') {
  const child = spawn(process.execPath, ['-e', APPENDER, path, kind], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const ready = new Promise<void>((resolve) => child.stdout.on('data', (b: Buffer) => ((out += b.toString()), out.includes('ready') && resolve())));
  const done = new Promise<number>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(Number(/count (\d+)/.exec(out)?.[1])) : reject(new Error(`appender exited ${code}`)))),
  );
  return {
    ready,
    /** tell it to stop; resolves to how many lines it appended */
    stop: () => {
      child.stdin.write('stop\n');
      return done;
    },
  };
}

describe('a process appending to the file while --fix runs loses nothing', () => {
  it('audit --fix on a shell history held open with O_APPEND: every appended line is there, the key is gone', async () => {
    const home = tempDir();
    writeFiles(home, { '.bash_history': `ls\nexport OPENAI_API_KEY=${K(1)}\ncd /tmp\n` });
    const path = join(home, '.bash_history');
    const appender = startAppender(path, 'text');
    await appender.ready;
    const r = runCli(['audit', '--fix', '--format', 'json'], { cwd: home, env: envFor(home) });
    const count = await appender.stop();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/redacted 1 occurrence of 1 key in .*\.bash_history/);
    const after = readFileSync(path, 'utf8');
    expect(after).not.toContain(K(1));
    expect(after.startsWith(`ls\nexport OPENAI_API_KEY=${redactionMarker(K(1))}\ncd /tmp\n`)).toBe(true);
    const appended = after.split('\n').filter((l) => l.startsWith('echo appended-'));
    expect(appended).toEqual(Array.from({ length: count }, (_v, n) => `echo appended-${n}`));
  });

  it('scan --fix on an agent transcript being written: every line is there and valid JSON, the key is gone', async () => {
    const home = tempDir();
    const rel = '.codex/sessions/2025/01/02/rollout-2025-01-02T10-00-00-0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000.jsonl';
    writeFiles(home, {
      [rel]: jsonl([
        { timestamp: '2025-01-02T10:00:00.000Z', type: 'session_meta', payload: { id: 's-1', cwd: '/w' } },
        { timestamp: '2025-01-02T10:00:01.000Z', type: 'event_msg', payload: { type: 'user_message', message: `key ${K(2)}` } },
      ]),
    });
    const path = join(home, rel);
    const appender = startAppender(path, 'json');
    await appender.ready;
    const env = gitEnv({ HOME: home, XDG_DATA_HOME: '', OPENAI_API_KEY: '', CODEX_API_KEY: '' });
    const r = runCli(['scan', '--fix', '--format', 'json', rel], { cwd: home, env });
    const count = await appender.stop();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/redacted 1 occurrence of 1 key in .*rollout-.*\.jsonl \(line 2\); every line is still valid JSON/);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.join('\n')).not.toContain(K(2));
    const records = lines.map((l) => JSON.parse(l) as { n?: number; payload?: { message?: string } });
    expect(records[1]!.payload!.message).toBe(`key ${redactionMarker(K(2))}`);
    expect(records.slice(2).map((x) => x.n)).toEqual(Array.from({ length: count }, (_v, n) => n));
  });
});

describe('the file itself is redacted: links, owner, mode', () => {
  it('a hard link elsewhere is clean too; the inode, mode and owner stay', () => {
    const home = tempDir();
    writeFiles(home, { '.bash_history': `export OPENAI_API_KEY=${K(3)}\nls\n`, 'sync/keep': '' });
    const path = join(home, '.bash_history');
    const other = join(home, 'sync', 'bash_history.link');
    linkSync(path, other);
    chmodSync(path, 0o640);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(path, 1234, 1235);
    const before = statSync(path);
    const r = runCli(['audit', '--fix'], { cwd: home, env: envFor(home) });
    expect(readFileSync(other, 'utf8')).toBe(`export OPENAI_API_KEY=${redactionMarker(K(3))}\nls\n`);
    expect(r.stderr).toContain('the file has 2 hard links: all of them are redacted');
    const after = statSync(path);
    expect([after.ino, after.mode & 0o7777, after.uid, after.gid, after.nlink]).toEqual([before.ino, 0o640, before.uid, before.gid, 2]);
    if (asRoot) expect([after.uid, after.gid]).toEqual([1234, 1235]);
  });

  it('a read-only file (0400) is not rewritten: reported as not fixed, with the reason, exit 2', () => {
    const home = tempDir();
    const content = `export OPENAI_API_KEY=${K(4)}\n`;
    writeFiles(home, { '.bash_history': content });
    const path = join(home, '.bash_history');
    chmodSync(path, 0o400);
    const r = runCli(['audit', '--fix', '--format', 'json'], { cwd: home, env: envFor(home) });
    expect(r.code).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe(content);
    expect(statSync(path).mode & 0o777).toBe(0o400);
    const errors = parseJson<{ summary: { errors: { path: string; message: string }[] } }>(r).summary.errors;
    expect(errors.map((e) => e.message).join('\n')).toMatch(/could not redact: .*\.bash_history is read-only \(mode 0400\): not redacted/);
    expect(r.stderr).not.toMatch(/redacted 1 occurrence/);
    const dry = runCli(['audit', '--fix', '--dry-run'], { cwd: home, env: envFor(home) });
    expect(dry.stdout).toMatch(/would not redact 1 key: .*\.bash_history is read-only \(mode 0400\)/);
  });

  it.skipIf(process.getuid?.() !== 0)('the one path that still renames (hook files keyguard rewrites) keeps the owner', async () => {
    const path = join(tempDir(), '.pre-commit-config.yaml');
    writeFileSync(path, 'repos: []\n');
    chownSync(path, 1234, 1235);
    chmodSync(path, 0o640);
    await writeAtomic(path, 'repos:\n  - repo: local\n');
    const st = statSync(path);
    expect([st.uid, st.gid, st.mode & 0o777]).toEqual([1234, 1235, 0o640]);
    expect(readFileSync(path, 'utf8')).toBe('repos:\n  - repo: local\n');
  });
});

describe('a file that changes under the redaction', () => {
  it('rewritten (truncated, new content) between the search and the write: the bytes are checked, the search redone', async () => {
    const path = join(tempDir(), '.bash_history');
    writeFileSync(path, `k=${K(5)}\n`);
    let calls = 0;
    const result = await redactInPlace(path, new KeyTargets(new Set([K(5)])), {
      backup: false,
      // bash `history -w`: same inode, truncated and written again; the key now sits elsewhere
      hooks: { afterScan: () => calls++ === 0 && writeFileSync(path, `new entry\nk=${K(5)}\nls\n`) },
    });
    expect(result.retries).toBe(1);
    expect(readFileSync(path, 'utf8')).toBe(`new entry\nk=${redactionMarker(K(5))}\nls\n`);
  });

  it('replaced by a new file meanwhile (zsh HIST_SAVE_BY_COPY): the new file is redacted too', async () => {
    const dir = tempDir();
    const path = join(dir, '.zsh_history');
    writeFileSync(path, `: 1:0;k=${K(6)}\n`);
    let calls = 0;
    const result = await redactInPlace(path, new KeyTargets(new Set([K(6)])), {
      backup: false,
      hooks: {
        afterScan: () => {
          if (calls++ !== 0) return;
          writeFileSync(join(dir, '.zsh_history.new'), `: 1:0;k=${K(6)}\n: 2:0;ls\n`);
          renameSync(join(dir, '.zsh_history.new'), path);
        },
      },
    });
    expect(result.replaced).toBe(true);
    expect(result.count).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe(`: 1:0;k=${redactionMarker(K(6))}\n: 2:0;ls\n`);
  });
});

describe('any size, any encoding, in windows', () => {
  it('keys across window cuts, in long lines and without any newline, are all found once (same result as the whole-buffer transform)', async () => {
    const next = rng(77);
    const keys = [K(7), K(8), K(9)];
    const parts: string[] = [];
    for (let i = 0; i < 400; i++) {
      const filler = 'a'.repeat(Math.floor(next() * 3000));
      parts.push(filler, next() < 0.5 ? '\n' : ' ', keys[i % 3]!, next() < 0.3 ? '' : '\n');
    }
    const text = parts.join('');
    const noNewline = text.replace(/\n/g, ' ');
    for (const content of [text, noNewline]) {
      const path = join(tempDir(), 'h');
      writeFileSync(path, content);
      const targets = new KeyTargets(new Set(keys));
      const fh = await open(path, 'r');
      const scan = await scanFile(fh, targets, { window: 4096 });
      await fh.close();
      expect(scan.hits).toHaveLength(400);
      expect(scan.hits.map((h) => h.line)).toEqual(scan.hits.map((h) => content.slice(0, h.at).split('\n').length));
      const result = await redactInPlace(path, targets, { backup: false, window: 4096 });
      expect(result.count).toBe(400);
      expect(readFileSync(path).equals(redactKeys(Buffer.from(content), new Set(keys))!.content)).toBe(true);
    }
  });

  it('UTF-16 text (LE with BOM, BE) is redacted in its own encoding, same length', async () => {
    const dir = tempDir();
    for (const [name, encode] of [
      ['le', (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')])],
      ['be', (s: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()])],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, encode(`$env:OPENAI_API_KEY = "${K(10)}"\r\nGet-Date\r\n`));
      const result = await redactInPlace(path, new KeyTargets(new Set([K(10)])), { backup: false });
      expect(result.count).toBe(1);
      expect(readFileSync(path).equals(encode(`$env:OPENAI_API_KEY = "${redactionMarker(K(10))}"\r\nGet-Date\r\n`))).toBe(true);
    }
  });

  it('the marker is never a key: it has the key length, key characters only, and a scan of it finds nothing', () => {
    const home = tempDir();
    const keys = [K(11), K(12), keyFor('legacy_user_51', 5), keyFor('session_45', 6)];
    for (const k of keys) {
      const m = redactionMarker(k);
      expect(m).toHaveLength(k.length);
      expect(m).toMatch(/^REDACTED-[0-9a-f]{8}x*$/);
    }
    writeFiles(home, { 'notes.txt': keys.map((k) => `OPENAI_API_KEY=${redactionMarker(k)}\n"${redactionMarker(k)}"\n`).join('') });
    const r = runCli(['scan', '--format', 'json', 'notes.txt'], { cwd: home, env: envFor(home) });
    expect(r.code).toBe(0);
  });
});

describe('an export: the redacted copy is scanned before it is called clean', () => {
  const conversation = (text: string) =>
    gptConversation('conv-1', 'env help', [
      { id: 'r', parent: null },
      { id: 'u', parent: 'r', role: 'user', text },
    ]);

  it('a UTF-16 member is redacted in its own encoding; a rescan of the copy is clean', () => {
    const dir = tempDir();
    const c = conversation(`OPENAI_API_KEY=${K(13)}`);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`notes\r\nkey: ${K(14)}\r\n`, 'utf16le')]);
    writeFileSync(
      join(dir, 'export.zip'),
      makeZip([
        { name: 'conversations.json', data: gptJson([c]) },
        { name: 'chat.html', data: chatHtml([c]) },
        { name: 'notes-utf16.txt', data: utf16 },
      ]),
    );
    const r = runCli(['scan', '--fix', '--format', 'json', 'export.zip'], { cwd: dir, env: envFor(dir) });
    expect(r.code, r.stderr).toBe(1);
    expect(parseJson(r).findings.map((f) => f.path)).toContain('export.zip!notes-utf16.txt');
    expect(r.stderr).toMatch(/wrote a redacted copy .* \(3 occurrences of 2 keys replaced\)/);
    expect(r.stderr).not.toContain('NOT REDACTED');
    const again = runCli(['scan', '--format', 'json', 'export.redacted.zip'], { cwd: dir, env: envFor(dir) });
    expect(again.code).toBe(0);
    expect(parseJson(again).summary.files).toBe(3);
  });

  it('a member keyguard cannot rewrite (a base64-encoded key) is named, and the run fails (exit 2)', () => {
    const dir = tempDir();
    const c = conversation(`OPENAI_API_KEY=${K(15)}`);
    const encoded = Buffer.from(`OPENAI_API_KEY=${K(16)}\nOTHER=1\n`).toString('base64');
    writeFileSync(
      join(dir, 'export.zip'),
      makeZip([
        { name: 'conversations.json', data: gptJson([c]) },
        { name: 'files/secret.env.b64', data: `data: ${encoded}\n` },
      ]),
    );
    const r = runCli(['scan', '--fix', '--format', 'json', 'export.zip'], { cwd: dir, env: envFor(dir) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/NOT REDACTED: .*export\.redacted\.zip still holds a key in files\/secret\.env\.b64/);
    expect(r.stderr).not.toContain('in conversations.json');
    const errors = parseJson<{ summary: { errors: { message: string }[] } }>(r)
      .summary.errors.map((e) => e.message)
      .join('\n');
    expect(errors).toMatch(/could not redact: the redacted copy still holds a key: .*export\.redacted\.zip in files\/secret\.env\.b64/);
  });
});

describe('the old rename path is gone for user files', () => {
  it('a fix keeps the inode even when nothing else holds the file (no temp file, no rename)', () => {
    const home = tempDir();
    // a history (profiles change length when their key moves out: they are renamed into place, test/profile.fix.test.ts)
    writeFiles(home, { '.zsh_history': `: 1:0;export OPENAI_API_KEY="${K(17)}"\n` });
    const ino = statSync(join(home, '.zsh_history')).ino;
    const r = runCli(['audit', '--fix', '--no-backup'], { cwd: home, env: envFor(home) });
    expect(r.stderr).toContain('redacted 1 occurrence');
    expect(statSync(join(home, '.zsh_history')).ino).toBe(ino);
    expect(spawnSync('ls', ['-a', home], { encoding: 'utf8' }).stdout).not.toContain('.tmp');
  });
});

describe('a history inside an archive', () => {
  it("is not rewritten in place (the bytes are the archive's): the zip stays as it was and the user is told", async () => {
    const dir = tempDir();
    const key = keyFor('project_164', 931);
    const zip = makeZip([{ name: '.bash_history', data: `ls\nexport OPENAI_API_KEY=${key}\n`, deflate: false }]);
    writeFileSync(join(dir, 'old-home.zip'), zip);
    const r = runCli(['audit', '--fix', '--no-backup', 'old-home.zip'], { cwd: dir, env: gitEnv({ HOME: dir, OPENAI_API_KEY: '', CODEX_API_KEY: '' }) });
    expect(readFileSync(join(dir, 'old-home.zip')).equals(zip)).toBe(true);
    expect(r.stderr).toMatch(/--fix does not rewrite .*old-home\.zip: edit it by hand/);
    expect(r.stderr).not.toMatch(/redacted 1 occurrence/);
  });
});
