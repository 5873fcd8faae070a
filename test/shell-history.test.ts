// Every history format's quirks, read through the format registry (as `keyguard scan FILE` does):
// the key is found, and reported at its physical line and column with the entry's start and time.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScanContext } from '../src/scan/context.js';
import { scanned } from './helpers/scan.js';
import { filesSource } from '../src/sources/files/source.js';
import { fishUnescape, nushellUnescape, unmetafy, unvis } from '../src/sources/shell-history/escapes.js';
import type { Finding } from '../src/types.js';
import { keyFor } from './helpers/keys.js';
import { tempDir, writeFiles } from './helpers/tmp.js';

const K1 = keyFor('project_164', 61);
const K2 = keyFor('svcacct_167', 62);
const K3 = keyFor('legacy_user_51', 63);

async function scan(files: Record<string, string | Buffer>, path = Object.keys(files)[0]!): Promise<{ findings: Finding[]; errors: string[] }> {
  const dir = tempDir();
  writeFiles(dir, files);
  const ctx = new ScanContext();
  const { findings, summary } = await scanned(filesSource({ paths: [path], cwd: dir, env: process.env, ignoreRoot: dir }), ctx);
  return { findings, errors: summary.errors.map((e) => e.message) };
}

/** [secret, line, column, details] per finding. */
function where(findings: readonly Finding[]): [string, number, number, Record<string, unknown> | undefined][] {
  return findings.map((f) => [f.secret, f.location.line, f.location.column, f.location.details]);
}

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('bash', () => {
  it('#epoch lines time the entry; a multi-line entry runs to the next marker', async () => {
    const text = `ls\n#1700000000\necho one\n#1700000100\ncat <<EOF\nOPENAI_API_KEY=${K1}\nEOF\n#1700000200\nexport K=${K2}\n`;
    const { findings } = await scan({ '.bash_history': text });
    expect(where(findings)).toEqual([
      [K1, 6, 16, { entryLine: 5, time: '2023-11-14T22:15:00.000Z' }],
      [K2, 9, 10, { entryLine: 9, time: '2023-11-14T22:16:40.000Z' }],
    ]);
    expect(findings.every((f) => f.kind === 'shell-history')).toBe(true);
  });

  it('invalid UTF-8 and NUL blocks (a crash) do not hide the key; columns count characters', async () => {
    const { findings } = await scan({
      '.bash_history': Buffer.concat([latin1('caf\xe9 \xff\xfe '), Buffer.from(`é ${K3}\n`), Buffer.alloc(64), latin1(`\nexport X=${K1}\n`)]),
    });
    expect(where(findings).map((w) => w.slice(0, 3))).toEqual([
      [K3, 1, 11],
      [K1, 3, 10],
    ]);
  });
});

describe('zsh', () => {
  it('extended history, a key on a continuation line, metafied bytes before it', async () => {
    const text = latin1(
      `: 1700000000:0;echo hi\n: 1700000001:5;curl -X POST \\\n  -H "Authorization: Bearer ${K1}" \\\n  https://api.openai.com\n: 1700000002:0;echo \x83\xa3\x83\xa2 ${K2}\n`,
    );
    const { findings } = await scan({ '.zsh_history': text });
    expect(where(findings)).toEqual([
      [K1, 3, 29, { entryLine: 2, time: '2023-11-14T22:13:21.000Z' }],
      // the metafied bytes are two characters' worth of invalid UTF-8: 0x83 and 0xA3 are continuation bytes
      [K2, 5, 22, { entryLine: 5, time: '2023-11-14T22:13:22.000Z' }],
    ]);
  });

  it('plain (non-extended) entries and mixed files; the unmetafied text is what gets matched', async () => {
    const { findings } = await scan({ '.zhistory': `echo plain ${K3}\n: 1700000000:0;export A=${K1}\n` });
    expect(where(findings)).toEqual([
      [K3, 1, 12, undefined],
      [K1, 2, 25, { entryLine: 2, time: '2023-11-14T22:13:20.000Z' }],
    ]);
  });

  it.each(['.zsh_history.new', '.zsh_history.LOCK', '.histfile', 'my-zsh-hist'])('%s is read as zsh (by name, or by its extended lines)', async (name) => {
    const { findings } = await scan({ [name]: `: 1700000000:0;a \\\n${K1}\n` });
    expect(where(findings)).toEqual([[K1, 2, 1, { entryLine: 1, time: '2023-11-14T22:13:20.000Z' }]]);
  });
});

describe('fish', () => {
  it('`\\n` glues a letter to the key; when is the entry time; paths are read', async () => {
    const text = `- cmd: echo start\n  when: 1700000000\n- cmd: printf 'a\\\\b'\\nexport OPENAI_API_KEY=${K1}\n  when: 1700000050\n  paths:\n    - /tmp/${K2}\n`;
    const { findings } = await scan({ fish_history: text });
    expect(where(findings)).toEqual([
      [K1, 3, 45, { entryLine: 3, time: '2023-11-14T22:14:10.000Z' }],
      [K2, 6, 12, { entryLine: 3, time: '2023-11-14T22:14:10.000Z' }],
    ]);
  });

  it('a session history file (name_history) starting with - cmd: is fish', async () => {
    const { findings } = await scan({ work_history: `- cmd: k=${K3}\n  when: 1\n` });
    expect(findings[0]?.kind).toBe('shell-history');
    expect(where(findings)[0]?.slice(0, 3)).toEqual([K3, 1, 10]);
  });
});

