// The pure parts of the Codex check: version rules, auth.json resolution, TOML line lookup,
// synced-folder detection, `codex login status` parsing.
import { describe, expect, it } from 'vitest';
import { parseAuthJson } from '../src/codex/auth-file.js';
import { parseLoginStatus } from '../src/codex/codex-binary.js';
import { mergeConfig, trustLevelOf } from '../src/codex/config.js';
import { seenByCodex } from '../src/codex/env-value.js';
import type { CodexFacts } from '../src/codex/facts.js';
import { rulesFor } from '../src/codex/rules.js';
import { parseVersion } from '../src/codex/semver.js';
import { storedLogin } from '../src/codex/stored-login.js';
import { syncedServiceOf } from '../src/codex/synced.js';
import { lineOfKey } from '../src/codex/toml-lines.js';
import { keyFor } from './helpers/keys.js';

const v = (s: string) => parseVersion(s);

describe('version rules', () => {
  it('parses what codex --version prints', () => {
    expect(v('codex-cli 0.34.0')).toEqual({ major: 0, minor: 34, patch: 0 });
    expect(v('codex-cli 0.171.0-alpha.2\n')).toEqual({ major: 0, minor: 171, patch: 0 });
    expect(v('codex')).toBeUndefined();
  });

  it('follows the history table', () => {
    expect(rulesFor(v('0.8.0')).envOpenaiApiKey).toBe('overrides-login');
    expect(rulesFor(v('0.20.0')).envOpenaiApiKey).toBe('fallback');
    expect(rulesFor(v('0.34.0')).envOpenaiApiKey).toBe('fallback');
    expect(rulesFor(v('0.36.0')).envOpenaiApiKey).toBe('prefill-only');
    expect(rulesFor(v('0.34.0')).legacyMixedUses).toBe('chatgpt');
    expect(rulesFor(v('0.36.0')).legacyMixedUses).toBe('apikey');
    expect(rulesFor(v('0.42.0')).codexApiKey).toBe(false);
    expect(rulesFor(v('0.44.0')).codexApiKey).toBe(true);
    expect(rulesFor(v('0.29.0')).projectDotenv).toBe(true);
    expect(rulesFor(v('0.34.0')).projectDotenv).toBe(false);
    expect(rulesFor(v('0.45.0')).openaiBaseUrl).toBe('honoured');
    expect(rulesFor(v('0.171.0')).openaiBaseUrl).toBe('ignored');
    expect(rulesFor(v('0.148.0')).providerAuthJsonFallback).toBe(true);
    expect(rulesFor(v('0.149.0')).providerAuthJsonFallback).toBe(false);
  });

  it('assumes the newest rules when the version is unknown, and says so', () => {
    expect(rulesFor(undefined)).toMatchObject({ version: '0.171.0', assumed: true, envOpenaiApiKey: 'prefill-only', codexApiKey: true });
  });
});

describe('auth.json', () => {
  const key = keyFor('project_164', 9);
  const facts = (text: string, version = '0.171.0'): ReturnType<typeof storedLogin> => {
    const f: CodexFacts = {
      home: { path: '/h/.codex', fromEnv: false, exists: true },
      auth: parseAuthJson(text, '/h/.codex/auth.json'),
      exposure: {},
      config: { layers: [], errors: [], providers: {} },
      env: {},
      readErrors: [],
    };
    return storedLogin(f, rulesFor(v(version)));
  };

  it('resolves the mode as Codex does', () => {
    expect(facts(JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: key })).kind).toBe('apikey');
    expect(facts(JSON.stringify({ OPENAI_API_KEY: key })).kind).toBe('apikey');
    expect(facts(JSON.stringify({ OPENAI_API_KEY: key, tokens: { access_token: 'a', refresh_token: 'r' } })).kind).toBe('apikey');
    expect(facts(JSON.stringify({ OPENAI_API_KEY: key, tokens: { access_token: 'a', refresh_token: 'r' } }), '0.29.0').kind).toBe('chatgpt');
    expect(facts(JSON.stringify({ OPENAI_API_KEY: null }))).toMatchObject({ kind: 'chatgpt', missing: ['tokens'] });
    expect(facts(JSON.stringify({ auth_mode: 'chatgpt', OPENAI_API_KEY: key, tokens: { access_token: 'a', refresh_token: 'r' } })).kind).toBe('chatgpt');
    expect(facts(JSON.stringify({ auth_mode: 'agentIdentity' }))).toMatchObject({ kind: 'other', mode: 'agentIdentity' });
  });

  it('unknown auth_mode and wrong types are parse errors', () => {
    expect(parseAuthJson('{"auth_mode":"oauth"}', 'p').state).toBe('invalid');
    expect(parseAuthJson('{"OPENAI_API_KEY": 5}', 'p').state).toBe('invalid');
    expect(parseAuthJson('[]', 'p').state).toBe('invalid');
    expect(parseAuthJson('{}', 'p')).toMatchObject({ state: 'parsed', apiKey: null });
  });
});

