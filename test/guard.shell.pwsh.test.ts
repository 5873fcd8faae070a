// `keyguard install --shell pwsh`: PowerShell's $PROFILE gets a PSReadLine AddToHistoryHandler that
// skips lines holding a key and asks the handler set before it about every other line. The profile
// keeps its encoding byte for byte (LF, CRLF, UTF-8 with BOM, UTF-16 LE/BE as Windows PowerShell
// writes it). The pattern is checked with JavaScript's RegExp: the snippet uses only syntax that
// means the same in .NET (literals, ASCII classes, {n}), and -cmatch, which like a JavaScript
// RegExp without the `i` flag is case-sensitive. A real PowerShell runs only where one is installed.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HookError } from '../src/errors.js';
import { BLOCK_BEGIN } from '../src/guard/shell/profile-block.js';
import { profileText } from '../src/guard/shell/profile-encoding.js';
import { defaultPwshProfile, pwshProfiles } from '../src/guard/shell/powershell.js';
import { PWSH_PATTERN, pwshSnippet } from '../src/guard/shell/snippets.js';
import { FAMILIES, keyFor, MARKER } from './helpers/keys.js';
import { runMain } from './helpers/main.js';
import { typeInShell, which } from './helpers/pty-shell.js';
import { tempDir } from './helpers/tmp.js';

function home(): { dir: string; env: NodeJS.ProcessEnv; profile: string } {
  const dir = tempDir('kg-pwsh-home-');
  // no PowerShell on this PATH: the profile is the default one, never asked of a real pwsh
  return { dir, env: { PATH: '/nonexistent', HOME: dir, LANG: 'C.UTF-8' }, profile: join(dir, '.config', 'powershell', 'Microsoft.PowerShell_profile.ps1') };
}

function backups(dir: string): string[] {
  const b = join(dir, '.local', 'share', 'keyguard', 'backups');
  return existsSync(b) ? readdirSync(b) : [];
}

const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]);
const USER = '# my profile — é ✓\r\nSet-Alias ll Get-ChildItem\r\n$env:EDITOR = "code"';

const PROFILES: Record<string, { bytes: Buffer; decode: (b: Buffer) => string }> = {
  LF: { bytes: Buffer.from('Set-Alias ll Get-ChildItem\nImport-Module posh-git\n'), decode: (b) => b.toString('latin1') },
  'CRLF, no final newline': { bytes: Buffer.from('Set-Alias ll Get-ChildItem\r\nImport-Module posh-git\r\n$x = 1'), decode: (b) => b.toString('latin1') },
  'UTF-8 with BOM': { bytes: Buffer.from(`\ufeff${USER}\r\n`, 'utf8'), decode: (b) => b.toString('utf8') },
  'UTF-16 LE with BOM (Windows PowerShell)': { bytes: utf16le(`${USER}\r\n`), decode: (b) => b.subarray(2).toString('utf16le') },
  'UTF-16 BE with BOM': { bytes: utf16be(USER), decode: (b) => Buffer.from(b.subarray(2)).swap16().toString('utf16le') },
};

