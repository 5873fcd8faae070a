// src/profiles: assignments in every dialect, and which profiles exist (and what they source).
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeFetchOf } from '../src/sources/shell-profiles/runtime-fetch.js';
import { parseAssignments, type EnvAssignment } from '../src/sources/shell-profiles/assignments.js';
import { homeOf } from '../src/discover/home.js';
import { discoverProfiles, expandSourcePath, profileShellOf, sourcedPaths } from '../src/discover/profiles.js';
import { keyFor } from './helpers/keys.js';
import { tempDir, writeFiles } from './helpers/tmp.js';

const KEY = keyFor('project_164', 51);

function one(text: string, shell: Parameters<typeof parseAssignments>[2], name = 'OPENAI_API_KEY'): EnvAssignment {
  const found = parseAssignments(text, '/p', shell).filter((a) => a.name === name);
  expect(found, `${name} in ${JSON.stringify(text)}`).toHaveLength(1);
  return found[0]!;
}

describe('parseAssignments: sh, bash, zsh, direnv', () => {
  it.each([
    ['export OPENAI_API_KEY=VALUE', 'bash'],
    ['OPENAI_API_KEY=VALUE', 'sh'],
    ['export OPENAI_API_KEY="VALUE"', 'zsh'],
    ["export OPENAI_API_KEY='VALUE'", 'zsh'],
    ['declare -x OPENAI_API_KEY=VALUE', 'bash'],
    ['typeset -gx OPENAI_API_KEY=VALUE', 'zsh'],
    ['readonly OPENAI_API_KEY=VALUE', 'bash'],
    ['export A=1 OPENAI_API_KEY=VALUE B=2', 'bash'],
    ['if true; then export OPENAI_API_KEY=VALUE; fi', 'bash'],
    ['[ -n "$X" ] && export OPENAI_API_KEY=VALUE', 'bash'],
    ["export OPENAI_API_KEY=$'VALUE'", 'bash'],
    ['launchctl setenv OPENAI_API_KEY VALUE', 'zsh'],
    ['export OPENAI_API_KEY=VALUE # my key', 'direnv'],
  ] as const)('%s', (line, shell) => {
    const a = one(line.replace('VALUE', KEY), shell);
    expect(a.value).toBe(KEY);
    expect(a.runtimeFetch).toBeUndefined();
  });

  it('a backslash-newline inside the value joins it', () => {
    expect(one(`export OPENAI_API_KEY=${KEY.slice(0, 20)}\\\n${KEY.slice(20)}`, 'bash').value).toBe(KEY);
  });

  it('reports the line and column of the name, and the raw text', () => {
    const text = `# comment with OPENAI_API_KEY=nope\nalias ll='ls -l'\n\n  export OPENAI_API_KEY="${KEY}"\n`;
    const a = one(text, 'bash');
    expect([a.line, a.column]).toEqual([4, 10]);
    expect(a.raw).toBe(`OPENAI_API_KEY="${KEY}"`);
    expect(a.path).toBe('/p');
  });

  it('double quotes: escapes undone; a value spanning lines stays one value', () => {
    expect(one('export OPENAI_API_KEY="a\\"b\\$c"', 'bash').value).toBe('a"b$c');
    expect(one('export OPENAI_API_KEY="line1\nline2"', 'bash').value).toBe('line1\nline2');
  });

  it.each([
    ['export OPENAI_API_KEY="$(op read op://Private/OpenAI/credential)"', 'op read'],
    ['export OPENAI_API_KEY=$(security find-generic-password -s openai -w)', 'security find-generic-password'],
    ['export OPENAI_API_KEY=`pass show openai/key`', 'pass'],
    ['export OPENAI_API_KEY="$(secret-tool lookup service openai)"', 'secret-tool'],
    ['export OPENAI_API_KEY=$(keychain-get openai)', 'keychain'],
    ['export OPENAI_API_KEY="$(gpg --decrypt ~/.openai.gpg 2>/dev/null)"', 'gpg --decrypt'],
  ])('computed at run time: %s', (line, fetch) => {
    const a = one(line, 'zsh');
    expect(a.value).toBeNull();
    expect(a.runtimeFetch).toBe(fetch);
  });

  it('a value from another variable is computed, with no fetch named', () => {
    const a = one('export OPENAI_API_KEY="$MY_KEY"', 'bash');
    expect(a.value).toBeNull();
    expect(a.runtimeFetch).toBeUndefined();
  });

  it('comments, arguments and here-documents are not assignments', () => {
    const text = [
      `# export OPENAI_API_KEY=${KEY}`,
      `echo OPENAI_API_KEY=${KEY}`,
      'cat <<EOF > out.env',
      `export OPENAI_API_KEY=${KEY}`,
      'EOF',
      'export AFTER=1',
    ].join('\n');
    const got = parseAssignments(text, '/p', 'bash');
    expect(got.map((a) => a.name)).toEqual(['AFTER']);
    expect(got[0]!.line).toBe(6);
  });

  it('`A=1 cmd` is an assignment (for cmd), `cmd A=1` is not', () => {
    expect(parseAssignments('OPENAI_API_KEY=x python app.py', '/p', 'bash').map((a) => a.name)).toEqual(['OPENAI_API_KEY']);
    expect(parseAssignments('python app.py OPENAI_API_KEY=x', '/p', 'bash')).toEqual([]);
  });
});