describe('config.toml', () => {
  it('finds the line of a key, in tables and dotted', () => {
    const text = '# c\nmodel = "x"\n\n[model_providers."my.p"]\nenv_key = "K"\n[other]\nenv_key = "no"\nmodel_providers.q.env_key = "Q"\n';
    expect(lineOfKey(text, [], 'model')).toBe(2);
    expect(lineOfKey(text, ['model_providers', 'my.p'], '')).toBe(4);
    expect(lineOfKey(text, ['model_providers', 'my.p'], 'env_key')).toBe(5);
    expect(lineOfKey(text, ['model_providers', 'q'], 'env_key')).toBeUndefined();
  });

  it('later layers win, key by key', () => {
    const c = mergeConfig([
      {
        path: '/etc/codex/config.toml',
        kind: 'system',
        text: 'forced_login_method = "chatgpt"\nmodel_provider = "a"\n[model_providers.a]\nenv_key = "A"\n',
        loaded: true,
      },
      { path: '/h/.codex/config.toml', kind: 'user', text: '[model_providers.a]\nbase_url = "https://a.example.com"\n', loaded: true },
    ]);
    expect(c.forcedLoginMethod?.source.path).toBe('/etc/codex/config.toml');
    expect(c.providers.a).toMatchObject({ envKey: 'A', baseUrl: 'https://a.example.com' });
  });

  it('reads trust from [projects."<dir>"]', () => {
    const user = '[projects."/w/app"]\ntrust_level = "trusted"\n[projects."/w/x"]\ntrust_level = "untrusted"\n';
    expect(trustLevelOf(user, ['/w/app/sub', '/w/app'])).toBe('trusted');
    expect(trustLevelOf(user, ['/w/x'])).toBe('untrusted');
    expect(trustLevelOf(user, ['/w/y'])).toBeUndefined();
  });
});

describe('variables as Codex sees them', () => {
  const a = (path: string, line: number, value: string | null) => ({ path, line, value, shell: 'zsh', raw: `X=${value}` });
  it('.env beats the shell; CODEX_* never comes from .env; empty is unset', () => {
    const rules = rulesFor(undefined);
    expect(seenByCodex({ name: 'OPENAI_API_KEY', process: 'shell', profiles: [], dotenv: a('/e', 1, 'file') }, rules)).toMatchObject({
      value: 'file',
      origin: 'dotenv',
    });
    expect(seenByCodex({ name: 'CODEX_API_KEY', profiles: [], dotenv: a('/e', 1, 'file') }, rules)).toBeUndefined();
    expect(seenByCodex({ name: 'OPENAI_API_KEY', profiles: [a('/p', 3, '')] }, rules)).toBeUndefined();
    expect(seenByCodex({ name: 'OPENAI_API_KEY', process: 'v', profiles: [a('/p', 3, 'v')] }, rules)).toMatchObject({ origin: 'shell', where: { line: 3 } });
  });
});

describe('synced folders', () => {
  it('recognises the sync clients by their folder names', () => {
    expect(syncedServiceOf('/Users/j/Dropbox/dot/codex/auth.json')).toBe('Dropbox');
    expect(syncedServiceOf('/Users/j/Dropbox (Personal)/codex/auth.json')).toBe('Dropbox');
    expect(syncedServiceOf('C:\\Users\\j\\OneDrive - Contoso\\codex\\auth.json')).toBe('OneDrive');
    expect(syncedServiceOf('/Users/j/Library/Mobile Documents/com~apple~CloudDocs/codex/auth.json')).toBe('iCloud Drive');
    expect(syncedServiceOf('/Users/j/Library/CloudStorage/GoogleDrive-j@example.com/My Drive/c/auth.json')).toBe('Google Drive');
    expect(syncedServiceOf('/home/j/.codex/auth.json')).toBeUndefined();
  });
});

describe('codex login status', () => {
  it('reads the current and older strings', () => {
    expect(parseLoginStatus('Logged in using ChatGPT').state).toBe('chatgpt');
    expect(parseLoginStatus('API key configured - sk-proj-***12345\nAuthentication is checked when you send a request.').state).toBe('apikey');
    expect(parseLoginStatus('Logged in using an API key - sk-proj-***12345').state).toBe('apikey');
    expect(parseLoginStatus('Not logged in').state).toBe('none');
    expect(parseLoginStatus('Error checking login status: No such file or directory (os error 2)').state).toBe('none');
    expect(parseLoginStatus('Logged in using access token').state).toBe('other');
    expect(parseLoginStatus('Error checking login status: failed to deserialize').state).toBe('error');
  });
});