describe('keyguard install --shell pwsh / uninstall --shell pwsh', () => {
  for (const [name, { bytes, decode }] of Object.entries(PROFILES)) {
    it(`adds the block once, in the profile's own encoding, and uninstall gives back the exact bytes (${name})`, async () => {
      const h = home();
      mkdirSync(join(h.dir, '.config', 'powershell'), { recursive: true });
      writeFileSync(h.profile, bytes);
      const first = await runMain(['install', '--shell', 'pwsh'], { cwd: h.dir, env: h.env });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/pwsh: history guard installed in ~\/\.config\/powershell\/Microsoft\.PowerShell_profile\.ps1 \(backup: /);
      expect(first.stdout).toMatch(/pwsh is not on PATH here/);
      expect(first.stdout).toMatch(/PSReadLine 2\.0 or later/);
      expect(backups(h.dir)).toHaveLength(1);
      const installed = readFileSync(h.profile);
      expect(installed.subarray(0, 3).equals(bytes.subarray(0, 3))).toBe(true); // the BOM (or the first bytes) as they were
      const text = decode(installed);
      const eol = decode(bytes).includes('\r\n') ? '\r\n' : '\n';
      expect(text).toContain(`${BLOCK_BEGIN}${eol}`);
      expect(text).toContain(`Set-PSReadLineOption -AddToHistoryHandler $handler${eol}`);
      expect(text.startsWith(decode(bytes).replace(/(\r?\n)?$/, ''))).toBe(true); // the user's lines first, unchanged
      const second = await runMain(['install', '--shell', 'pwsh'], { cwd: h.dir, env: h.env });
      expect(second.stdout).toMatch(/pwsh: history guard already in .*; nothing changed/);
      expect(readFileSync(h.profile).equals(installed)).toBe(true);
      expect(backups(h.dir)).toHaveLength(1);
      const out = await runMain(['uninstall', '--shell', 'pwsh'], { cwd: h.dir, env: h.env });
      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(/pwsh: history guard removed from ~\/\.config\/powershell\/Microsoft\.PowerShell_profile\.ps1/);
      expect(readFileSync(h.profile).equals(bytes)).toBe(true);
    });
  }

  it('creates a missing profile (and its folder), and uninstall without a list deletes it again', async () => {
    const h = home();
    const r = await runMain(['install', '--shell', 'powershell'], { cwd: h.dir, env: h.env });
    expect(r.code).toBe(0);
    expect(readFileSync(h.profile, 'utf8')).toContain('-cmatch');
    const u = await runMain(['uninstall', '--shell'], { cwd: h.dir, env: h.env });
    expect(u.stdout).toMatch(/pwsh: history guard removed: .* held only keyguard's block, which made it, so it is deleted/);
    expect(existsSync(h.profile)).toBe(false);
  });

  it('honours XDG_CONFIG_HOME, as PowerShell does', async () => {
    const h = home();
    const xdg = join(h.dir, 'xdg');
    const r = await runMain(['install', '--shell', 'pwsh'], { cwd: h.dir, env: { ...h.env, XDG_CONFIG_HOME: xdg } });
    expect(r.code).toBe(0);
    expect(existsSync(join(xdg, 'powershell', 'Microsoft.PowerShell_profile.ps1'))).toBe(true);
    expect(existsSync(h.profile)).toBe(false);
  });

  it('refuses a profile whose markers do not pair up (UTF-16 too), changes nothing, and exits 2', async () => {
    const h = home();
    mkdirSync(join(h.dir, '.config', 'powershell'), { recursive: true });
    const broken = utf16le(`Set-Alias ll Get-ChildItem\r\n${BLOCK_BEGIN}\r\n# half a block\r\n`);
    writeFileSync(h.profile, broken);
    const r = await runMain(['install', '--shell', 'pwsh'], { cwd: h.dir, env: h.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Microsoft\.PowerShell_profile\.ps1: keyguard's markers do not pair up .*line 2.*nothing was changed/);
    expect(readFileSync(h.profile).equals(broken)).toBe(true);
    const u = await runMain(['uninstall', '--shell', 'pwsh'], { cwd: h.dir, env: h.env });
    expect(u.code).toBe(2);
    expect(readFileSync(h.profile).equals(broken)).toBe(true);
    expect(backups(h.dir)).toEqual([]);
  });

  it('refuses a signed profile (an edit would break its signature), and says what to do', async () => {
    const h = home();
    mkdirSync(join(h.dir, '.config', 'powershell'), { recursive: true });
    const signed =
      'Set-Alias ll Get-ChildItem\r\n\r\n# SIG # Begin signature block\r\n# MIIFuQYJKoZIhvcNAQcCoIIFqjCCBaYCAQExCzAJBgUrDgMCGgUAMGkGCisGAQQB\r\n# SIG # End signature block\r\n';
    writeFileSync(h.profile, signed);
    const r = await runMain(['install', '--shell', 'pwsh'], { cwd: h.dir, env: h.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is signed .*editing it would break the signature, so nothing was changed\. Add the guard by hand above the signature/);
    expect(readFileSync(h.profile, 'utf8')).toBe(signed);
  });

  it('refuses a file that starts with a UTF-16 byte order mark but has an odd byte count', () => {
    expect(() => profileText(Buffer.concat([utf16le('abc'), Buffer.from([0x41])]), 'p.ps1')).toThrow(HookError);
    expect(() => profileText(Buffer.concat([utf16le('abc'), Buffer.from([0x41])]), 'p.ps1')).toThrow(/not whole UTF-16 text: nothing was changed/);
    // lone surrogates survive the round trip: the bytes come back as they were
    const lone = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from([0x00, 0xd8, 0x41, 0x00])]);
    const t = profileText(lone, 'p.ps1');
    expect(t.encode(t.text).equals(lone)).toBe(true);
  });

  it("keeps the user's own AddToHistoryHandler, before the block, where the block reads and calls it", async () => {
    const h = home();
    mkdirSync(join(h.dir, '.config', 'powershell'), { recursive: true });
    const own = "Set-PSReadLineOption -AddToHistoryHandler {\n  param([string]$line)\n  $line -notmatch '^private'\n}\n";
    writeFileSync(h.profile, own);
    expect((await runMain(['install', '--shell', 'pwsh'], { cwd: h.dir, env: h.env })).code).toBe(0);
    const text = readFileSync(h.profile, 'utf8');
    expect(text.startsWith(own)).toBe(true); // the user's handler is set first
    const block = text.slice(text.indexOf(BLOCK_BEGIN));
    const read = block.indexOf('$previous = (Get-PSReadLineOption).AddToHistoryHandler');
    const set = block.indexOf('Set-PSReadLineOption -AddToHistoryHandler $handler');
    expect(read).toBeGreaterThan(-1);
    expect(set).toBeGreaterThan(read); // read before it is replaced
    expect(block).toContain('if ($previous) { return $previous.Invoke($line) }'); // and called for every line without a key
    expect(block).toContain('[Microsoft.PowerShell.PSConsoleReadLine]::GetDefaultAddToHistoryOption($line)'); // else the default filter
    expect(block).toContain('}.GetNewClosure()'); // $previous is captured when the handler is made
    await runMain(['uninstall', '--shell', 'pwsh'], { cwd: h.dir, env: h.env });
    expect(readFileSync(h.profile, 'utf8')).toBe(own);
  });

  it('without a list, guards PowerShell when pwsh or powershell is on PATH, in the profile pwsh names', async () => {
    const h = home();
    const bin = join(h.dir, 'bin');
    mkdirSync(bin);
    const asked = join(h.dir, 'Documents', 'PowerShell', 'Microsoft.PowerShell_profile.ps1');
    // a stand-in pwsh: answers $PROFILE the way pwsh -NoProfile -NonInteractive -Command '$PROFILE' does
    writeFileSync(join(bin, 'pwsh'), `#!/bin/sh\ncase "$*" in *PROFILE*) echo '${asked}' ;; *) echo 'PowerShell 7.4.6' ;; esac\n`, { mode: 0o755 });
    const r = await runMain(['install', '--shell'], { cwd: h.dir, env: { ...h.env, PATH: bin } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/pwsh: history guard installed in ~\/Documents\/PowerShell\/Microsoft\.PowerShell_profile\.ps1/);
    expect(r.stdout).not.toMatch(/zsh:|bash:/);
    expect(readFileSync(asked, 'utf8')).toContain('AddToHistoryHandler');
    const u = await runMain(['uninstall', '--shell'], { cwd: h.dir, env: { ...h.env, PATH: bin } });
    expect(u.stdout).toMatch(/pwsh: history guard removed/);
    expect(existsSync(asked)).toBe(false);

    // only `powershell` on PATH, answering nothing useful: still PowerShell, in the default profile
    const h2 = home();
    const bin2 = join(h2.dir, 'bin');
    mkdirSync(bin2);
    writeFileSync(join(bin2, 'powershell'), '#!/bin/sh\necho "not a path"\n', { mode: 0o755 });
    const r2 = await runMain(['install', '--shell'], { cwd: h2.dir, env: { ...h2.env, PATH: bin2 } });
    expect(r2.code).toBe(0);
    expect(r2.stdout).toMatch(/pwsh: history guard installed in ~\/\.config\/powershell\/Microsoft\.PowerShell_profile\.ps1/);
    expect(r2.stdout).not.toMatch(/not on PATH/);
  });

  it('on Windows: both PowerShell 7 and Windows PowerShell 5.1 profiles, under the Documents folder in use', async () => {
    const h = home();
    const env = { PATH: '', USERPROFILE: h.dir };
    expect(await pwshProfiles(env, 'win32')).toEqual([
      join(h.dir, 'Documents', 'PowerShell', 'Microsoft.PowerShell_profile.ps1'),
      join(h.dir, 'Documents', 'WindowsPowerShell', 'Microsoft.PowerShell_profile.ps1'),
    ]);
    mkdirSync(join(h.dir, 'OneDrive', 'Documents', 'WindowsPowerShell'), { recursive: true });
    expect(defaultPwshProfile('pwsh', env, 'win32')).toBe(join(h.dir, 'OneDrive', 'Documents', 'PowerShell', 'Microsoft.PowerShell_profile.ps1'));
    expect(defaultPwshProfile('powershell', { HOME: h.dir }, 'linux')).toBeUndefined(); // Windows PowerShell is Windows only
  });
});

describe("the handler's pattern and the snippet", () => {
  const re = new RegExp(PWSH_PATTERN); // no `i` flag: case-sensitive, as -cmatch is in .NET

  it('matches a key of every family, on a line and inside a multi-line command', () => {
    for (const family of FAMILIES) {
      for (const seed of [1, 2, 3]) {
        const key = keyFor(family, seed);
        expect(re.test(`$env:OPENAI_API_KEY = '${key}'`), `${family} ${seed}`).toBe(true);
        expect(re.test(`foreach ($i in 1) {\n  Invoke-RestMethod -Headers @{ Authorization = "Bearer ${key}" }\n}`)).toBe(true);
      }
    }
  });

  it('does not match look-alikes: a lower-case marker, a short session key, a cut marker', () => {
    const key = keyFor('project_164', 7);
    const session = keyFor('session_45', 7);
    expect(re.test(`echo ${key.replace(MARKER, MARKER.toLowerCase())}`)).toBe(false);
    expect(re.test(`echo ${session.slice(0, -1)}`)).toBe(false); // 39 characters after sess-
    expect(re.test(`echo ${session.slice(0, -1)}_`)).toBe(false);
    expect(re.test(`echo ${key.replace(MARKER, MARKER.slice(0, -1))}`)).toBe(false);
    expect(re.test('Get-ChildItem sess-short; echo T3Blbk')).toBe(false);
  });

  it('tests case-sensitively with -cmatch (-match ignores case), in the .NET syntax JavaScript shares', () => {
    const text = pwshSnippet().join('\n');
    expect(text).toContain(`$line -cmatch '${PWSH_PATTERN}'`);
    expect(text).not.toMatch(/-i?match\b/);
    // no construct whose meaning differs between .NET and JavaScript: \w \d \b (Unicode in .NET), lookbehind, flags
    expect(PWSH_PATTERN).not.toMatch(/\\[wdsb]|\(\?|[$^]/);
  });

  it('is guarded: without PSReadLine, or before 2.0, the profile loads and nothing is set', () => {
    const text = pwshSnippet().join('\n');
    const guard = text.slice(0, text.indexOf('& {'));
    expect(guard).toContain('(Get-Module PSReadLine)');
    expect(guard).toContain("('Microsoft.PowerShell.AddToHistoryOption' -as [type])"); // the enum arrived in 2.0
    expect(guard).toContain("(Get-Command Set-PSReadLineOption -ErrorAction Ignore).Parameters.ContainsKey('AddToHistoryHandler')");
    expect(text.indexOf('Set-PSReadLineOption -AddToHistoryHandler')).toBeGreaterThan(text.indexOf('& {'));
  });

  it('starts no program per line, returns SkipAdding for a key, and is balanced PowerShell', () => {
    const text = pwshSnippet().join('\n');
    expect(text).toContain('return [Microsoft.PowerShell.AddToHistoryOption]::SkipAdding');
    expect(text).not.toMatch(/\bkeyguard (scan|hook)\b|Start-Process|\.exe\b|\b(grep|sed|node|pwsh)\b/);
    const code = text.replace(/^\s*#.*$/gm, '').replace(/'[^'\n]*'/g, "''");
    for (const [open, close] of [
      ['{', '}'],
      ['(', ')'],
      ['[', ']'],
    ] as const) {
      expect(code.split(open).length, open).toBe(code.split(close).length);
    }
  });
});

describe('keyguard audit and the PowerShell guard', () => {
  it('reports the guard where it is installed, and does not take its handler for one of your own', async () => {
    const h = home();
    const history = join(h.dir, '.local', 'share', 'powershell', 'PSReadLine');
    mkdirSync(history, { recursive: true });
    writeFileSync(join(history, 'ConsoleHost_history.txt'), `$env:OPENAI_API_KEY = '${keyFor('project_164', 9)}'\n`, { mode: 0o600 });
    const before = await runMain(['audit', '--format', 'json'], { cwd: h.dir, env: h.env });
    type Checks = { checks: { id: string; severity: string; message: string; fix: string[]; path?: string }[] };
    const byId = (out: string) => Object.fromEntries((JSON.parse(out) as Checks).checks.map((c) => [c.id, c]));
    expect(byId(before.stdout)['history-hardening-pwsh']!.fix).toContain('keyguard install --shell pwsh   # lines holding a key are never saved');
    expect((await runMain(['install', '--shell', 'pwsh'], { cwd: h.dir, env: h.env })).code).toBe(0);
    const r = await runMain(['audit', '--format', 'json'], { cwd: h.dir, env: h.env });
    expect(r.code).toBe(1);
    const after = byId(r.stdout);
    expect(after['history-hardening-guard-pwsh']).toMatchObject({
      severity: 'info',
      path: h.profile,
      message: expect.stringContaining("pwsh: keyguard's history guard is installed"),
    });
    expect(after['history-hardening-pwsh']!.message).not.toMatch(/already set/);
    expect(after['history-hardening-pwsh']!.fix.join('\n')).not.toContain('keyguard install --shell pwsh');
  });
});

// ---- a real PowerShell ----

const PROMPT = 'KG-READY> ';
const script = which('script');
const pwsh = script && which('pwsh');
const pwshSkip = pwsh
  ? ''
  : script
    ? ' (skipped: pwsh is not installed, and no PowerShell package is reachable from the Debian or npm registries used here)'
    : ' (skipped: no `script` for a pty)';

/** pwsh in a pty, typing each line after a prompt (the helper answers .NET's cursor-position query). */
async function typeInPwsh(env: NodeJS.ProcessEnv, lines: readonly string[], timeoutMs = 60_000): Promise<string> {
  return (await typeInShell('pwsh -NoLogo', env, PROMPT, lines, timeoutMs)).output;
}

describe.skipIf(!pwsh)(`PowerShell in a pseudo-terminal${pwshSkip}`, () => {
  const KEY = keyFor('project_164', 41);
  const SESSION = keyFor('session_45', 43);
  const TYPED = ['echo clean-one', `$env:OPENAI_API_KEY = '${KEY}'`, `foreach ($i in 1) {\n  echo ${SESSION}\n}`, 'echo password-line', 'echo clean-two'];
  const setup = (dir: string) =>
    `function prompt { '${PROMPT}' }\nSet-PSReadLineOption -HistorySavePath '${join(dir, 'history.txt')}'\n` +
    "Set-PSReadLineOption -AddToHistoryHandler { param([string]$line) if ($line -match 'private') { return 'SkipAdding' } 'MemoryAndFile' }\n";

  it("with the guard: the clean lines are saved, no key is, and the user's own handler still decides the rest", async () => {
    const h = home();
    mkdirSync(join(h.dir, '.config', 'powershell'), { recursive: true });
    writeFileSync(h.profile, setup(h.dir));
    expect((await runMain(['install', '--shell', 'pwsh'], { cwd: h.dir, env: h.env })).code).toBe(0);
    const env = { ...h.env, PATH: process.env.PATH ?? '', TERM: 'xterm' };
    await typeInPwsh(env, [...TYPED, 'echo private-line']);
    const history = readFileSync(join(h.dir, 'history.txt'), 'utf8');
    expect(history).toContain('echo clean-one');
    expect(history).toContain('echo clean-two');
    expect(history).toContain('password-line'); // the user's handler replaced the default, and still decides
    expect(history).not.toContain('private-line'); // the user's handler was chained
    expect(history).not.toContain(MARKER);
    expect(history).not.toContain(SESSION);
  });
});