describe('parseAssignments: fish', () => {
  it.each([
    'set -gx OPENAI_API_KEY VALUE',
    'set -Ux OPENAI_API_KEY VALUE',
    'set --global --export OPENAI_API_KEY VALUE',
    'set -xg OPENAI_API_KEY "VALUE"',
    'export OPENAI_API_KEY=VALUE',
  ])('%s', (line) => {
    expect(one(line.replace('VALUE', KEY), 'fish').value).toBe(KEY);
  });

  it('variables that are not exported, erased or queried are not environment assignments', () => {
    expect(parseAssignments(`set -g OPENAI_API_KEY ${KEY}\nset -e OPENAI_API_KEY\nset -q OPENAI_API_KEY`, '/p', 'fish')).toEqual([]);
  });

  it('command substitution: (op read …) and $(…)', () => {
    const a = one('set -gx OPENAI_API_KEY (op read "op://vault/openai/key")', 'fish');
    expect(a.value).toBeNull();
    expect(a.runtimeFetch).toBe('op read');
    expect(one('set -gx OPENAI_API_KEY $(security find-generic-password -w -s x)', 'fish').runtimeFetch).toBe('security find-generic-password');
  });

  it('fish_variables: SETUVAR --export, \\xHH escapes undone', () => {
    const a = one(
      `# This file contains fish universal variable definitions.\nSETUVAR --export OPENAI_API_KEY:${KEY}\nSETUVAR fish_greeting:hi\\x20there\n`,
      'fish',
    );
    expect(a.value).toBe(KEY);
    expect(a.line).toBe(2);
  });
});

describe('parseAssignments: PowerShell', () => {
  it.each([
    `$env:OPENAI_API_KEY = "VALUE"`,
    `$Env:OPENAI_API_KEY='VALUE'`,
    `\${env:OPENAI_API_KEY} = 'VALUE'`,
    `[Environment]::SetEnvironmentVariable('OPENAI_API_KEY', 'VALUE', 'User')`,
    `[System.Environment]::SetEnvironmentVariable("OPENAI_API_KEY", "VALUE")`,
    `Set-Item -Path env:OPENAI_API_KEY -Value 'VALUE'`,
    "$env:OPENAI_API_KEY = `\n  'VALUE'",
  ])('%s', (line) => {
    expect(one(line.replace('VALUE', KEY), 'pwsh').value).toBe(KEY);
  });

  it('comments are ignored; Get-Secret is a run-time fetch; doubled quotes unescape', () => {
    const text = `# $env:OPENAI_API_KEY = "${KEY}"\n<# $env:OPENAI_API_KEY = "x"\n#>\n$env:OPENAI_API_KEY = (Get-Secret -Name OpenAI -AsPlainText)\n`;
    const a = one(text, 'pwsh');
    expect(a.line).toBe(4);
    expect(a.value).toBeNull();
    expect(a.runtimeFetch).toBe('Get-Secret');
    expect(one(`$env:OPENAI_API_KEY = 'it''s'`, 'pwsh').value).toBe("it's");
    expect(one('$env:OPENAI_API_KEY = "$HOME/x"', 'pwsh').value).toBeNull();
  });
});

describe('parseAssignments: .env', () => {
  it('quotes, export, comments, multi-line double quotes, ${VAR}', () => {
    const text = [`OPENAI_API_KEY=${KEY} # prod`, `export B="two\\nlines"`, "C='lit ${X}'", 'D=${OTHER}', 'E="a', 'b"', '# F=no'].join('\n');
    const got = parseAssignments(text, '/p', 'env');
    expect(got.map((a) => [a.name, a.value, a.line])).toEqual([
      ['OPENAI_API_KEY', KEY, 1],
      ['B', 'two\nlines', 2],
      ['C', 'lit ${X}', 3],
      ['D', null, 4],
      ['E', 'a\nb', 5],
    ]);
  });
});