describe('PowerShell PSReadLine', () => {
  it('backtick continuations (bare LF inside CRLF files), a key followed by the backtick', async () => {
    const text = `Get-Date\r\n$env:OPENAI_API_KEY = "${K1}"\r\nInvoke-RestMethod -Uri x -Headers @{ Authorization = "Bearer ${K2}\`\nfoo" }\r\n`;
    const { findings } = await scan({ 'ConsoleHost_history.txt': text });
    expect(where(findings)).toEqual([
      [K1, 2, 24, undefined],
      [K2, 3, 62, { entryLine: 3 }],
    ]);
  });
});

describe('nushell (text)', () => {
  it('`<\\n>` glues `>` to the key', async () => {
    const { findings } = await scan({ 'history.txt': `ls\nlet x = 1<\\n>$env.OPENAI_API_KEY = "${K1}"\n` });
    expect(where(findings)).toEqual([[K1, 2, 37, undefined]]);
    expect(findings[0]!.kind).toBe('shell-history');
  });
});

describe('python', () => {
  it('readline: one entry per line', async () => {
    const { findings } = await scan({ '.python_history': `import os\nos.environ["OPENAI_API_KEY"] = "${K1}"\n` });
    expect(where(findings)).toEqual([[K1, 2, 33, undefined]]);
    expect(findings[0]!.kind).toBe('repl-history');
  });

  it('3.13 pyrepl: CR LF inside an entry, the key on the entry second line', async () => {
    const { findings } = await scan({ '.python_history': `def f():\r\n    key = "${K1}"\r\n    return key\nprint(1)\n` });
    expect(where(findings)).toEqual([[K1, 2, 12, { entryLine: 1 }]]);
  });

  it('macOS libedit: _HiStOrY_V2_ header, \\040 glues a digit to the key', async () => {
    const { findings } = await scan({ '.python_history': `_HiStOrY_V2_\nimport\\040openai\nopenai.api_key\\040=\\040"${K1}"\n` });
    expect(where(findings)).toEqual([[K1, 3, 25, undefined]]);
  });
});

describe('database clients and other REPLs', () => {
  it('psql: 0x01 stands for the newlines of a multi-line query', async () => {
    const { findings } = await scan({ '.psql_history': `select 1;\ninsert into secrets\x01values ('${K1}');\n` });
    expect(where(findings)).toEqual([[K1, 2, 30, undefined]]);
  });

  it('psql built with libedit: \\040 and \\^A', async () => {
    const { findings } = await scan({ '.psql_history-mydb': `_HiStOrY_V2_\ninsert\\040into\\040t\\^Avalues\\040('${K1}');\n` });
    expect(where(findings)).toEqual([[K1, 2, 35, undefined]]);
  });

  it.each([
    ['.mysql_history', `select 1;\nset @k='${K1}';\n`, 2, 9],
    ['.sqlite_history', `.tables\ninsert into k values('${K1}');\n`, 2, 23],
    ['.node_repl_history', `process.env.OPENAI_API_KEY = '${K1}'\n.exit`, 1, 31],
    ['.lesshst', `.less-history-file:\n.search\n"${K1}\n.shell\n"vim\n`, 3, 2],
  ])('%s', async (name, text, line, column) => {
    const { findings } = await scan({ [name]: text });
    expect(where(findings)).toEqual([[K1, line, column, undefined]]);
    expect(findings[0]!.kind).toBe('repl-history');
  });

  it('irb: the lines of an entry are joined with backslash-newline', async () => {
    const { findings } = await scan({ '.irb_history': `1 + 1\nclient = OpenAI::Client.new(\\\n  access_token: "${K1}")\n` });
    expect(where(findings)).toEqual([[K1, 3, 18, { entryLine: 2 }]]);
  });
});

describe('escape decoders map every unescaped offset back to the raw one', () => {
  it('unmetafy', () => {
    const d = unmetafy('a\x83\xa3b');
    expect(d.text).toBe('a\x83b');
    expect(d.map).toEqual([0, 1, 3, 4]);
  });
  it('fish', () => {
    const d = fishUnescape('a\\\\b\\nc\\t');
    expect(d.text).toBe('a\\b\nc\\t');
    expect(d.map?.[4]).toBe(6);
  });
  it('nushell', () => {
    expect(nushellUnescape('a<\\n>b').text).toBe('a\nb');
    expect(nushellUnescape('a<\\n>b').map).toEqual([0, 1, 5, 6]);
  });
  it('libedit vis', () => {
    expect(unvis('a\\040b\\\\c\\^Id\\M-a\\^A').text).toBe('a b\\c\td\xe1\n');
    expect(unvis('x\\040y').map).toEqual([0, 1, 5, 6]);
  });
});

it('a history named for its format but holding nothing costs no findings and no errors', async () => {
  const { findings, errors } = await scan({ '.zsh_history': ': 1:0;ls\n'.repeat(1000) });
  expect(findings).toEqual([]);
  expect(errors).toEqual([]);
});

it('history.txt without nushell escapes is still read (as plain text)', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'history.txt'), `x ${K1}\n`);
  const { findings } = await scanned(filesSource({ paths: ['history.txt'], cwd: dir, env: process.env, ignoreRoot: dir }), new ScanContext());
  expect(findings.map((f) => [f.secret, f.location.line, f.location.column])).toEqual([[K1, 1, 3]]);
});
