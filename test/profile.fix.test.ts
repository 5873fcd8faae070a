// `--fix` on shell profiles (issue 13, part 2): the variable keeps working in a new login shell, the
// key leaves the file. Real bash (and zsh, fish when installed) login shells in a temp HOME, a fake
// `secret-tool` that keeps secrets in a temp folder, and the private-file fallback with a PATH that
// holds no secret store at all.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planLines, readerExpression } from '../src/fix/profile-line.js';
import { keyFor } from './helpers/keys.js';
import { git, machineEnv, parseJson, runCli, tempDir, writeFiles } from './helpers/tmp.js';

const KEY = keyFor('project_164', 1301);
const OTHER = keyFor('project_164', 1302);

function has(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
}

function pathOf(program: string): string {
  return spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).stdout.trim();
}

/** A folder with only git in it: keyguard needs it to tell whether a folder is in a dotfiles work tree. */
function gitOnlyBin(): string {
  const bin = tempDir('kg-bin-');
  symlinkSync(pathOf('git'), join(bin, 'git'));
  return bin;
}

/**
 * A fake libsecret `secret-tool`, with the real one's arguments: `store --label=L attr value …` reads
 * the secret from stdin; `lookup attr value …` prints it (exit 1 when there is none). It logs its
 * arguments, so a test can check the key never was one.
 */
function fakeSecretTool(): { bin: string; vault: string } {
  const bin = tempDir('kg-bin-');
  const vault = tempDir('kg-vault-');
  writeFileSync(
    join(bin, 'secret-tool'),
    `#!/bin/sh
V='${vault}'
printf '%s\\n' "$*" >> "$V/argv.log"
cmd=$1; shift
case "$cmd" in
  store) case "$1" in --label=*) shift ;; *) exit 2 ;; esac
         id=$(printf '%s_' "$@"); /bin/cat > "$V/$id" ;;
  lookup) id=$(printf '%s_' "$@"); [ -f "$V/$id" ] || exit 1; /bin/cat "$V/$id" ;;
  *) exit 2 ;;
esac
`,
    { mode: 0o755 },
  );
  return { bin, vault };
}

/** A fake `pass`: `insert --multiline --force ENTRY` reads the secret from stdin, `show ENTRY` prints it. */
function fakePass(home: string): { bin: string; vault: string } {
  const bin = tempDir('kg-bin-');
  const vault = tempDir('kg-vault-');
  writeFiles(home, { '.password-store/.gpg-id': 'me@example.com\n' });
  writeFileSync(
    join(bin, 'pass'),
    `#!/bin/sh
V='${vault}'
printf '%s\\n' "$*" >> "$V/argv.log"
case "$1" in
  insert) [ "$2 $3" = "--multiline --force" ] || exit 2; id=$(printf '%s' "$4" | /usr/bin/tr / _); /bin/cat > "$V/$id" ;;
  show) id=$(printf '%s' "$2" | /usr/bin/tr / _); [ -f "$V/$id" ] || exit 1; /bin/cat "$V/$id" ;;
  *) exit 2 ;;
esac
`,
    { mode: 0o755 },
  );
  return { bin, vault };
}

/** A fake 1Password `op`, signed in: `item create --format json -` takes the item template on stdin, `read op://V/I/password` prints it. */
function fakeOp(): { bin: string; vault: string } {
  const bin = tempDir('kg-bin-');
  const vault = tempDir('kg-vault-');
  writeFileSync(
    join(bin, 'op'),
    `#!${process.execPath}
const fs = require('node:fs');
const V = ${JSON.stringify(vault)};
const a = process.argv.slice(2);
fs.appendFileSync(V + '/argv.log', a.join(' ') + '\\n');
if (a[0] === 'whoami') process.exit(0);
if (a.join(' ') === 'item create --format json -') {
  const item = JSON.parse(fs.readFileSync(0, 'utf8'));
  fs.writeFileSync(V + '/item1', item.fields.find((f) => f.purpose === 'PASSWORD').value);
  process.stdout.write(JSON.stringify({ id: 'item1', title: item.title, vault: { id: 'vault1' } }));
  process.exit(0);
}
if (a[0] === 'read' && a[1] === 'op://vault1/item1/password') { process.stdout.write(fs.readFileSync(V + '/item1', 'utf8') + '\\n'); process.exit(0); }
process.exit(1);
`,
    { mode: 0o755 },
  );
  return { bin, vault };
}