describe('discoverProfiles', () => {
  it('finds the profiles that exist, ZDOTDIR and XDG_CONFIG_HOME honoured, fish conf.d and PowerShell included', async () => {
    const home = tempDir();
    const zdot = join(home, 'zdot');
    const config = join(home, 'cfg');
    writeFiles(home, {
      '.bashrc': 'x=1\n',
      '.profile': '',
      'zdot/.zshrc': '',
      'zdot/.zprofile': '',
      '.zshrc': 'not read: ZDOTDIR moves it\n',
      'cfg/fish/config.fish': '',
      'cfg/fish/conf.d/b.fish': '',
      'cfg/fish/conf.d/a.fish': '',
      'cfg/fish/conf.d/readme.txt': '',
      'cfg/powershell/Microsoft.PowerShell_profile.ps1': '',
      '.env': '',
      '.envrc': '',
      'projects/app/.envrc': '',
      'projects/app/deep/er/.envrc': 'too deep\n',
    });
    const got = await discoverProfiles({ HOME: home, ZDOTDIR: zdot, XDG_CONFIG_HOME: config }, 'linux');
    expect(got.map((p) => [p.path.slice(home.length + 1), p.shell])).toEqual([
      ['.profile', 'sh'],
      ['.bashrc', 'bash'],
      ['zdot/.zprofile', 'zsh'],
      ['zdot/.zshrc', 'zsh'],
      ['cfg/fish/config.fish', 'fish'],
      ['cfg/powershell/Microsoft.PowerShell_profile.ps1', 'pwsh'],
      ['.env', 'env'],
      ['.envrc', 'direnv'],
      ['cfg/fish/conf.d/a.fish', 'fish'],
      ['cfg/fish/conf.d/b.fish', 'fish'],
      ['projects/app/.envrc', 'direnv'],
    ]);
  });

  it('adds files they source, one level deep, with where they came from; a source loop ends', async () => {
    const home = tempDir();
    writeFiles(home, {
      '.bashrc':
        '[ -f ~/.bash_aliases ] && . ~/.bash_aliases\nsource "$HOME/.secrets.sh"\nsource .relative\nfor f in x; do :; done\nsource ~/.d/*.sh\nsource $UNKNOWN/x\n',
      '.bash_aliases': 'source ~/.bashrc\nsource ~/.second-level\n',
      '.secrets.sh': '',
      '.relative': '',
      '.d/1.sh': '',
      '.d/2.sh': '',
      '.second-level': '',
      '.config/fish/config.fish': 'source ~/.config/fish/extra.fish\n',
      '.config/fish/extra.fish': '',
    });
    const got = await discoverProfiles({ HOME: home }, 'linux');
    const rel = (p: string | undefined): string | undefined => p?.slice(home.length + 1);
    expect(got.map((p) => [rel(p.path), p.shell, rel(p.sourcedFrom)])).toEqual([
      ['.bashrc', 'bash', undefined],
      ['.config/fish/config.fish', 'fish', undefined],
      ['.bash_aliases', 'bash', '.bashrc'],
      ['.secrets.sh', 'bash', '.bashrc'],
      ['.relative', 'bash', '.bashrc'],
      ['.d/1.sh', 'bash', '.bashrc'],
      ['.d/2.sh', 'bash', '.bashrc'],
      ['.config/fish/extra.fish', 'fish', '.config/fish/config.fish'],
    ]);
  });

  it('a profile that is a symbolic link (dotfiles managers) is found once', async () => {
    const home = tempDir();
    writeFiles(home, { 'dotfiles/zshrc': '' });
    symlinkSync(join(home, 'dotfiles/zshrc'), join(home, '.zshrc'));
    symlinkSync(join(home, 'dotfiles/zshrc'), join(home, '.zshenv'));
    const got = await discoverProfiles({ HOME: home }, 'linux');
    expect(got.map((p) => p.path)).toEqual([join(home, '.zshenv')]);
  });

  it('Windows: USERPROFILE when HOME is unset, Documents\\PowerShell profiles', async () => {
    const home = tempDir();
    writeFiles(home, { 'Documents/PowerShell/Microsoft.PowerShell_profile.ps1': '', 'Documents/WindowsPowerShell/profile.ps1': '' });
    expect(homeOf({ USERPROFILE: home }, 'win32')).toBe(home);
    expect(homeOf({ USERPROFILE: home }, 'linux')).toBeUndefined();
    const got = await discoverProfiles({ USERPROFILE: home }, 'win32');
    expect(got.map((p) => p.path.slice(home.length + 1))).toEqual([
      'Documents/PowerShell/Microsoft.PowerShell_profile.ps1',
      'Documents/WindowsPowerShell/profile.ps1',
    ]);
  });

  it('no HOME: nothing, no throw', async () => {
    expect(homeOf({}, 'linux')).toBeUndefined();
    expect(await discoverProfiles({}, 'linux')).toEqual([]);
  });

  it('source paths: ~, $VAR, ${VAR:-default}, unknown variables give up', () => {
    const vars = { HOME: '/h', ZDOTDIR: '/z' };
    expect(expandSourcePath('~/.a', vars, '/h')).toBe('/h/.a');
    expect(expandSourcePath('"${ZDOTDIR:-$HOME}/.b"', vars, '/h')).toBe('/z/.b');
    expect(expandSourcePath('${NOPE:-$HOME/.c}', vars, '/h')).toBe('/h/.c');
    expect(expandSourcePath('$NOPE/x', vars, '/h')).toBeUndefined();
    expect(expandSourcePath('$(brew --prefix)/x', vars, '/h')).toBeUndefined();
    expect(sourcedPaths('. "$PSScriptRoot\\lib.ps1"\n', 'pwsh')).toEqual(['$PSScriptRoot\\lib.ps1']);
    expect(sourcedPaths('source_env ../.envrc\ndotenv .env.local\n', 'direnv')).toEqual(['../.envrc', '.env.local']);
  });

  it('profile names for files given on the command line', () => {
    expect(['.zshrc', '.bash_profile', 'config.fish', 'Microsoft.PowerShell_profile.ps1', '.env.local', '.envrc', 'notes.txt'].map(profileShellOf)).toEqual([
      'zsh',
      'bash',
      'fish',
      'pwsh',
      'env',
      'direnv',
      undefined,
    ]);
  });
});

