// The Codex check's rules where the real Codex proved them version-dependent (issue 12, item 5), and
// the hooks check (item 4), from plain facts: no files, no processes.
import { describe, expect, it } from 'vitest';
import { parseAuthJson } from '../src/codex/auth-file.js';
import { trustOf } from '../src/codex/checks-hooks.js';
import { parseLoginStatus } from '../src/codex/codex-binary.js';
import { mergeConfig } from '../src/codex/config.js';
import type { CodexFacts, EnvVarFact, HooksFacts } from '../src/codex/facts.js';
import { hookHash } from '../src/codex/hook-trust.js';
import { handlersOf } from '../src/codex/hooks-read.js';
import { resolveCodex } from '../src/codex/resolve.js';
import { rulesFor } from '../src/codex/rules.js';
import { parseVersion } from '../src/codex/semver.js';
import { CODEX_BLOCK, CODEX_EVENTS } from '../src/guard/agents/codex-config.js';
import { parseToml } from '../src/codex/config.js';
import type { Check } from '../src/types.js';
import { keyFor } from './helpers/keys.js';

const KEY = keyFor('project_164', 811);
const v = (s: string) => parseVersion(s);

function jwt(payload: Record<string, unknown>): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(payload)}.sig`;
}
const CHATGPT = JSON.stringify({
  auth_mode: 'chatgpt',
  OPENAI_API_KEY: null,
  tokens: { id_token: jwt({ email: 'j@example.com' }), access_token: jwt({ exp: 4102444800 }), refresh_token: 'rt_x', account_id: 'acct-1' },
});

function envVar(name: string, value: string): EnvVarFact {
  return { name, process: value, profiles: [] };
}

function facts(o: { auth?: string; config?: string; env?: Record<string, string>; hooks?: HooksFacts } = {}): CodexFacts {
  const f: CodexFacts = {
    home: { path: '/h/.codex', fromEnv: false, exists: true },
    auth: o.auth ? parseAuthJson(o.auth, '/h/.codex/auth.json') : { state: 'absent', path: '/h/.codex/auth.json' },
    exposure: {},
    config: mergeConfig(o.config ? [{ path: '/h/.codex/config.toml', kind: 'user', text: o.config, loaded: true }] : []),
    env: Object.fromEntries(Object.entries(o.env ?? {}).map(([k, val]) => [k, envVar(k, val)])),
    readErrors: [],
    homeDir: '/h',
  };
  if (o.hooks) f.hooks = o.hooks;
  return f;
}

const byId = (checks: Check[], id: string): Check => {
  const c = checks.find((x) => x.id === id);
  if (!c) throw new Error(`no ${id} in ${checks.map((x) => x.id).join(', ')}`);
  return c;
};

describe('rules that follow the version', () => {
  it('the API-key login command: --api-key up to 0.44, stdin --with-api-key from 0.45', () => {
    expect(rulesFor(v('0.44.0')).loginWithApiKey).toBe('codex login --api-key "$OPENAI_API_KEY"');
    expect(rulesFor(v('0.100.0')).loginWithApiKey).toBe('printenv OPENAI_API_KEY | codex login --with-api-key');
  });

  it('openai_base_url: ignored by 0.44, API-key logins only on 0.100, both on 0.171', () => {
    expect(rulesFor(v('0.44.0')).configBaseUrl).toBe('ignored');
    expect(rulesFor(v('0.100.0')).configBaseUrl).toBe('apikey-only');
    expect(rulesFor(v('0.171.0')).configBaseUrl).toBe('honoured');
  });

  it('hooks: none in 0.100, opt-in before 0.124, default after', () => {
    expect(rulesFor(v('0.100.0')).hooks).toBe('none');
    expect(rulesFor(v('0.120.0')).hooks).toBe('opt-in');
    expect(rulesFor(v('0.124.0')).hooks).toBe('default');
  });
});

describe('forced_login_method = "chatgpt" with CODEX_API_KEY', () => {
  const f = (): CodexFacts => facts({ auth: CHATGPT, config: 'forced_login_method = "chatgpt"\n', env: { CODEX_API_KEY: KEY } });

  it.each(['0.100.0', '0.171.0'])('logs out the interactive CLI too on %s, and the check names both commands', (ver) => {
    const r = resolveCodex(f(), v(ver));
    expect(r.effective.interactive.kind).toBe('logged-out');
    expect(r.effective.exec.kind).toBe('logged-out');
    expect(byId(r.checks, 'codex-forced-login-logout').message).toMatch(/^`codex` and `codex exec` will log you out/);
  });

  it('0.44 does not enforce it: nothing is logged out', () => {
    const r = resolveCodex(f(), v('0.44.0'));
    expect(r.effective.interactive.kind).toBe('chatgpt');
    expect(r.effective.exec.kind).toBe('api-key');
  });
});

describe('fix advice works on the detected version', () => {
  it('not logged in with OPENAI_API_KEY: 0.44 gets --api-key, 0.171 --with-api-key', () => {
    const old = byId(resolveCodex(facts({ env: { OPENAI_API_KEY: KEY } }), v('0.44.0')).checks, 'codex-env-openai-api-key-not-logged-in');
    expect(old.fix.join('\n')).toContain('codex login --api-key "$OPENAI_API_KEY"');
    expect(old.fix.join('\n')).not.toContain('--with-api-key');
    const now = byId(resolveCodex(facts({ env: { OPENAI_API_KEY: KEY } }), v('0.171.0')).checks, 'codex-env-openai-api-key-not-logged-in');
    expect(now.fix.join('\n')).toContain('| codex login --with-api-key');
  });

  it('a stored API key on 0.44 does not name --with-api-key', () => {
    const c = byId(resolveCodex(facts({ auth: JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: KEY }) }), v('0.44.0')).checks, 'codex-auth-apikey');
    expect(c.detail).toContain('codex login --api-key');
  });

  it('OPENAI_BASE_URL on 0.44: the alternative offered is a custom provider, not openai_base_url', () => {
    const c = byId(resolveCodex(facts({ auth: CHATGPT, env: { OPENAI_BASE_URL: 'http://proxy.example' } }), v('0.44.0')).checks, 'codex-env-openai-base-url');
    expect(c.severity).toBe('warning');
    expect(c.fix.join('\n')).toContain('[model_providers.<id>]');
    expect(c.fix.join('\n')).not.toMatch(/^if you need another endpoint, set openai_base_url/m);
  });

  it('openai_base_url with a ChatGPT login: ignored on 0.44, not applied to ChatGPT on 0.100, a warning on 0.171', () => {
    const f = (): CodexFacts => facts({ auth: CHATGPT, config: 'openai_base_url = "http://proxy.example/v1"\n' });
    expect(byId(resolveCodex(f(), v('0.44.0')).checks, 'codex-config-openai-base-url')).toMatchObject({ severity: 'info' });
    expect(byId(resolveCodex(f(), v('0.44.0')).checks, 'codex-config-openai-base-url').message).toContain('ignored by Codex 0.44.0');
    const mid = byId(resolveCodex(f(), v('0.100.0')).checks, 'codex-config-openai-base-url');
    expect(mid).toMatchObject({ severity: 'info' });
    expect(mid.message).toContain('your ChatGPT login still goes to chatgpt.com');
    expect(byId(resolveCodex(f(), v('0.171.0')).checks, 'codex-config-openai-base-url').severity).toBe('warning');
  });
});

describe('codex login status output', () => {
  it('reads past a warning on the first line and quotes the error line', () => {
    const out =
      'WARNING: proceeding, even though we could not update PATH: Refusing to create helper binaries under temporary dir\n' +
      'Error checking login status: Platform secure storage failure: DBus error: The name org.freedesktop.secrets was not provided\n';
    expect(parseLoginStatus(out)).toEqual({
      state: 'error',
      text: 'Error checking login status: Platform secure storage failure: DBus error: The name org.freedesktop.secrets was not provided',
    });
    expect(parseLoginStatus('WARNING: something\nLogged in using ChatGPT\n')).toEqual({ state: 'chatgpt', text: 'Logged in using ChatGPT' });
  });
});

describe('an invalid cli_auth_credentials_store', () => {
  it('means Codex will not start: both credential lines say so', () => {
    const r = resolveCodex(facts({ auth: CHATGPT, config: 'cli_auth_credentials_store = "vault"\n' }), v('0.171.0'));
    for (const e of [r.effective.interactive, r.effective.exec]) {
      expect(e.kind).toBe('broken');
      expect(e.summary).toContain('Codex will not start');
      expect(e.summary).toContain('cli_auth_credentials_store = "vault"');
    }
    expect(byId(r.checks, 'codex-config-invalid').severity).toBe('error');
  });

  it('is not an error for 0.44, which does not know the setting', () => {
    const r = resolveCodex(facts({ auth: CHATGPT, config: 'cli_auth_credentials_store = "vault"\n' }), v('0.44.0'));
    expect(r.effective.interactive.kind).toBe('chatgpt');
    expect(r.checks.map((c) => c.id)).not.toContain('codex-config-invalid');
  });
});

describe('Codex hook trust', () => {
  it("reproduces the hashes codex 0.171.0 hooks/list gave for keyguard's three hooks", () => {
    const h = { command: 'keyguard hook codex', timeout: 30 };
    expect(hookHash('PreToolUse', '*', h)).toBe('sha256:9f64316ed0bf3dd5d607421ade0f10356e16e444d0e92bbea188ed2339f51469');
    expect(hookHash('PostToolUse', '*', h)).toBe('sha256:333a297d1ab2838413d2c6dd76981a9a3b14033e3882c2eeb18504f729983488');
    // the matcher is not part of a UserPromptSubmit identity
    expect(hookHash('UserPromptSubmit', undefined, h)).toBe('sha256:46dfe02752abe1e6855acaa97abf62dabfcbfd98907d1b15c3b3683c4c3cd730');
    expect(hookHash('UserPromptSubmit', '*', h)).toBe(hookHash('UserPromptSubmit', undefined, h));
    // SessionEnd hooks get at most 3 s, and Codex hashes the clamped timeout
    expect(hookHash('SessionEnd', undefined, h)).toBe('sha256:61cd479b98768b20a42c6544a6b6870690f897808d3f7a9060189e7ac9f8b2e8');
  });

  it("finds keyguard's handlers in the installed block, keyed as Codex keys them", () => {
    const t = parseToml(CODEX_BLOCK);
    if ('error' in t) throw new Error(t.error);
    const hs = handlersOf(t.table.hooks, ['/h/.codex/config.toml']);
    expect(hs.map((h) => [h.event, h.keys[0], h.ours])).toEqual(
      CODEX_EVENTS.map((e) => [e, `/h/.codex/config.toml:${e.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}:0:0`, true]),
    );
    expect(hs.map((h) => h.event)).toEqual(expect.arrayContaining(['UserPromptSubmit', 'PreToolUse', 'PostToolUse']));
  });
});

describe('the hooks check', () => {
  const block = (): ReturnType<typeof handlersOf> => {
    const t = parseToml(CODEX_BLOCK);
    if ('error' in t) throw new Error(t.error);
    return handlersOf(t.table.hooks, ['/h/.codex/config.toml']);
  };
  const hooks = (o: Partial<HooksFacts> = {}, installed = true): HooksFacts => ({
    sources: installed ? [{ path: '/h/.codex/config.toml', layer: 'user', loaded: true, handlers: block() }] : [],
    state: {},
    projectRoot: '/h/repo',
    projectTrusted: false,
    userConfig: '/h/.codex/config.toml',
    ...o,
  });
  const trustAll = (): HooksFacts['state'] => Object.fromEntries(block().map((h) => [h.keys[0] as string, { trustedHash: h.hash }]));
  const run = (h: HooksFacts, ver = '0.171.0'): Check[] => resolveCodex(facts({ auth: CHATGPT, hooks: h }), v(ver)).checks;

  it('not installed: an info with the install command', () => {
    const c = byId(run(hooks({}, false)), 'codex-hooks-not-installed');
    expect(c).toMatchObject({ severity: 'info', fix: ['keyguard install --codex'] });
  });

  it('installed but not trusted: a warning that says codex exec skips them silently, with /hooks as the fix', () => {
    const c = byId(run(hooks()), 'codex-hooks-untrusted');
    expect(c.severity).toBe('warning');
    expect(c.message).toContain(`${CODEX_EVENTS.join(', ')} not trusted`);
    expect(c.detail).toContain('without a word');
    expect(c.fix[0]).toContain('/hooks');
  });

  it('a recorded hash for another definition counts as changed', () => {
    const state = { ...trustAll(), '/h/.codex/config.toml:pre_tool_use:0:0': { trustedHash: 'sha256:00' } };
    expect(trustOf(block()[1]!, state)).toBe('modified');
    expect(byId(run(hooks({ state })), 'codex-hooks-untrusted').message).toContain('PreToolUse not trusted, or changed since you trusted them');
  });

  it('installed, enabled and trusted: one info', () => {
    const checks = run(hooks({ state: trustAll() })).filter((c) => c.id.startsWith('codex-hooks'));
    expect(checks).toEqual([expect.objectContaining({ id: 'codex-hooks', severity: 'info' })]);
    expect(checks[0]?.message).toContain('~/.codex/config.toml');
  });

  it('the feature flag off, and allow_managed_hooks_only in requirements.toml, are warnings with their source', () => {
    const off = run(hooks({ state: trustAll(), feature: { key: 'hooks', value: false, source: { path: '/h/.codex/config.toml', line: 3 } } }));
    expect(byId(off, 'codex-hooks-disabled')).toMatchObject({ severity: 'warning', line: 3 });
    const managed = run(hooks({ state: trustAll(), managedOnly: { path: '/etc/codex/requirements.toml', line: 1 } }));
    expect(byId(managed, 'codex-hooks-managed-only')).toMatchObject({ severity: 'warning', path: '/etc/codex/requirements.toml' });
  });

  it('a version with hooks behind the flag needs codex_hooks = true; a version without hooks never runs them', () => {
    const optIn = byId(run(hooks({ state: trustAll() }), '0.120.0'), 'codex-hooks-disabled');
    expect(optIn.fix[0]).toContain('codex_hooks = true');
    expect(
      run(hooks({ state: trustAll(), feature: { key: 'codex_hooks', value: true, source: { path: '/h/.codex/config.toml' } } }), '0.120.0').map((c) => c.id),
    ).toContain('codex-hooks');
    expect(byId(run(hooks({ state: trustAll() }), '0.100.0'), 'codex-hooks-unsupported').severity).toBe('warning');
  });

  it('project hooks in an untrusted project do not run', () => {
    const h = hooks({ sources: [{ path: '/h/repo/.codex/config.toml', layer: 'project', loaded: false, handlers: block() }] });
    const c = byId(run(h), 'codex-hooks-project-untrusted');
    expect(c.fix[0]).toContain('[projects."/h/repo"] trust_level = "trusted"');
  });

  it('turned off in /hooks (enabled = false) is a warning', () => {
    const state = { ...trustAll(), '/h/.codex/config.toml:post_tool_use:0:0': { enabled: false } };
    expect(byId(run(hooks({ state })), 'codex-hooks-disabled').message).toContain('PostToolUse are turned off');
  });
});