/** What a new login shell of `shell` sees in OPENAI_API_KEY with this HOME. */
function loginValue(shell: 'bash' | 'zsh' | 'fish', home: string): string {
  const script = shell === 'fish' ? 'printf %s "$OPENAI_API_KEY"' : 'printf %s "$OPENAI_API_KEY"';
  const r = spawnSync(shell, ['-l', '-c', script], {
    env: { HOME: home, PATH: '/usr/bin:/bin', TERM: 'dumb', LANG: 'C.UTF-8' },
    encoding: 'utf8',
    cwd: home,
    timeout: 20_000,
  });
  // a profile's other output (none here) would come first: the value is the last line
  return r.stdout.split('\n').pop() ?? '';
}

function env(home: string, bin: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return machineEnv(home, { PATH: bin, NO_COLOR: '1', ...extra });
}

const LOGIN_FILES = { bash: '.bash_profile', zsh: '.zprofile', fish: '.config/fish/config.fish' } as const;

function profileText(shell: 'bash' | 'zsh' | 'fish', key: string): string {
  return shell === 'fish'
    ? `# fish\nset -gx EDITOR vi\nset -gx OPENAI_API_KEY ${key}\nalias ll 'ls -l'\n`
    : `# login\nexport EDITOR=vi\nexport OPENAI_API_KEY="${key}"   # work\nalias ll='ls -l'\n`;
}