it('directories in the way of a profile name are not profiles', async () => {
  const home = tempDir();
  mkdirSync(join(home, '.bashrc'));
  expect(await discoverProfiles({ HOME: home }, 'linux')).toEqual([]);
});

describe('runtime fetches', () => {
  it('names every secret store helper (each one behind a single expression that rules out most values first)', () => {
    const samples: [string, string | undefined][] = [
      ['$(op read op://x)', 'op read'],
      ['$(op item get x)', 'op item get'],
      ['$(op inject -i f)', 'op inject'],
      ['$(security find-generic-password -w)', 'security find-generic-password'],
      ['$(security find-internet-password -w)', 'security find-internet-password'],
      ['$(secret-tool lookup a b)', 'secret-tool'],
      ['$(gopass show x)', 'gopass'],
      ['$(pass show openai)', 'pass'],
      ['`pass openai/key`', 'pass'],
      ['$(KeyChain-get x)', 'keychain'],
      ['$(keyring get a b)', 'keyring get'],
      ['$(bw get password x)', 'bw get'],
      ['$(lpass show x)', 'lpass show'],
      ['$(vault kv get x)', 'vault'],
      ['$(vault read x)', 'vault'],
      ['$(aws secretsmanager get-secret-value)', 'aws secretsmanager'],
      ['$(aws ssm get-parameter x)', 'aws ssm get-parameter'],
      ['$(gcloud secrets versions access)', 'gcloud secrets'],
      ['$(az keyvault secret show)', 'az keyvault'],
      ['$(doppler secrets get X)', 'doppler secrets'],
      ['$(sops -d f)', 'sops'],
      ['$(gpg -d f.gpg)', 'gpg --decrypt'],
      ['$(gpg2 --decrypt f)', 'gpg --decrypt'],
      ['$(age -d f)', 'age --decrypt'],
      ['(Get-Secret x)', 'Get-Secret'],
      ['(get-storedcredential x)', 'Get-StoredCredential'],
      ['(Get-SecretValue x)', 'Get-SecretValue'],
      ['$HOME/bin:$PATH', undefined],
      ['$(cat ~/.openai)', undefined],
      ['password', undefined],
    ];
    for (const [raw, name] of samples) expect(runtimeFetchOf(raw), raw).toBe(name);
  });
});
