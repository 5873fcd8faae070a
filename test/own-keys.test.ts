// Your own keys, recognised everywhere: collected from the environment, shell profiles,
// $CODEX_HOME/.env and auth.json, then marked in every scan, whatever their shape.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectOwnKeys } from '../src/discover/own-keys.js';
import { keyFor, randomString, rng } from './helpers/keys.js';
import { git, gitEnv, gitRepo, parseJson, tempDir, writeFiles } from './helpers/tmp.js';
import { runMain } from './helpers/main.js';

const SHAPED = keyFor('project_164', 801);
const SHAPED2 = keyFor('project_132', 802);
const SHAPED3 = keyFor('svcacct_167', 803);
/** A key of no known shape (a proxy's key, say): only the own-key index can find it. */
const ODD = `kgproxy-${randomString(rng(804), 40, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;

interface Json {
  findings: { ruleId: string; family: string; path: string; line: number; ownKey?: string; redacted: string }[];
}

function homeWith(files: Record<string, string>): string {
  const home = tempDir('kg-own-');
  writeFiles(home, files);
  return home;
}

describe('collectOwnKeys', () => {
  it('labels each key with where it is configured', async () => {
    const home = homeWith({
      '.zshrc': `# mine\nexport OPENAI_API_KEY=${SHAPED}\nexport EDITOR=vim\nexport OPENAI_PROXY_KEY=${ODD}\n`,
      '.codex/.env': `OPENAI_API_KEY=${SHAPED2}\n`,
      '.codex/auth.json': JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: SHAPED3 }),
    });
    const keys = await collectOwnKeys({ HOME: home, OPENAI_API_KEY: SHAPED }, home, 'linux');
    const label = (secret: string) => keys.find((k) => k.secret === secret)?.label;
    expect(label(SHAPED)).toBe('the key in your OPENAI_API_KEY, set in ~/.zshrc line 2');
    expect(label(ODD)).toBe('the key in your OPENAI_PROXY_KEY, set in ~/.zshrc line 4');
    expect(label(SHAPED2)).toBe('the key in OPENAI_API_KEY in ~/.codex/.env line 1');
    expect(label(SHAPED3)).toBe('the API key Codex is signed in with (~/.codex/auth.json)');
    expect(keys.map((k) => k.secret)).not.toContain('vim');
  });

  it('an environment value no profile sets; CODEX_HOME is honoured', async () => {
    const home = homeWith({ 'elsewhere/.env': `OPENAI_API_KEY=${SHAPED2}\n` });
    const keys = await collectOwnKeys({ HOME: home, CODEX_API_KEY: SHAPED, CODEX_HOME: join(home, 'elsewhere') }, home, 'linux');
    expect(keys).toContainEqual({ secret: SHAPED, label: 'the key in your CODEX_API_KEY environment variable' });
    expect(keys.some((k) => k.secret === SHAPED2)).toBe(true);
  });

  it('skips computed values, short values, unrelated names; survives unreadable files', async () => {
    const home = homeWith({
      '.bashrc': `export OPENAI_API_KEY="$(op read op://vault/openai/key)"\nexport OPENAI_API_KEY_SHORT=abc\nexport GITHUB_TOKEN=ghp_${'x'.repeat(36)}\n`,
    });
    mkdirSync(join(home, '.codex', 'auth.json'), { recursive: true });
    expect(await collectOwnKeys({ HOME: home }, home, 'linux')).toEqual([]);
  });

  it('any variable whose literal looks like an OpenAI key counts', async () => {
    const home = homeWith({ '.profile': `MY_THING=${SHAPED}\n` });
    expect((await collectOwnKeys({ HOME: home }, home, 'linux')).map((k) => k.label)).toEqual(['the key in your MY_THING, set in ~/.profile line 1']);
  });
});

describe('scans mark your own keys', () => {
  function setup(): { home: string; env: NodeJS.ProcessEnv } {
    const home = homeWith({ '.zshrc': `export OPENAI_API_KEY=${ODD}\nexport CODEX_API_KEY=${SHAPED}\n` });
    return { home, env: gitEnv({ HOME: home, OPENAI_API_KEY: '', CODEX_API_KEY: '' }) };
  }

  it('keyguard scan finds an own key of no known shape, and labels a shaped one', async () => {
    const { env } = setup();
    const dir = tempDir('kg-own-scan-');
    writeFiles(dir, { 'config.py': `PROXY = "${ODD}"\n`, 'b.txt': `\n\nkey=${SHAPED}\n` });
    const r = await runMain(['scan', '.', '--format', 'json'], { cwd: dir, env });
    expect(r.code).toBe(1);
    const j = parseJson<Json>(r);
    const odd = j.findings.find((f) => f.path.endsWith('config.py'));
    expect(odd).toMatchObject({ ruleId: 'openai-own-key', line: 1, ownKey: 'the key in your OPENAI_API_KEY, set in ~/.zshrc line 1' });
    const shaped = j.findings.find((f) => f.path.endsWith('b.txt'));
    expect(shaped).toMatchObject({ ruleId: 'openai-api-key', line: 3, ownKey: 'the key in your CODEX_API_KEY, set in ~/.zshrc line 2' });
    expect(r.stdout).not.toContain(ODD);
    const text = await runMain(['scan', '.'], { cwd: dir, env });
    expect(text.stdout).toContain('this is the key in your OPENAI_API_KEY, set in ~/.zshrc line 1');
  });

  it('without the profile, the odd key is not found (the own-key index is what finds it)', async () => {
    const dir = tempDir('kg-own-scan-');
    writeFiles(dir, { 'config.py': `PROXY = "${ODD}"\n` });
    const r = await runMain(['scan', '.', '--format', 'json'], { cwd: dir, env: gitEnv({ HOME: tempDir(), OPENAI_API_KEY: '', CODEX_API_KEY: '' }) });
    expect(parseJson<Json>(r).findings).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('scan --staged (the pre-commit hook) blocks an own key of no known shape', async () => {
    const { env } = setup();
    const repo = gitRepo({ 'README.md': 'hello\n' });
    writeFileSync(join(repo, 'settings.ini'), `[proxy]\ntoken = ${ODD}\n`);
    git(repo, ['add', 'settings.ini'], env);
    const r = await runMain(['scan', '--staged', '--format', 'json'], { cwd: repo, env });
    expect(r.code).toBe(1);
    expect(parseJson<Json>(r).findings).toEqual([
      expect.objectContaining({ ruleId: 'openai-own-key', path: 'settings.ini', line: 2, ownKey: 'the key in your OPENAI_API_KEY, set in ~/.zshrc line 1' }),
    ]);
  });

  it('a key from auth.json is recognised too', async () => {
    const home = homeWith({ '.codex/auth.json': JSON.stringify({ OPENAI_API_KEY: ODD }) });
    chmodSync(join(home, '.codex', 'auth.json'), 0o600);
    const dir = tempDir('kg-own-scan-');
    writeFiles(dir, { 'x.env': `K=${ODD}\n` });
    const r = await runMain(['scan', '.', '--format', 'json'], { cwd: dir, env: gitEnv({ HOME: home, OPENAI_API_KEY: '', CODEX_API_KEY: '' }) });
    expect(parseJson<Json>(r).findings[0]?.ownKey).toBe('the API key Codex is signed in with (~/.codex/auth.json)');
  });
});