describe('audit --fix on a profile: a new login shell still has the key, the file does not', () => {
  for (const shell of ['bash', 'zsh'] as const) {
    it.skipIf(!has(shell))(`${shell}, fake secret-tool: the key goes in through stdin, the line reads it back at run time`, () => {
      const home = tempDir('kg-home-');
      const file = LOGIN_FILES[shell];
      const before = profileText(shell, KEY);
      writeFiles(home, { [file]: before });
      chmodSync(join(home, file), 0o600);
      expect(loginValue(shell, home)).toBe(KEY);
      const { bin, vault } = fakeSecretTool();

      const r = runCli(['audit', '--fix'], { cwd: home, env: env(home, `${bin}:/usr/bin:/bin`) });
      expect(r.code, r.stderr).toBe(1); // the findings are reported as they were before the fix
      const after = readFileSync(join(home, file), 'utf8');
      const line = `export OPENAI_API_KEY="$(${bin}/secret-tool lookup service keyguard account OPENAI_API_KEY)"   # work`;
      // every other byte as it was
      expect(after).toBe(before.replace(`export OPENAI_API_KEY="${KEY}"   # work`, line));
      expect(after).not.toContain('T3BlbkFJ');
      expect(loginValue(shell, home)).toBe(KEY);
      // stored through stdin: the key was never an argument
      expect(readFileSync(join(vault, 'argv.log'), 'utf8')).not.toContain(KEY);
      expect(readFileSync(join(vault, 'argv.log'), 'utf8')).toContain('store --label=keyguard: OPENAI_API_KEY service keyguard account OPENAI_API_KEY');
      expect(r.stderr).toContain(`line 3 now reads OPENAI_API_KEY at run time from your login keyring through secret-tool`);
      expect(r.stderr).toContain(`  + ${line}`);
      expect(r.stderr + r.stdout).not.toContain(KEY);
      // a backup, private, with the old text
      const backups = join(home, '.local/share/keyguard/backups');
      const [backup] = readdirSync(backups);
      expect(statSync(join(backups, backup!)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(backups, backup!), 'utf8')).toBe(before);
      expect(statSync(join(home, file)).mode & 0o777).toBe(0o600);

      // audited again: no finding, and the run-time read is noted as good practice
      const again = parseJson<{ findings: unknown[]; checks: { id: string; message: string }[] }>(
        runCli(['audit', '--format', 'json'], { cwd: home, env: env(home, `${bin}:/usr/bin:/bin`) }),
      );
      expect(again.findings).toEqual([]);
      const notes = again.checks.filter((c) => c.id === 'profile-runtime-fetch');
      expect(notes.map((c) => c.message)).toEqual([expect.stringContaining('OPENAI_API_KEY is fetched at run time with `secret-tool`')]);
    });
  }

  it('pass and 1Password op (fakes with the real arguments): stored through stdin, read back at login', () => {
    for (const store of ['pass', 'op'] as const) {
      const home = tempDir('kg-home-');
      writeFiles(home, { '.bash_profile': `export OPENAI_API_KEY=${KEY}\n` });
      const { bin, vault } = store === 'pass' ? fakePass(home) : fakeOp();
      const r = runCli(['audit', '--fix', '--no-backup'], { cwd: home, env: env(home, `${bin}:${gitOnlyBin()}`) });
      expect(r.code, r.stderr).toBe(1);
      const expected = store === 'pass' ? `"$(${bin}/pass show keyguard/OPENAI_API_KEY)"` : `"$(${bin}/op read op://vault1/item1/password)"`;
      expect(readFileSync(join(home, '.bash_profile'), 'utf8')).toBe(`export OPENAI_API_KEY=${expected}\n`);
      expect(readFileSync(join(vault, 'argv.log'), 'utf8')).not.toContain(KEY);
      expect(loginValue('bash', home)).toBe(KEY);
      expect(existsSync(join(home, '.local/share/keyguard/secrets'))).toBe(false);
      const again = parseJson<{ checks: { id: string; message: string }[] }>(runCli(['audit', '--format', 'json'], { cwd: home, env: env(home, bin) }));
      expect(again.checks.filter((c) => c.id === 'profile-runtime-fetch').map((c) => c.message)).toEqual([
        expect.stringContaining(`OPENAI_API_KEY is fetched at run time with \`${store === 'pass' ? 'pass' : 'op read'}\``),
      ]);
    }
  });

  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    it.skipIf(!has(shell))(`${shell}, no secret store on PATH: a 0600 file in a 0700 folder, read at run time`, () => {
      const home = tempDir('kg-home-');
      const file = LOGIN_FILES[shell];
      const before = profileText(shell, KEY);
      writeFiles(home, { [file]: before });
      expect(loginValue(shell, home)).toBe(KEY);

      const r = runCli(['audit', '--fix', '--no-backup'], { cwd: home, env: env(home, gitOnlyBin()) });
      expect(r.code, r.stderr).toBe(1);
      const secrets = join(home, '.local/share/keyguard/secrets');
      const stored = join(secrets, 'OPENAI_API_KEY');
      expect(readFileSync(stored, 'utf8')).toBe(KEY);
      expect(statSync(stored).mode & 0o777).toBe(0o600);
      expect(statSync(secrets).mode & 0o777).toBe(0o700);
      const after = readFileSync(join(home, file), 'utf8');
      const line = shell === 'fish' ? `set -gx OPENAI_API_KEY (cat ${stored})` : `export OPENAI_API_KEY="$(cat ${stored})"   # work`;
      expect(after).toBe(before.replace(shell === 'fish' ? `set -gx OPENAI_API_KEY ${KEY}` : `export OPENAI_API_KEY="${KEY}"   # work`, line));
      expect(loginValue(shell, home)).toBe(KEY);
      expect(r.stderr).toContain(`from ${stored} (mode 0600 in a 0700 folder: only you can read it; no secret store was found)`);
      expect(existsSync(join(home, '.local/share/keyguard/backups'))).toBe(false);
    });
  }

  it('the same key in two profiles is stored once; a second key for the same variable gets its own file', () => {
    const home = tempDir('kg-home-');
    writeFiles(home, {
      '.bash_profile': `export OPENAI_API_KEY=${KEY}\n`,
      '.bashrc': `export OPENAI_API_KEY=${KEY}\n`,
      '.zshrc': `export OPENAI_API_KEY=${OTHER}\n`,
    });
    const r = runCli(['audit', '--fix', '--no-backup'], { cwd: home, env: env(home, gitOnlyBin()) });
    expect(r.code, r.stderr).toBe(1);
    const secrets = join(home, '.local/share/keyguard/secrets');
    expect(readdirSync(secrets).sort()).toEqual(['.gitignore', 'OPENAI_API_KEY', expect.stringMatching(/^OPENAI_API_KEY-[0-9a-f]{8}$/)]);
    const zshrc = readFileSync(join(home, '.zshrc'), 'utf8');
    const otherFile = /cat (\S+)\)/.exec(zshrc)![1]!;
    expect(readFileSync(otherFile, 'utf8')).toBe(OTHER);
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe(readFileSync(join(home, '.bash_profile'), 'utf8'));
  });

  it('HOME is a git work tree holding the profile: no key file goes inside it; XDG_DATA_HOME outside it is used and named', () => {
    const home = tempDir('kg-home-');
    git(home, ['init', '-q']);
    const before = `export OPENAI_API_KEY=${KEY}\n`;
    writeFiles(home, { '.bash_profile': before });
    const refused = runCli(['audit', '--fix', '--no-backup'], { cwd: home, env: env(home, gitOnlyBin()) });
    expect(refused.code).toBe(2);
    expect(refused.stderr + refused.stdout).toContain('is inside the git work tree');
    expect(readFileSync(join(home, '.bash_profile'), 'utf8')).toBe(before);
    expect(existsSync(join(home, '.local/share/keyguard/secrets/OPENAI_API_KEY'))).toBe(false);

    const outside = tempDir('kg-data-');
    const r = runCli(['audit', '--fix', '--no-backup'], { cwd: home, env: env(home, gitOnlyBin(), { XDG_DATA_HOME: outside }) });
    expect(r.code, r.stderr).toBe(1);
    const stored = join(outside, 'keyguard/secrets/OPENAI_API_KEY');
    expect(readFileSync(stored, 'utf8')).toBe(KEY);
    expect(r.stderr).toContain(`from ${stored} (mode 0600`);
    expect(loginValue('bash', home)).toBe(KEY);
  });
});

