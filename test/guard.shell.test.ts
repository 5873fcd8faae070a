// `keyguard install --shell`: the marked block (install twice = once, uninstall gives back the exact
// bytes, unbalanced markers refused), the command in a temp HOME, and the real shells in a
// pseudo-terminal: a typed line holding a key never reaches the history file, a clean line does.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HookError } from '../src/errors.js';
import { BLOCK_BEGIN, BLOCK_END, withBlock, withoutBlock } from '../src/guard/shell/profile-block.js';
import { bashSnippet, fishSnippet, zshSnippet } from '../src/guard/shell/snippets.js';
import { ATUIN_PATTERNS } from '../src/guard/shell/atuin.js';
import { parse as parseToml } from 'smol-toml';
import { keyFor, MARKER } from './helpers/keys.js';
import { runMain } from './helpers/main.js';
import { typeInShell, which } from './helpers/pty-shell.js';
import { tempDir } from './helpers/tmp.js';

const BODY = ['echo one', 'echo two'];

describe('the marked block', () => {
  const originals: Record<string, string> = {
    empty: '',
    'final newline': 'alias ll=ls\nexport EDITOR=vi\n',
    'no final newline': 'alias ll=ls\nexport EDITOR=vi',
    crlf: 'alias ll=ls\r\nexport EDITOR=vi\r\n',
    'crlf, no final newline': 'alias ll=ls\r\nexport EDITOR=vi',
    'latin1 bytes': 'PS1="\xe9> "\n',
  };

  for (const [name, text] of Object.entries(originals)) {
    it(`install twice = once, and uninstall gives back the bytes (${name})`, () => {
      const once = withBlock(text, BODY, 'rc');
      expect(once.action).toBe('added');
      expect(once.text).toContain(`${BLOCK_BEGIN}`);
      expect(once.text.startsWith(text.replace(/(\r?\n)?$/, ''))).toBe(true);
      const twice = withBlock(once.text, BODY, 'rc');
      expect(twice).toEqual({ action: 'unchanged', text: once.text });
      const back = withoutBlock(twice.text, 'rc');
      expect(back.action).toBe('removed');
      expect(back.text).toBe(text);
    });
  }

  it('replaces an older block in place, where it is, and uninstall still restores the rest', () => {
    const before = 'a\n';
    const old = withBlock(before, ['echo old'], 'rc').text + 'b\n';
    const next = withBlock(old, BODY, 'rc');
    expect(next.action).toBe('replaced');
    expect(next.text).toBe(`a\n${BLOCK_BEGIN}\necho one\necho two\n${BLOCK_END}\nb\n`);
    expect(withoutBlock(next.text, 'rc').text).toBe('a\nb\n');
  });

  const unbalanced: Record<string, string> = {
    'a begin marker alone': `a\n${BLOCK_BEGIN}\necho x\n`,
    'an end marker alone': `a\n${BLOCK_END}\n`,
    'the end before the begin': `${BLOCK_END}\n${BLOCK_BEGIN}\n`,
    'two blocks': `${BLOCK_BEGIN}\n${BLOCK_END}\n${BLOCK_BEGIN}\n${BLOCK_END}\n`,
  };
  for (const [name, text] of Object.entries(unbalanced)) {
    it(`refuses ${name}, for install and for uninstall`, () => {
      expect(() => withBlock(text, BODY, '/home/me/.zshrc')).toThrow(HookError);
      expect(() => withoutBlock(text, '/home/me/.zshrc')).toThrow(/\/home\/me\/\.zshrc: keyguard's markers do not pair up .*line \d/);
    });
  }
});

/** A temp HOME and the environment a command or a shell sees in it. */
function home(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir('kg-shell-home-');
  return { dir, env: { PATH: process.env.PATH ?? '', HOME: dir, TERM: 'xterm', LANG: 'C.UTF-8' } };
}

function backups(dir: string): string[] {
  const b = join(dir, '.local', 'share', 'keyguard', 'backups');
  return existsSync(b) ? readdirSync(b) : [];
}

describe('keyguard install --shell / uninstall --shell', () => {
  it('adds the block to ~/.zshrc and ~/.bashrc once, backs them up, and uninstall restores their exact bytes', async () => {
    const h = home();
    const zshrc = 'setopt HIST_IGNORE_SPACE\r\nexport EDITOR=vi\r\nalias ll=ls'; // CRLF and no final newline
    const bashrc = 'alias ll=ls\n';
    writeFileSync(join(h.dir, '.zshrc'), zshrc, 'latin1');
    writeFileSync(join(h.dir, '.bashrc'), bashrc);
    const first = await runMain(['install', '--shell', 'zsh,bash'], { cwd: h.dir, env: h.env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/zsh: history guard installed in ~\/\.zshrc \(backup: /);
    expect(first.stdout).toMatch(/bash: history guard installed in ~\/\.bashrc/);
    expect(backups(h.dir)).toHaveLength(2);
    const installed = readFileSync(join(h.dir, '.zshrc'), 'latin1');
    expect(installed).toContain('_keyguard_zshaddhistory');
    expect(installed).toContain(`${BLOCK_BEGIN}\r\n`); // the file's own line ends
    const second = await runMain(['install', '--shell', 'zsh,bash'], { cwd: h.dir, env: h.env });
    expect(second.stdout).toMatch(/zsh: history guard already in ~\/\.zshrc; nothing changed/);
    expect(readFileSync(join(h.dir, '.zshrc'), 'latin1')).toBe(installed);
    expect(backups(h.dir)).toHaveLength(2);
    const out = await runMain(['uninstall', '--shell'], { cwd: h.dir, env: h.env });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/zsh: history guard removed from ~\/\.zshrc/);
    expect(readFileSync(join(h.dir, '.zshrc'), 'latin1')).toBe(zshrc);
    expect(readFileSync(join(h.dir, '.bashrc'), 'latin1')).toBe(bashrc);
    const again = await runMain(['uninstall', '--shell'], { cwd: h.dir, env: h.env });
    expect(again.stdout).toMatch(/no shell history guard is installed; nothing changed/);
  });

  it('edits the file a symbolic link points to, keeping the link, and creates then deletes a missing profile', async () => {
    const h = home();
    mkdirSync(join(h.dir, 'dotfiles'));
    writeFileSync(join(h.dir, 'dotfiles', 'zshrc'), 'alias ll=ls\n');
    symlinkSync(join(h.dir, 'dotfiles', 'zshrc'), join(h.dir, '.zshrc'));
    const r = await runMain(['install', '--shell', 'zsh,bash'], { cwd: h.dir, env: h.env });
    expect(r.code).toBe(0);
    expect(lstatSync(join(h.dir, '.zshrc')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(h.dir, 'dotfiles', 'zshrc'), 'utf8')).toContain('_keyguard_zshaddhistory');
    expect(readFileSync(join(h.dir, '.bashrc'), 'utf8')).toContain('__keyguard_history_scrub');
    await runMain(['uninstall', '--shell', 'zsh,bash'], { cwd: h.dir, env: h.env });
    expect(readlinkSync(join(h.dir, '.zshrc'))).toBe(join(h.dir, 'dotfiles', 'zshrc'));
    expect(readFileSync(join(h.dir, 'dotfiles', 'zshrc'), 'utf8')).toBe('alias ll=ls\n');
    expect(existsSync(join(h.dir, '.bashrc'))).toBe(false);
  });

  it("bash: says when login shells read a file that does not source ~/.bashrc (and not when Debian's ~/.profile does)", async () => {
    const h = home();
    const debian = 'if [ -n "$BASH_VERSION" ]; then\n    if [ -f "$HOME/.bashrc" ]; then\n\t. "$HOME/.bashrc"\n    fi\nfi\n';
    writeFileSync(join(h.dir, '.profile'), debian);
    const quiet = await runMain(['install', '--shell', 'bash'], { cwd: h.dir, env: h.env });
    expect(quiet.stdout).not.toMatch(/login shells/);
    writeFileSync(join(h.dir, '.bash_profile'), 'export PATH=$HOME/bin:$PATH\n');
    const told = await runMain(['install', '--shell', 'bash'], { cwd: h.dir, env: h.env });
    expect(told.stdout).toMatch(/note: login shells read ~\/\.bash_profile, which does not source ~\/\.bashrc/);
  });

  it('refuses a profile whose markers do not pair up, changes nothing, and exits 2', async () => {
    const h = home();
    const broken = `alias ll=ls\n${BLOCK_BEGIN}\necho half a block\n`;
    writeFileSync(join(h.dir, '.zshrc'), broken);
    const r = await runMain(['install', '--shell', 'zsh'], { cwd: h.dir, env: h.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.zshrc: keyguard's markers do not pair up .*line 2.*nothing was changed/);
    expect(readFileSync(join(h.dir, '.zshrc'), 'utf8')).toBe(broken);
    const u = await runMain(['uninstall', '--shell', 'zsh'], { cwd: h.dir, env: h.env });
    expect(u.code).toBe(2);
    expect(readFileSync(join(h.dir, '.zshrc'), 'utf8')).toBe(broken);
  });

  it('names unknown shells, and says what to do where no content filter exists', async () => {
    const h = home();
    const typo = await runMain(['install', '--shell', 'zhs'], { cwd: h.dir, env: h.env });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown shell 'zhs' \(did you mean 'zsh'\?\)/);
    const nu = await runMain(['install', '--shell', 'nushell,psql'], { cwd: h.dir, env: h.env });
    expect(nu.code).toBe(2); // named, and not guarded
    expect(nu.stdout).toMatch(/nushell: nushell has no history content filter.*ignore_space_prefixed/);
    expect(nu.stdout).toMatch(/psql: .*\\set HISTCONTROL ignorespace/);
    expect(readdirSync(h.dir)).toEqual([]);
  });

  it('on fish before 4.0 installs nothing and says what to do instead', async () => {
    const h = home();
    const bin = join(h.dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'fish'), '#!/bin/sh\necho "fish, version 3.6.0"\n', { mode: 0o755 });
    const env = { ...h.env, PATH: `${bin}:${h.env.PATH}` };
    const r = await runMain(['install', '--shell', 'fish'], { cwd: h.dir, env });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/fish: 3\.6\.0 on this machine: fish before 4\.0 has no history content filter.*fish --private/);
    expect(existsSync(join(h.dir, '.config', 'fish', 'config.fish'))).toBe(false);
  });

  it('without a list, guards the shells on PATH only', async () => {
    const h = home();
    const bin = join(h.dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'bash'), '#!/bin/sh\necho "GNU bash, version 5.2.15(1)-release"\n', { mode: 0o755 });
    const r = await runMain(['install', '--shell'], { cwd: h.dir, env: { ...h.env, PATH: bin } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/bash: history guard installed in ~\/\.bashrc/);
    expect(r.stdout).not.toMatch(/zsh:/);
    expect(existsSync(join(h.dir, '.zshrc'))).toBe(false);
  });
});

describe("atuin's history_filter", () => {
  const config = [
    '## atuin config',
    'auto_sync = true',
    'search_mode = "fuzzy"',
    '',
    '[sync]',
    'records = true',
    '',
    '[stats]',
    'common_prefix = ["sudo"]',
  ].join('\n'); // no final newline

  it('goes at the top level, before the first table, and uninstall gives back the bytes', async () => {
    const h = home();
    const path = join(h.dir, '.config', 'atuin', 'config.toml');
    mkdirSync(join(h.dir, '.config', 'atuin'), { recursive: true });
    writeFileSync(path, config);
    const r = await runMain(['install', '--shell', 'atuin'], { cwd: h.dir, env: h.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/atuin: history guard installed in ~\/\.config\/atuin\/config\.toml/);
    const text = readFileSync(path, 'utf8');
    const toml = parseToml(text) as { history_filter: string[]; sync: Record<string, unknown>; auto_sync: boolean };
    expect(toml.history_filter).toEqual(ATUIN_PATTERNS);
    expect(toml.sync).toEqual({ records: true }); // not inside [sync], and [sync] not changed
    expect(toml.auto_sync).toBe(true);
    // the patterns are unanchored regular expressions: they find the keys (Rust and JS agree on this subset)
    const res = toml.history_filter.map((p) => new RegExp(p));
    expect([KEY, SESSION, LEGACY].every((k) => res.some((re) => re.test(`curl -H "Bearer ${k}"`)))).toBe(true);
    expect(res.some((re) => re.test('echo sess-short'))).toBe(false);
    expect((await runMain(['install', '--shell', 'atuin'], { cwd: h.dir, env: h.env })).stdout).toMatch(/already in/);
    await runMain(['uninstall', '--shell', 'atuin'], { cwd: h.dir, env: h.env });
    expect(readFileSync(path, 'utf8')).toBe(config);
  });

  it('leaves a config with its own history_filter, or that is not TOML, unchanged and says what to add', async () => {
    const h = home();
    const path = join(h.dir, '.config', 'atuin', 'config.toml');
    mkdirSync(join(h.dir, '.config', 'atuin'), { recursive: true });
    const own = 'history_filter = [\n  "^secret-cmd",\n]\n[sync]\nrecords = true\n';
    writeFileSync(path, own);
    const r = await runMain(['install', '--shell', 'atuin'], { cwd: h.dir, env: h.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already has a history_filter of its own: nothing was changed\. Add "T3BlbkFJ" and "sess-\[A-Za-z0-9\]\{40\}" to that list/);
    expect(readFileSync(path, 'utf8')).toBe(own);
    writeFileSync(path, 'auto_sync = \n');
    const bad = await runMain(['install', '--shell', 'atuin'], { cwd: h.dir, env: h.env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not valid TOML/);
    expect(readFileSync(path, 'utf8')).toBe('auto_sync = \n');
  });
});

describe('keyguard audit and the guard', () => {
  it('reports the guard where it is installed, and offers it for a shell whose history held a key', async () => {
    const h = home();
    writeFileSync(join(h.dir, '.zshrc'), 'alias ll=ls\n');
    writeFileSync(join(h.dir, '.bashrc'), 'alias ll=ls\n');
    writeFileSync(join(h.dir, '.bash_history'), `export OPENAI_API_KEY=${keyFor('project_164', 9)}\n`, { mode: 0o600 });
    expect((await runMain(['install', '--shell', 'zsh'], { cwd: h.dir, env: h.env })).code).toBe(0);
    const r = await runMain(['audit', '--format', 'json'], { cwd: h.dir, env: { ...h.env, NO_COLOR: '1' } });
    expect(r.code).toBe(1);
    const checks = (JSON.parse(r.stdout) as { checks: { id: string; severity: string; message: string; fix: string[] }[] }).checks;
    const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
    expect(byId['history-hardening-guard-zsh']).toMatchObject({
      severity: 'info',
      path: join(h.dir, '.zshrc'),
      message: expect.stringContaining("zsh: keyguard's history guard is installed"),
    });
    expect(byId['history-hardening-guard-bash']).toBeUndefined();
    expect(byId['history-hardening-bash']!.fix).toContain('keyguard install --shell bash   # lines holding a key are never saved');
    await runMain(['uninstall', '--shell'], { cwd: h.dir, env: h.env });
    const after = await runMain(['audit', '--format', 'json'], { cwd: h.dir, env: h.env });
    expect(after.stdout).not.toContain('history-hardening-guard-zsh');
  });
});

// ---- the real shells ----

const PROMPT = 'KG-READY> ';
const KEY = keyFor('project_164', 41);
const LEGACY = keyFor('legacy_user_51', 42);
const SESSION = keyFor('session_45', 43);

/** Lines a person types: clean ones, and keys on a single line and inside multi-line commands. */
const TYPED = ['echo clean-one', `export OPENAI_API_KEY=${KEY}`, `echo 'quoted\n${LEGACY}'`, `for i in 1; do\n  echo ${SESSION}\ndone`, 'echo clean-two'];

function expectGuarded(history: string): void {
  expect(history).toContain('echo clean-one');
  expect(history).toContain('echo clean-two');
  expect(history).not.toContain(MARKER);
  expect(history).not.toContain(SESSION);
}

// the pseudo-terminal is util-linux's `script`: without it there is no real shell to type into
const script = which('script');
const zsh = script && which('zsh');
const bash = script && which('bash');
const fish = which('fish');

const zshSkip = zsh ? '' : script ? ' (skipped: zsh is not installed; apt-get install zsh)' : ' (skipped: no `script` for a pty)';
describe.skipIf(!zsh)(`zsh in a pseudo-terminal${zshSkip}`, () => {
  const rc = (h: string) => `PS1='${PROMPT}'\nHISTFILE=${h}/.zsh_history\nSAVEHIST=1000\nHISTSIZE=1000\n`;

  it('control: without the guard the key lines reach the history file', async () => {
    const h = home();
    writeFileSync(join(h.dir, '.zshrc'), rc(h.dir));
    await typeInShell('zsh -i', h.env, PROMPT, TYPED);
    expect(readFileSync(join(h.dir, '.zsh_history'), 'utf8')).toContain(KEY);
  });

  it('with the guard: the clean lines are saved, no key is, even with a hook that returns 2 (McFly) set up before it', async () => {
    const h = home();
    // another tool's hook that keeps lines in the internal history only, which it then exports (as McFly does with fc -W);
    // the first non-zero status wins, so the guard must run before it
    const later = '_other_tool() { return 2 }\nautoload -Uz add-zsh-hook && add-zsh-hook zshaddhistory _other_tool\n';
    writeFileSync(join(h.dir, '.zshrc'), rc(h.dir) + later);
    expect((await runMain(['install', '--shell', 'zsh'], { cwd: h.dir, env: h.env })).code).toBe(0);
    const s = await typeInShell('zsh -i', h.env, PROMPT, [...TYPED, `fc -W ${h.dir}/internal`]);
    expect(s.output).toContain('clean-two'); // the lines really ran
    expectGuarded(readFileSync(join(h.dir, 'internal'), 'utf8'));
    // with the other hook returning 2 nothing reaches the file; without it, the clean lines do
    writeFileSync(join(h.dir, '.zshrc'), readFileSync(join(h.dir, '.zshrc'), 'utf8').replace(later, ''));
    await typeInShell('zsh -i', h.env, PROMPT, TYPED);
    expectGuarded(readFileSync(join(h.dir, '.zsh_history'), 'utf8'));
  });

  it('a key typed as the last line before exit is not saved either', async () => {
    const h = home();
    writeFileSync(join(h.dir, '.zshrc'), rc(h.dir));
    await runMain(['install', '--shell', 'zsh'], { cwd: h.dir, env: h.env });
    await typeInShell('zsh -i', h.env, PROMPT, ['echo clean-one', 'echo clean-two', `export OPENAI_API_KEY=${KEY}`]);
    expectGuarded(readFileSync(join(h.dir, '.zsh_history'), 'utf8'));
  });
});

describe.skipIf(!bash)(`bash in a pseudo-terminal${bash ? '' : script ? ' (skipped: bash is not installed)' : ' (skipped: no `script` for a pty)'}`, () => {
  // history -a at every prompt writes each line as soon as it ran: the scrubber must come before it
  const rc = (h: string) => `PS1='${PROMPT}'\nHISTFILE=${h}/.bash_history\nshopt -s histappend\nPROMPT_COMMAND='history -a'\n`;

  it('control: without the guard the key lines reach the history file', async () => {
    const h = home();
    writeFileSync(join(h.dir, '.bashrc'), rc(h.dir));
    await typeInShell('bash -i', h.env, PROMPT, TYPED);
    expect(readFileSync(join(h.dir, '.bash_history'), 'utf8')).toContain(KEY);
  });

  it('control: HISTIGNORE alone lets the multi-line commands through', async () => {
    const h = home();
    const histignore = bashSnippet().find((l) => l.includes('HISTIGNORE='))!;
    writeFileSync(join(h.dir, '.bashrc'), `${rc(h.dir)}${histignore}\n`);
    await typeInShell('bash -i', h.env, PROMPT, TYPED);
    const history = readFileSync(join(h.dir, '.bash_history'), 'utf8');
    expect(history).not.toContain(KEY); // the single line is caught
    expect(history).toContain(LEGACY); // the multi-line ones are not
  });

  it('with the guard: the clean lines are saved, no key is, also when history -a is set up after the guard', async () => {
    const h = home();
    writeFileSync(join(h.dir, '.bashrc'), rc(h.dir));
    expect((await runMain(['install', '--shell', 'bash'], { cwd: h.dir, env: h.env })).code).toBe(0);
    await typeInShell('bash -i', h.env, PROMPT, TYPED);
    expectGuarded(readFileSync(join(h.dir, '.bash_history'), 'utf8'));
    // a history tool set up later puts itself first in PROMPT_COMMAND (as McFly does): the scrubber moves back in front
    writeFileSync(join(h.dir, '.bashrc'), 'PROMPT_COMMAND="history -a;$PROMPT_COMMAND"\n', { flag: 'a' });
    writeFileSync(join(h.dir, '.bash_history'), '');
    const s = await typeInShell('bash -i', h.env, PROMPT, [...TYPED, 'echo "pc=$PROMPT_COMMAND"', 'false', 'echo "was=$?"']);
    expectGuarded(readFileSync(join(h.dir, '.bash_history'), 'utf8'));
    expect(s.output).toMatch(/pc=__keyguard_history_scrub;history -a;/);
    expect(s.output).toContain('was=1'); // $? survives the scrubber
  });

  it('a .bashrc sourced again, under set -u, adds nothing twice and still guards', async () => {
    const h = home();
    writeFileSync(join(h.dir, '.bashrc'), `set -u\nunset PROMPT_COMMAND HISTIGNORE\nPS1='${PROMPT}'\nHISTFILE=${h.dir}/.bash_history\n`);
    expect((await runMain(['install', '--shell', 'bash'], { cwd: h.dir, env: h.env })).code).toBe(0);
    const s = await typeInShell('bash -i', h.env, PROMPT, ['. ~/.bashrc', ...TYPED, 'echo "pc=$PROMPT_COMMAND" "hi=$HISTIGNORE"']);
    expect(s.output).not.toMatch(/unbound variable/);
    expect(s.output).toMatch(/pc=__keyguard_history_scrub; hi=\*T3BlbkFJ\*:\*sess-(\[a-zA-Z0-9\]){40}\*\r?\n/);
    expectGuarded(readFileSync(join(h.dir, '.bash_history'), 'utf8'));
  });
});

describe.skipIf(!fish)(`fish's filter function${fish ? '' : ' (skipped: fish is not installed; apt-get install fish)'}`, () => {
  // fish before 4.0 never calls fish_should_add_to_history, but can run it: its answers are checked here
  const ask = (lines: string[]) => lines.map((l) => `fish_should_add_to_history '${l}'; echo "$status"`).join('\n') + '\n';

  it('says no to key lines and to lines starting with a space, yes to the rest', async () => {
    const h = home();
    writeFileSync(join(h.dir, 'guard.fish'), `${fishSnippet().join('\n')}\n${ask(['echo clean', `set -x K ${KEY}`, ' echo spaced', `echo ${SESSION}`])}`);
    const r = spawnSync('fish', ['--no-config', join(h.dir, 'guard.fish')], { env: h.env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['0', '1', '1', '1']);
  });

  it("chains the user's own function (which replaced the space rule) after its own check", async () => {
    const h = home();
    const own = 'function fish_should_add_to_history\n    string match -q "*private*" -- $argv[1]; and return 1\n    return 0\nend\n';
    const guard = `${fishSnippet().join('\n')}\n`;
    writeFileSync(join(h.dir, 'guard.fish'), `${own}${guard}${guard}${ask(['echo clean', 'echo private', ' echo spaced', `echo ${KEY}`])}`);
    const r = spawnSync('fish', ['--no-config', join(h.dir, 'guard.fish')], { env: h.env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    // sourced twice (a re-sourced config.fish): still the user's function underneath, no recursion
    expect(r.stdout.trim().split('\n')).toEqual(['0', '1', '0', '1']);
  });
});

/** fish's version as [major, minor], or undefined when there is no fish. */
function fishVersion(): [number, number] | undefined {
  if (!fish) return undefined;
  const m = /(\d+)\.(\d+)/.exec(spawnSync('fish', ['--version'], { encoding: 'utf8' }).stdout);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}
const fishV = fishVersion();
const fish4 = script !== undefined && fishV !== undefined && fishV[0] >= 4;
const fishSkip = fish4
  ? ''
  : !script
    ? ' (skipped: no `script` for a pty)'
    : fishV
      ? ` (skipped: fish ${fishV.join('.')} is older than 4.0, which has no history filter)`
      : ' (skipped: fish is not installed)';

describe.skipIf(!fish4)(`fish >= 4.0 in a pseudo-terminal${fishSkip}`, () => {
  it('with the guard: the clean lines are saved, no key is, and a line starting with a space is still not saved', async () => {
    const h = home();
    mkdirSync(join(h.dir, '.config', 'fish'), { recursive: true });
    writeFileSync(join(h.dir, '.config', 'fish', 'config.fish'), `function fish_prompt\n    echo -n '${PROMPT}'\nend\n`);
    expect((await runMain(['install', '--shell', 'fish'], { cwd: h.dir, env: h.env })).code).toBe(0);
    await typeInShell('fish -i', h.env, PROMPT, [...TYPED.slice(0, 2), `echo ${SESSION}`, ' echo spaced', 'echo clean-two']);
    const history = readFileSync(join(h.dir, '.local', 'share', 'fish', 'fish_history'), 'utf8');
    expectGuarded(history);
    expect(history).not.toContain('spaced');
  });
});

describe('zsh and bash snippets', () => {
  it('hold the marker and the session shape, and start no program', () => {
    for (const s of [zshSnippet(), bashSnippet(), fishSnippet()]) {
      const text = s.join('\n');
      expect(text).toContain(MARKER);
      expect(text).toContain('sess-');
      expect(text).not.toMatch(/\bkeyguard (scan|hook)\b|\b(grep|sed|awk|node)\b/);
    }
  });
});