describe('--remove, --dry-run, scan --fix', () => {
  it('--remove deletes the line and says which tools lose the key', () => {
    const home = tempDir('kg-home-');
    writeFiles(home, { '.bash_profile': `export EDITOR=vi\nexport OPENAI_API_KEY=${KEY}\nalias ll='ls -l'\n` });
    const r = runCli(['audit', '--fix', '--remove', '--no-backup'], { cwd: home, env: env(home, gitOnlyBin()) });
    expect(r.code, r.stderr).toBe(1);
    expect(readFileSync(join(home, '.bash_profile'), 'utf8')).toBe(`export EDITOR=vi\nalias ll='ls -l'\n`);
    expect(r.stderr).toContain('line 2:\n  - export OPENAI_API_KEY=sk-proj-');
    expect(r.stderr).toContain('new shells no longer set OPENAI_API_KEY from this file: the OpenAI SDKs and CLI, Codex');
    expect(existsSync(join(home, '.local/share/keyguard/secrets'))).toBe(false);
    expect(loginValue('bash', home)).toBe('');
  });

  it('--dry-run prints the exact lines before and after (the key redacted), and changes and stores nothing', () => {
    const home = tempDir('kg-home-');
    const before = `export EDITOR=vi\n  export OPENAI_API_KEY='${KEY}';  # mine\n`;
    writeFiles(home, { '.bashrc': before });
    const { bin, vault } = fakeSecretTool();
    const r = runCli(['audit', '--fix', '--dry-run'], { cwd: home, env: env(home, `${bin}:/usr/bin:/bin`) });
    expect(r.code).toBe(1);
    const shown = `${KEY.slice(0, 12)}…${KEY.slice(-4)}`;
    expect(r.stdout).toContain(`would rewrite ${join(home, '.bashrc')} line 2 to read OPENAI_API_KEY at run time from secret-tool`);
    expect(r.stdout).toContain(`  -   export OPENAI_API_KEY='${shown}';  # mine\n`);
    expect(r.stdout).toContain(`  +   export OPENAI_API_KEY="$(${bin}/secret-tool lookup service keyguard account OPENAI_API_KEY)";  # mine\n`);
    expect(r.stdout + r.stderr).not.toContain(KEY);
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe(before);
    expect(existsSync(join(vault, 'argv.log'))).toBe(false); // the store was not even asked

    const remove = runCli(['audit', '--fix', '--remove', '--dry-run'], { cwd: home, env: env(home, gitOnlyBin()) });
    expect(remove.stdout).toContain(
      `would delete ${join(home, '.bashrc')} line 2; new shells would no longer set OPENAI_API_KEY:\n  -   export OPENAI_API_KEY='${shown}';  # mine`,
    );
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe(before);
  });

  it('scan --fix on a profile does what audit --fix does (it used to say the file was not a profile)', () => {
    const home = tempDir('kg-home-');
    const { bin } = fakeSecretTool();
    writeFiles(home, { '.bash_profile': `export OPENAI_API_KEY=${KEY}\n`, 'proj/.envrc': `export OPENAI_API_KEY=${KEY}\n` });
    const r = runCli(['scan', '--fix', '--no-backup', '.bash_profile', 'proj/.envrc'], { cwd: home, env: env(home, `${bin}:/usr/bin:/bin`) });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toContain('it is not a history, profile');
    const line = `export OPENAI_API_KEY="$(${bin}/secret-tool lookup service keyguard account OPENAI_API_KEY)"\n`;
    expect(readFileSync(join(home, '.bash_profile'), 'utf8')).toBe(line);
    expect(readFileSync(join(home, 'proj/.envrc'), 'utf8')).toBe(line);
    expect(r.stderr).toContain(`direnv blocks a changed .envrc until you allow it again: direnv allow ${join(home, 'proj')}`);
    expect(loginValue('bash', home)).toBe(KEY);

    // a project's .env, which scan meets in every repository, stays the user's to edit
    writeFiles(home, { 'proj/.env': `OPENAI_API_KEY=${KEY}\n` });
    const dotenv = runCli(['scan', '--fix', 'proj/.env'], { cwd: home, env: env(home, `${bin}:/usr/bin:/bin`) });
    expect(dotenv.code).toBe(1);
    expect(dotenv.stderr).toMatch(/--fix does not rewrite .*proj\/\.env: edit it by hand/);
    expect(readFileSync(join(home, 'proj/.env'), 'utf8')).toBe(`OPENAI_API_KEY=${KEY}\n`);
  });
});

describe('lines keyguard will not rewrite are refused, unchanged, never redacted to a bogus value', () => {
  it('a key in a one-line function and in a here-document: refused with the reason, exit 2, the file byte for byte as it was', () => {
    const home = tempDir('kg-home-');
    const before = `setkey() { export OPENAI_API_KEY=${KEY}; }\ncat > /dev/null <<EOF\nexport OPENAI_API_KEY=${KEY}\nEOF\n`;
    writeFiles(home, { '.bashrc': before });
    const r = runCli(['audit', '--fix'], { cwd: home, env: env(home, gitOnlyBin()) });
    expect(r.code).toBe(2);
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe(before);
    const out = r.stdout + r.stderr;
    expect(out).toContain('line 1 not fixed: it is not a simple `export NAME=KEY` line');
    expect(out).toContain('line 3 not fixed: the line is not a statement of its own (inside a here-document');
    expect(out).not.toContain('REDACTED-');
    expect(existsSync(join(home, '.local/share/keyguard/secrets'))).toBe(false);
  });

  it('a read-only profile is left alone (its owner made it so); a key in a comment line: the comment goes, nothing else', () => {
    const home = tempDir('kg-home-');
    const before = `export OPENAI_API_KEY=${KEY}\n`;
    writeFiles(home, { '.bash_profile': before, '.bashrc': `alias ll='ls -l'\n# old: export OPENAI_API_KEY=${OTHER}\nexport EDITOR=vi\n` });
    chmodSync(join(home, '.bash_profile'), 0o400);
    const r = runCli(['audit', '--fix', '--no-backup'], { cwd: home, env: env(home, gitOnlyBin()) });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('it is read-only (mode 0400)');
    expect(readFileSync(join(home, '.bash_profile'), 'utf8')).toBe(before);
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe(`alias ll='ls -l'\nexport EDITOR=vi\n`);
    expect(r.stderr).toContain('line 2, a comment that held the key');
    expect(existsSync(join(home, '.local/share/keyguard/secrets'))).toBe(false);
  });

  it('$CODEX_HOME/.env cannot run a command: refused with the reason; --remove deletes the line', () => {
    const home = tempDir('kg-home-');
    const before = `OPENAI_API_KEY=${KEY}\nOTHER=1\n`;
    writeFiles(home, { '.codex/.env': before });
    const r = runCli(['audit', '--fix', join(home, '.codex/.env')], { cwd: home, env: env(home, gitOnlyBin()) });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('a dotenv file cannot run a command or read another file');
    expect(readFileSync(join(home, '.codex/.env'), 'utf8')).toBe(before);
    const removed = runCli(['audit', '--fix', '--remove', '--no-backup', join(home, '.codex/.env')], { cwd: home, env: env(home, gitOnlyBin()) });
    expect(removed.code, removed.stderr).toBe(1);
    expect(readFileSync(join(home, '.codex/.env'), 'utf8')).toBe('OTHER=1\n');
  });
});

describe('the Codex check still sees where the variable comes from', () => {
  it('after the fix, OPENAI_API_KEY is traced to the profile line that now reads it at run time', () => {
    const home = tempDir('kg-home-');
    writeFiles(home, { '.bash_profile': `export EDITOR=vi\nexport OPENAI_API_KEY=${KEY}\n`, '.codex/config.toml': 'model = "gpt-5-codex"\n' });
    const bin = gitOnlyBin();
    const fix = runCli(['audit', '--fix', '--no-backup'], { cwd: home, env: env(home, bin) });
    expect(fix.code, fix.stderr).toBe(1);
    expect(readFileSync(join(home, '.bash_profile'), 'utf8')).toMatch(/^export OPENAI_API_KEY="\$\(cat \S+\)"$/m);
    const codex = parseJson<{ checks: { id: string; path?: string; line?: number; detail?: string }[] }>(
      runCli(['codex', '--format', 'json'], { cwd: home, env: env(home, bin, { KEYGUARD_CODEX_SYSTEM_CONFIG: join(home, 'none.toml') }) }),
    );
    const check = codex.checks.find((c) => c.id === 'codex-env-openai-api-key-not-logged-in');
    expect(check?.path).toBe(join(home, '.bash_profile'));
    expect(check?.line).toBe(2);
    expect(check?.detail).toContain('exported by ~/.bash_profile line 2');
  });
});

describe('profile lines as units', () => {
  const reader = { kind: 'command', argv: ['/usr/bin/secret-tool', 'lookup', 'service', 'keyguard', 'account', 'OPENAI_API_KEY'] } as const;

  it('PowerShell: $env:NAME = (…) reading the store or Get-Content; CRLF kept', () => {
    const text = `Set-Alias g git\r\n$env:OPENAI_API_KEY = '${KEY}'\r\n`;
    const plan = planLines(text, '/p/Microsoft.PowerShell_profile.ps1', 'pwsh', [{ line: 2, secret: KEY }]);
    expect(plan.refused).toEqual([]);
    expect(plan.lines[0]!.rewrite(reader)).toBe(
      `$env:OPENAI_API_KEY = (& '/usr/bin/secret-tool' 'lookup' 'service' 'keyguard' 'account' 'OPENAI_API_KEY' | Out-String).Trim()\r`,
    );
    expect(plan.lines[0]!.rewrite({ kind: 'file', path: "/h/it's/K" })).toBe(`$env:OPENAI_API_KEY = (Get-Content -Raw -LiteralPath '/h/it''s/K')\r`);
  });

  it('a comment inside a here-document or a multi-line string is not a comment to delete', () => {
    const heredoc = `cat <<EOF\n# ${KEY}\nEOF\n`;
    expect(planLines(heredoc, '/p/.bashrc', 'bash', [{ line: 2, secret: KEY }]).refused).toHaveLength(1);
    const string = `X="a\n# ${KEY}\n"\n`;
    expect(planLines(string, '/p/.bashrc', 'bash', [{ line: 2, secret: KEY }]).refused).toHaveLength(1);
    const comment = planLines(`# ${KEY}\nexport A=1\n`, '/p/.bashrc', 'bash', [{ line: 1, secret: KEY }]);
    expect(comment.lines.map((l) => l.comment)).toEqual([true]);
  });

  it('fish: set -Ux (a universal variable fish would save) is refused; paths are quoted per shell', () => {
    const plan = planLines(`set -Ux OPENAI_API_KEY ${KEY}\n`, '/p/config.fish', 'fish', [{ line: 1, secret: KEY }]);
    expect(plan.lines).toEqual([]);
    expect(plan.refused[0]!.why).toContain('not a simple `set -gx NAME KEY` line');
    expect(readerExpression({ kind: 'file', path: "/a b/it's" }, 'fish')).toBe(`(cat '/a b/it\\'s')`);
    expect(readerExpression({ kind: 'file', path: "/a b/it's" }, 'bash')).toBe(`"$(cat '/a b/it'\\''s')"`);
  });
});
