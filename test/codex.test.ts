// `keyguard codex` end to end: a temporary HOME and CODEX_HOME with real files, a real child
// process with its own environment, and a fake `codex` on PATH that prints a version.
// One test (or more) per case of the reference's "Implications for a doctor check" list.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseToml } from '../src/codex/config.js';
import { handlersOf } from '../src/codex/hooks-read.js';
import { codexSection } from '../src/codex/section.js';
import { CODEX_BLOCK } from '../src/guard/agents/codex-config.js';
import { redact } from '../src/engine/redact.js';
import { keyFor } from './helpers/keys.js';
import { git, gitEnv, parseJson, runCli, tempDir, writeFiles, type CliResult } from './helpers/tmp.js';

interface Check {
  id: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  detail?: string;
  path?: string;
  line?: number;
  fix: string[];
}
interface Eff {
  kind: string;
  billing: string;
  summary: string;
  from?: string;
  path?: string;
  line?: number;
  key?: string;
  plan?: string;
  email?: string;
  provider: string;
}
interface Report {
  codex: { version: string | null; versionAssumed: boolean; home: string; setUp: boolean; store: string; storedLogin: string };
  effective: { interactive: Eff; exec: Eff };
  checks: Check[];
  errors: { path: string; message: string }[];
  status: number;
}

const KEY = keyFor('project_164', 701);
const KEY2 = keyFor('project_164', 702);
const KEY3 = keyFor('project_132', 703);
const ALL_KEYS = [KEY, KEY2, KEY3];

/** A JWT with the claims Codex reads, assembled at test time (never a literal). */
function fakeJwt(payload: Record<string, unknown>): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(payload)}.${Buffer.from('not-a-signature').toString('base64url')}`;
}

const ID_TOKEN = fakeJwt({
  email: 'jane@example.com',
  'https://api.openai.com/auth': { chatgpt_plan_type: 'plus', chatgpt_account_id: 'acct-1111', chatgpt_user_id: 'user-1' },
});
const TOKENS = { id_token: ID_TOKEN, access_token: fakeJwt({ exp: 4102444800 }), refresh_token: 'rt_fake_0000', account_id: 'acct-1111' };
const CHATGPT = { auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens: TOKENS, last_refresh: '2026-11-20T10:00:00Z' };

interface Setup {
  /** auth.json content: an object (JSON-encoded) or raw text */
  auth?: object | string;
  config?: string;
  dotenv?: string;
  /** files relative to HOME (profiles, project dirs …) */
  home?: Record<string, string>;
  /** version the fake codex prints; undefined: no codex on PATH */
  version?: string;
  /** what the fake `codex login status` prints (to stderr) */
  loginStatus?: string;
  env?: Record<string, string>;
  /** working directory relative to HOME */
  cwd?: string;
  /** CODEX_HOME relative to HOME (default: not set, so ~/.codex) */
  codexHome?: string;
  noCodexHome?: boolean;
}

interface Machine {
  home: string;
  codexHome: string;
  run: (args?: string[]) => CliResult;
  json: () => Report;
}

function machine(s: Setup = {}): Machine {
  const home = tempDir('kg-codex-');
  const codexHome = join(home, s.codexHome ?? '.codex');
  if (!s.noCodexHome) mkdirSync(codexHome, { recursive: true });
  if (s.auth !== undefined) {
    const path = join(codexHome, 'auth.json');
    writeFileSync(path, typeof s.auth === 'string' ? s.auth : JSON.stringify(s.auth, null, 2));
    chmodSync(path, 0o600);
  }
  if (s.config !== undefined) writeFileSync(join(codexHome, 'config.toml'), s.config);
  if (s.dotenv !== undefined) writeFileSync(join(codexHome, '.env'), s.dotenv);
  if (s.home) writeFiles(home, s.home);
  const bin = join(home, 'fakebin');
  mkdirSync(bin);
  if (s.version !== undefined) {
    const status = s.loginStatus ?? 'Not logged in';
    writeFileSync(
      join(bin, 'codex'),
      `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "codex-cli ${s.version}"; exit 0; fi\nif [ "$1" = "login" ] && [ "$2" = "status" ]; then echo "${status}" >&2; exit 0; fi\nexit 1\n`,
      { mode: 0o755 },
    );
  }
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    PATH: `${bin}:/usr/bin:/bin`,
    KEYGUARD_CODEX_SYSTEM_CONFIG: join(home, 'no-system-config.toml'),
    KEYGUARD_CODEX_REQUIREMENTS: join(home, 'no-requirements.toml'),
    KEYGUARD_NO_PROGRESS: '1',
    ...(s.codexHome ? { CODEX_HOME: codexHome } : {}),
    ...s.env,
  };
  const cwd = s.cwd ? join(home, s.cwd) : home;
  mkdirSync(cwd, { recursive: true });
  const run = (args: string[] = []): CliResult => {
    const r = runCli(['codex', ...args], { cwd, env });
    for (const k of ALL_KEYS) expect(r.stdout + r.stderr, 'a full key was printed').not.toContain(k);
    return r;
  };
  return { home, codexHome, run, json: () => parseJson<Report>(run(['--format', 'json'])) };
}

const ids = (r: Report): string[] => r.checks.map((c) => c.id);
const check = (r: Report, id: string): Check => {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${JSON.stringify(ids(r))}`);
  return c;
};

describe('the ChatGPT login alone', () => {
  it('says so in one line per command, with the plan, and exits 0', () => {
    const m = machine({ auth: CHATGPT });
    const r = m.run();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/interactive CLI \(codex\):\s+your ChatGPT login \(Plus plan, jane@example\.com\)/);
    expect(r.stdout).toMatch(/codex exec:\s+your ChatGPT login \(Plus plan/);
    expect(r.stdout).toContain('nothing overrides it');
    const j = m.json();
    expect(j.status).toBe(0);
    expect(j.effective.interactive).toMatchObject({ kind: 'chatgpt', billing: 'chatgpt-plan', plan: 'plus', from: 'auth.json' });
    expect(j.checks.filter((c) => c.severity !== 'info')).toEqual([]);
  });

  it('says plainly when Codex is not set up at all (exit 0)', () => {
    const m = machine({ noCodexHome: true });
    const r = m.run();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Codex is not set up on this machine: ~/.codex does not exist');
    expect(m.json().codex.setUp).toBe(false);
  });

  it('a CODEX_HOME that does not exist is an error: every Codex command fails', () => {
    const m = machine({ codexHome: 'gone', noCodexHome: true });
    const j = m.json();
    expect(check(j, 'codex-home-missing').severity).toBe('error');
    expect(check(j, 'codex-home-missing').message).toContain('Error loading configuration');
    expect(j.status).toBe(1);
  });

  it('exits 2 when auth.json cannot be read', () => {
    const m = machine();
    mkdirSync(join(m.codexHome, 'auth.json'));
    const r = m.run(['--format', 'json']);
    expect(r.code).toBe(2);
    expect(parseJson<Report>(r).errors[0]?.path).toContain('auth.json');
    // a directory's mode bits say nothing about a login
    expect(ids(parseJson<Report>(r))).not.toContain('codex-auth-file-permissions');
  });

  it('a FIFO as hooks.json is not read: the check ends as it does without one', () => {
    const plain = machine().run(['--format', 'json']);
    const m = machine();
    execFileSync('mkfifo', [join(m.codexHome, 'hooks.json')]);
    const r = m.run(['--format', 'json']);
    expect(r.code).toBe(plain.code);
  });

  it('a FIFO or a link to a device as auth.json is not read (no wait for a writer, no endless read): exit 2', () => {
    for (const plant of [(p: string) => execFileSync('mkfifo', [p]), (p: string) => symlinkSync('/dev/zero', p)]) {
      const m = machine();
      plant(join(m.codexHome, 'auth.json'));
      const r = m.run(['--format', 'json']);
      expect(r.code).toBe(2);
      expect(parseJson<Report>(r).errors[0]?.path).toContain('auth.json');
    }
  });
});

describe('1. auth.json resolves to an API key', () => {
  it('auth_mode "apikey": a warning with the redacted key and the re-login fix', () => {
    const m = machine({ auth: { auth_mode: 'apikey', OPENAI_API_KEY: KEY } });
    const r = m.run();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/interactive CLI \(codex\):\s+an API key \(.+\) stored as Codex's login in ~\/\.codex\/auth\.json; billed to the API platform/);
    expect(r.stdout).toContain(redact(KEY));
    const c = check(m.json(), 'codex-auth-apikey');
    expect(c.severity).toBe('warning');
    expect(c.message).toContain(redact(KEY));
    expect(c.fix[0]).toMatch(/^codex logout && codex login/);
    expect(c.path).toBe(join(m.codexHome, 'auth.json'));
  });

  it('a legacy file without auth_mode and a non-null OPENAI_API_KEY is an API-key login', () => {
    const j = machine({ auth: { OPENAI_API_KEY: KEY } }).json();
    expect(j.effective.exec).toMatchObject({ kind: 'api-key', billing: 'api-platform', key: redact(KEY) });
    expect(check(j, 'codex-auth-apikey').detail).toContain('no auth_mode');
    expect(ids(j)).not.toContain('codex-auth-legacy-mixed');
  });
});

describe('2. legacy mixed file (key + tokens, no auth_mode)', () => {
  const auth = { OPENAI_API_KEY: KEY, tokens: TOKENS, last_refresh: '2025-07-01T00:00:00Z' };

  it('Codex ≥0.36 uses the API key', () => {
    const j = machine({ auth, version: '0.171.0' }).json();
    expect(j.codex).toMatchObject({ version: '0.171.0', versionAssumed: false });
    expect(j.effective.interactive.kind).toBe('api-key');
    expect(check(j, 'codex-auth-legacy-mixed').message).toContain('Codex 0.171.0 uses the API key');
    expect(check(j, 'codex-auth-legacy-mixed').fix).toContain('codex logout && codex login');
  });

  it('Codex 0.20–0.35 still uses the tokens, and the check warns about upgrading', () => {
    const j = machine({ auth, version: '0.34.0' }).json();
    expect(j.effective.interactive.kind).toBe('chatgpt');
    expect(check(j, 'codex-auth-legacy-mixed').message).toContain('0.36 and later use the API key');
    expect(ids(j)).not.toContain('codex-auth-apikey');
    expect(j.status).toBe(1);
  });
});

describe('3. CODEX_API_KEY with a stored ChatGPT login', () => {
  it('overrides the login for codex exec only, naming the profile line', () => {
    const m = machine({ auth: CHATGPT, env: { CODEX_API_KEY: KEY }, home: { '.zshrc': `alias ll='ls -l'\nexport CODEX_API_KEY=${KEY}\n` } });
    const r = m.run();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/codex exec:\s+an API key \(.+\) from CODEX_API_KEY, set in ~\/\.zshrc line 2; billed to the API platform/);
    const j = m.json();
    expect(j.effective.interactive.kind).toBe('chatgpt');
    expect(j.effective.exec).toMatchObject({ kind: 'api-key', from: 'CODEX_API_KEY', line: 2, key: redact(KEY) });
    const c = check(j, 'codex-env-codex-api-key');
    expect(c).toMatchObject({ severity: 'warning', path: join(m.home, '.zshrc'), line: 2 });
    expect(c.message).toContain('not the interactive CLI');
    expect(c.detail).toContain('`codex login status` never shows');
    expect(c.fix).toEqual(['unset CODEX_API_KEY', `delete line 2 of ~/.zshrc: CODEX_API_KEY=${redact(KEY)}`]);
  });

  it('a profile export counts even when this shell does not have it; fish gets set -e', () => {
    const j = machine({ auth: CHATGPT, home: { '.config/fish/config.fish': `set -gx CODEX_API_KEY ${KEY}\n` } }).json();
    expect(j.effective.exec.kind).toBe('api-key');
    expect(check(j, 'codex-env-codex-api-key').fix[0]).toBe('set -e CODEX_API_KEY');
  });

  it('is ignored by Codex 0.42 (info, exit 0)', () => {
    const m = machine({ auth: CHATGPT, env: { CODEX_API_KEY: KEY }, version: '0.42.0' });
    const j = m.json();
    expect(j.effective.exec.kind).toBe('chatgpt');
    expect(check(j, 'codex-env-codex-api-key')).toMatchObject({ severity: 'info' });
    expect(j.status).toBe(0);
  });

  it('is honoured by Codex 0.44', () => {
    const j = machine({ auth: CHATGPT, env: { CODEX_API_KEY: KEY }, version: '0.44.0' }).json();
    expect(j.effective.exec.kind).toBe('api-key');
  });

  it('is never taken from $CODEX_HOME/.env (CODEX_* keys are dropped)', () => {
    const j = machine({ auth: CHATGPT, dotenv: `CODEX_API_KEY=${KEY}\n` }).json();
    expect(j.effective.exec.kind).toBe('chatgpt');
    expect(check(j, 'codex-dotenv').message).toContain('CODEX_API_KEY (line 1) is ignored');
  });
});

describe('4. forced_login_method = "chatgpt" with CODEX_API_KEY (destructive)', () => {
  it('is an error: codex exec and the interactive CLI (0.100, 0.171) log the user out and delete the ChatGPT credentials', () => {
    const m = machine({ auth: CHATGPT, config: 'model = "gpt-5"\nforced_login_method = "chatgpt"\n', env: { CODEX_API_KEY: KEY } });
    const j = m.json();
    const c = check(j, 'codex-forced-login-logout');
    expect(c).toMatchObject({ severity: 'error', path: join(m.codexHome, 'config.toml'), line: 2 });
    expect(c.message).toContain('`codex` and `codex exec` will log you out and delete your ChatGPT credentials');
    expect(c.fix).toContain('unset CODEX_API_KEY');
    expect(j.effective.exec.kind).toBe('logged-out');
    expect(j.effective.interactive.kind).toBe('logged-out');
    expect(j.checks[0]?.severity).toBe('error');
    expect(j.status).toBe(1);
  });

  it('the same logout for a stored API key; and forced "api" logs out a ChatGPT login', () => {
    const a = machine({ auth: { auth_mode: 'apikey', OPENAI_API_KEY: KEY }, config: 'forced_login_method = "chatgpt"\n' }).json();
    expect(check(a, 'codex-forced-login-logout').message).toContain('the stored login is an API key');
    expect(a.effective.interactive.kind).toBe('logged-out');
    const b = machine({ auth: CHATGPT, config: 'forced_login_method = "api"\n' }).json();
    expect(check(b, 'codex-forced-login-logout').message).toContain('forced_login_method = "api"');
  });

  it('a workspace the login does not belong to means logout', () => {
    const j = machine({ auth: CHATGPT, config: 'forced_chatgpt_workspace_id = "acct-9999"\n' }).json();
    expect(check(j, 'codex-forced-workspace-mismatch').severity).toBe('error');
    expect(j.effective.interactive.kind).toBe('logged-out');
  });

  it('an invalid value makes Codex refuse to start', () => {
    const j = machine({ auth: CHATGPT, config: 'forced_login_method = "oauth"\n' }).json();
    expect(check(j, 'codex-config-invalid')).toMatchObject({ severity: 'error', line: 1 });
  });
});

describe('5. OPENAI_API_KEY with a ChatGPT login', () => {
  it('≥0.36: info only (it pre-fills the login screen), exit 0', () => {
    const m = machine({ auth: CHATGPT, env: { OPENAI_API_KEY: KEY }, home: { '.bashrc': `export OPENAI_API_KEY="${KEY}"\n` } });
    const j = m.json();
    expect(j.effective.interactive.kind).toBe('chatgpt');
    expect(j.effective.exec.kind).toBe('chatgpt');
    const c = check(j, 'codex-env-openai-api-key');
    expect(c).toMatchObject({ severity: 'info', path: join(m.home, '.bashrc'), line: 1 });
    expect(c.message).toContain('pre-fills');
    expect(j.status).toBe(0);
  });

  it('≤0.34: a warning, because it is used whenever no login is stored', () => {
    const j = machine({ auth: CHATGPT, env: { OPENAI_API_KEY: KEY }, version: '0.34.0' }).json();
    expect(check(j, 'codex-env-openai-api-key')).toMatchObject({ severity: 'warning' });
    expect(check(j, 'codex-env-openai-api-key').message).toContain('whenever no login is stored');
    expect(j.status).toBe(1);
  });

  it('before 0.20 the env key beats the login', () => {
    const j = machine({ auth: CHATGPT, env: { OPENAI_API_KEY: KEY }, version: '0.8.0' }).json();
    expect(j.effective.interactive).toMatchObject({ kind: 'api-key', from: 'OPENAI_API_KEY' });
  });
});

describe('6. OPENAI_API_KEY and nothing stored', () => {
  it('≥0.36: not logged in, requests will 401', () => {
    const m = machine({ env: { OPENAI_API_KEY: KEY } });
    const r = m.run();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/codex exec:\s+nothing: not logged in, so requests will fail with 401/);
    const c = check(m.json(), 'codex-env-openai-api-key-not-logged-in');
    expect(c.message).toContain('OPENAI_API_KEY alone does not authenticate Codex');
    expect(c.fix.join('\n')).toContain('printenv OPENAI_API_KEY | codex login --with-api-key');
  });

  it('0.20–0.35: the env key is the fallback, billed to the API platform', () => {
    const j = machine({ env: { OPENAI_API_KEY: KEY }, version: '0.29.0' }).json();
    expect(j.effective.exec).toMatchObject({ kind: 'api-key', from: 'OPENAI_API_KEY', billing: 'api-platform' });
    expect(check(j, 'codex-env-openai-api-key-not-logged-in').severity).toBe('warning');
  });
});

describe('7. a custom model_provider whose env_key is set', () => {
  const config =
    'model_provider = "direct"\n\n[model_providers.direct]\nname = "Direct"\nbase_url = "https://api.openai.com/v1"\nenv_key = "OPENAI_API_KEY"\nrequires_openai_auth = true\n';

  it('from the shell: bypasses the ChatGPT login', () => {
    const m = machine({ auth: CHATGPT, config, env: { OPENAI_API_KEY: KEY } });
    const j = m.json();
    expect(j.effective.interactive).toMatchObject({ kind: 'provider-key', provider: 'direct', key: redact(KEY), billing: 'api-platform' });
    const c = check(j, 'codex-provider-env-key');
    expect(c.message).toContain('Model provider "direct" sends $OPENAI_API_KEY and bypasses your ChatGPT login');
    expect(c.fix[0]).toContain('line 1 of ~/.codex/config.toml');
  });

  it('from $CODEX_HOME/.env, which overrides the shell, and says so', () => {
    const m = machine({ auth: CHATGPT, config, env: { OPENAI_API_KEY: KEY }, dotenv: `# keys\nOPENAI_API_KEY=${KEY2}\n` });
    const j = m.json();
    expect(j.effective.exec).toMatchObject({ kind: 'provider-key', key: redact(KEY2), path: join(m.codexHome, '.env'), line: 2 });
    const c = check(j, 'codex-provider-env-key');
    expect(c.message).toContain('~/.codex/.env, which overrides your shell');
    expect(c).toMatchObject({ path: join(m.codexHome, '.env'), line: 2 });
  });

  it('not set anywhere: Codex fails with "Missing environment variable"', () => {
    const j = machine({ auth: CHATGPT, config }).json();
    expect(check(j, 'codex-provider-env-key-missing').severity).toBe('error');
    expect(j.effective.exec.kind).toBe('none');
  });
});

describe('8. requires_openai_auth = true with a non-ChatGPT base_url', () => {
  it('warns that the ChatGPT token is sent there', () => {
    const config = 'model_provider = "proxy"\n[model_providers.proxy]\nbase_url = "https://llm-proxy.example.com/v1"\nrequires_openai_auth = true\n';
    const j = machine({ auth: CHATGPT, config }).json();
    const c = check(j, 'codex-provider-chatgpt-token');
    expect(c.message).toBe('Your ChatGPT token will be sent to https://llm-proxy.example.com/v1 (model provider "proxy" has requires_openai_auth = true)');
    expect(c.line).toBe(2);
    expect(j.effective.interactive.summary).toContain('sent to model provider "proxy"');
  });

  it('api.openai.com as base_url: explains the 401 "Missing scopes"', () => {
    const config = 'model_provider = "p"\n[model_providers.p]\nbase_url = "https://api.openai.com/v1"\nrequires_openai_auth = true\n';
    expect(check(machine({ auth: CHATGPT, config }).json(), 'codex-provider-chatgpt-token').detail).toContain('Missing scopes');
  });
});

describe('9. $CODEX_HOME/.env', () => {
  it('reports what it sets, line by line, and that CODEX_* keys are ignored', () => {
    const m = machine({
      auth: CHATGPT,
      dotenv: `OPENAI_API_KEY=${KEY}\nOPENAI_BASE_URL=https://example.com/v1\nOPENAI_ORGANIZATION=org-abc\nCODEX_API_KEY=${KEY2}\n`,
    });
    const j = m.json();
    const c = check(j, 'codex-dotenv');
    expect(c.path).toBe(join(m.codexHome, '.env'));
    expect(c.message).toContain('sets OPENAI_API_KEY (line 1), OPENAI_BASE_URL (line 2), OPENAI_ORGANIZATION (line 3)');
    expect(c.message).toContain('override your shell');
    expect(c.message).toContain('CODEX_API_KEY (line 4) is ignored');
    expect(c.fix).toContain(`delete line 1 of ~/.codex/.env: OPENAI_API_KEY=${redact(KEY)}`);
    // the variables it sets are judged as set, with .env as their source
    expect(check(j, 'codex-env-openai-org-project')).toMatchObject({ path: join(m.codexHome, '.env'), line: 3 });
    expect(check(j, 'codex-env-openai-base-url').line).toBe(2);
  });
});

describe('10. OPENAI_BASE_URL', () => {
  it('newest Codex: ignored since PR #16720 (info)', () => {
    const c = check(machine({ auth: CHATGPT, env: { OPENAI_BASE_URL: 'https://gw.example.com/v1' } }).json(), 'codex-env-openai-base-url');
    expect(c.severity).toBe('info');
    expect(c.message).toContain('ignored by Codex since PR #16720');
    expect(c.fix.join('\n')).toContain('openai_base_url');
  });

  it('older builds: it redirects ChatGPT traffic and causes 401s (warning)', () => {
    const j = machine({ auth: CHATGPT, env: { OPENAI_BASE_URL: 'https://gw.example.com/v1' }, version: '0.31.0' }).json();
    expect(check(j, 'codex-env-openai-base-url')).toMatchObject({ severity: 'warning' });
    expect(check(j, 'codex-env-openai-base-url').message).toContain('causes 401s');
    expect(j.status).toBe(1);
  });
});

describe('11. OPENAI_ORGANIZATION / OPENAI_PROJECT in ChatGPT mode', () => {
  it('are info: sent as headers on every request', () => {
    const j = machine({ auth: CHATGPT, env: { OPENAI_ORGANIZATION: 'org-abc', OPENAI_PROJECT: 'proj_abc' } }).json();
    const cs = j.checks.filter((c) => c.id === 'codex-env-openai-org-project');
    expect(cs.map((c) => c.message)).toEqual([
      'OPENAI_ORGANIZATION (org-abc) is sent as the OpenAI-Organization header on every Codex request, ChatGPT login included',
      'OPENAI_PROJECT (proj_abc) is sent as the OpenAI-Project header on every Codex request, ChatGPT login included',
    ]);
    expect(cs.every((c) => c.severity === 'info')).toBe(true);
    expect(j.status).toBe(0);
  });
});

describe('12. keyring / auto storage', () => {
  it('keyring without auth.json is not "logged out": codex login status tells', () => {
    const m = machine({ config: 'cli_auth_credentials_store = "keyring"\n', version: '0.171.0', loginStatus: 'Logged in using ChatGPT' });
    const j = m.json();
    expect(j.codex.store).toBe('keyring');
    expect(j.effective.interactive).toMatchObject({ kind: 'chatgpt', from: 'keyring' });
    const c = check(j, 'codex-credentials-store');
    expect(c.severity).toBe('info');
    expect(c.message).toContain('a missing auth.json does not mean logged out');
    expect(c.detail).toContain('logged in using ChatGPT');
    expect(ids(j)).not.toContain('codex-not-logged-in');
    expect(j.status).toBe(0);
  });

  it('keyring with codex not on PATH: unknown, never "logged out"', () => {
    const j = machine({ config: 'cli_auth_credentials_store = "keyring"\n' }).json();
    expect(j.effective.interactive.kind).toBe('unknown');
    expect(j.effective.interactive.summary).toContain('codex login status');
    expect(check(j, 'codex-credentials-store').detail).toContain('could not ask');
  });

  it('keyring with an auth.json left over: a warning (plain-text credentials Codex ignores)', () => {
    const j = machine({ auth: CHATGPT, config: 'cli_auth_credentials_store = "keyring"\n', version: '0.171.0', loginStatus: 'Logged in using ChatGPT' }).json();
    expect(check(j, 'codex-credentials-store')).toMatchObject({ severity: 'warning' });
    expect(check(j, 'codex-credentials-store').message).toContain('leftover');
  });

  it('auto with auth.json: the file is the fallback in use', () => {
    const j = machine({ auth: { auth_mode: 'apikey', OPENAI_API_KEY: KEY }, config: 'cli_auth_credentials_store = "auto"\n' }).json();
    expect(j.effective.exec.kind).toBe('api-key');
    expect(check(j, 'codex-credentials-store').detail).toContain('falls back to it');
  });
});

describe('13. stored login invalid', () => {
  it('unknown auth_mode is a parse error', () => {
    const j = machine({ auth: { auth_mode: 'oauth', OPENAI_API_KEY: null } }).json();
    const c = check(j, 'codex-auth-invalid');
    expect(c.severity).toBe('error');
    expect(c.detail).toContain('auth_mode "oauth" is not one Codex knows');
    expect(j.effective.exec.kind).toBe('broken');
  });

  it('invalid JSON', () => {
    expect(check(machine({ auth: '{"auth_mode": "chatgpt",' }).json(), 'codex-auth-invalid').detail).toContain('not valid JSON');
  });

  it('ChatGPT mode without tokens is incomplete, even {"OPENAI_API_KEY": null}', () => {
    const a = machine({ auth: { OPENAI_API_KEY: null } }).json();
    expect(check(a, 'codex-auth-incomplete').message).toContain('no tokens');
    expect(a.effective.interactive.kind).toBe('broken');
    const b = machine({ auth: { auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens: { id_token: ID_TOKEN, access_token: 'x.y.z' } } }).json();
    expect(check(b, 'codex-auth-incomplete').message).toContain('tokens.refresh_token');
  });

  it('auth_mode "apikey" without a key', () => {
    expect(check(machine({ auth: { auth_mode: 'apikey', OPENAI_API_KEY: null } }).json(), 'codex-auth-invalid').detail).toContain('missing a key');
  });
});

describe('14. leftover preferred_auth_method', () => {
  it('is ignored by current Codex (info, with the line to delete)', () => {
    const m = machine({ auth: CHATGPT, config: '# mine\npreferred_auth_method = "chatgpt"\n' });
    const c = check(m.json(), 'codex-config-preferred-auth-method');
    expect(c).toMatchObject({ severity: 'info', line: 2 });
    expect(c.message).toContain('was removed');
    expect(c.fix[0]).toBe('edit line 2 of ~/.codex/config.toml: delete the preferred_auth_method line');
  });

  it('on 0.29–0.34, "apikey" picks the key stored beside the tokens, but not an exported OPENAI_API_KEY (measured on 0.29)', () => {
    const env = machine({ auth: CHATGPT, config: 'preferred_auth_method = "apikey"\n', env: { OPENAI_API_KEY: KEY }, version: '0.29.0' }).json();
    expect(env.effective.exec.kind).toBe('chatgpt');
    expect(check(env, 'codex-config-preferred-auth-method').severity).toBe('info');
    const mixed = { OPENAI_API_KEY: KEY, tokens: TOKENS, last_refresh: '2026-11-20T10:00:00Z' };
    const j = machine({ auth: mixed, config: 'preferred_auth_method = "apikey"\n', version: '0.34.0' }).json();
    expect(j.effective.interactive).toMatchObject({ kind: 'api-key', key: redact(KEY), from: 'auth.json' });
    expect(check(j, 'codex-config-preferred-auth-method').severity).toBe('warning');
  });
});

describe('15. what `codex login status` cannot show', () => {
  it('API-key state from login status when the login is in the keyring', () => {
    const j = machine({ config: 'cli_auth_credentials_store = "keyring"\n', version: '0.171.0', loginStatus: 'API key configured - sk-proj-***12345' }).json();
    expect(j.effective.interactive.kind).toBe('api-key');
    expect(ids(j)).toContain('codex-auth-apikey');
  });

  it('CODEX_API_KEY is reported by keyguard itself', () => {
    const j = machine({
      config: 'cli_auth_credentials_store = "keyring"\n',
      version: '0.171.0',
      loginStatus: 'Logged in using ChatGPT',
      env: { CODEX_API_KEY: KEY },
    }).json();
    expect(j.effective.exec.kind).toBe('api-key');
    expect(check(j, 'codex-env-codex-api-key').message).toContain('overrides your ChatGPT login');
  });
});

describe('auth.json exposure', () => {
  it('readable by others', () => {
    const m = machine({ auth: CHATGPT });
    chmodSync(join(m.codexHome, 'auth.json'), 0o644);
    const c = check(m.json(), 'codex-auth-file-permissions');
    expect(c.message).toContain('mode 644');
    expect(c.fix).toEqual(['chmod 600 ~/.codex/auth.json']);
  });

  it('inside a git repository: not ignored is a warning, tracked is an error', () => {
    const m = machine({ auth: CHATGPT, codexHome: 'dotfiles/codex' });
    const repo = join(m.home, 'dotfiles');
    git(repo, ['init', '-q', '-b', 'main'], gitEnv());
    let c = check(m.json(), 'codex-auth-file-in-git');
    expect(c.severity).toBe('warning');
    expect(c.fix[0]).toContain('.gitignore');
    git(repo, ['add', 'codex/auth.json'], gitEnv());
    c = check(m.json(), 'codex-auth-file-in-git');
    expect(c.severity).toBe('error');
    expect(c.message).toContain('committed');
  });

  it('inside a synced folder', () => {
    const c = check(machine({ auth: CHATGPT, codexHome: 'Dropbox/codex' }).json(), 'codex-auth-file-synced');
    expect(c.message).toContain('Dropbox');
    expect(c.fix[0]).toContain('codex logout');
  });
});

describe('config layers', () => {
  const provider = 'model_provider = "corp"\n[model_providers.corp]\nbase_url = "https://corp.example.com/v1"\nenv_key = "CORP_KEY"\n';

  it('a trusted project .codex/config.toml applies', () => {
    const m = machine({
      auth: CHATGPT,
      cwd: 'work/app',
      home: { 'work/app/.git/HEAD': 'ref: refs/heads/main\n', 'work/app/.codex/config.toml': provider },
      env: { CORP_KEY: KEY3 },
    });
    writeFileSync(join(m.codexHome, 'config.toml'), `[projects."${join(m.home, 'work/app')}"]\ntrust_level = "trusted"\n`);
    const j = m.json();
    expect(j.effective.interactive).toMatchObject({ kind: 'provider-key', provider: 'corp', billing: 'provider' });
    expect(check(j, 'codex-provider-env-key').detail).toContain('work/app/.codex/config.toml line 1');
  });

  it('an untrusted one is ignored, and said so', () => {
    const j = machine({
      auth: CHATGPT,
      cwd: 'work/app',
      home: { 'work/app/.git/HEAD': 'x', 'work/app/.codex/config.toml': provider },
      env: { CORP_KEY: KEY3 },
    }).json();
    expect(j.effective.interactive.kind).toBe('chatgpt');
    expect(check(j, 'codex-project-config-untrusted').message).toContain('not trusted');
  });

  it('the system layer counts, and the user layer overrides it', () => {
    const m = machine({ auth: CHATGPT, env: { CODEX_API_KEY: KEY }, home: { 'etc-codex.toml': 'forced_login_method = "chatgpt"\n' } });
    const run = (): Report =>
      parseJson<Report>(
        runCli(['codex', '--format', 'json'], {
          cwd: m.home,
          env: { HOME: m.home, PATH: '/usr/bin:/bin', CODEX_API_KEY: KEY, KEYGUARD_CODEX_SYSTEM_CONFIG: join(m.home, 'etc-codex.toml') },
        }),
      );
    expect(check(run(), 'codex-forced-login-logout').path).toBe(join(m.home, 'etc-codex.toml'));
    writeFileSync(join(m.codexHome, 'config.toml'), 'forced_login_method = "api"\n');
    expect(run().checks.find((c) => c.id === 'codex-forced-login-logout')?.message).toContain('forced_login_method = "api"');
  });

  it('invalid TOML and the reserved [model_providers.openai] are errors', () => {
    expect(check(machine({ auth: CHATGPT, config: 'model = [\n' }).json(), 'codex-config-invalid').message).toContain('not valid TOML');
    const c = check(machine({ auth: CHATGPT, config: 'x = 1\n[model_providers.openai]\nbase_url = "https://x"\n' }).json(), 'codex-config-invalid');
    expect(c.message).toContain('reserved');
    expect(c.line).toBe(2);
  });

  it('openai_base_url sends the ChatGPT token to another server', () => {
    const c = check(machine({ auth: CHATGPT, config: 'openai_base_url = "https://gw.example.com/v1"\n' }).json(), 'codex-config-openai-base-url');
    expect(c).toMatchObject({ severity: 'warning', line: 1 });
    expect(c.message).toContain('Your ChatGPT token will be sent to https://gw.example.com/v1');
  });

  it('a plain-text experimental_bearer_token is a warning', () => {
    const j = machine({
      auth: CHATGPT,
      config: 'model_provider = "t"\n[model_providers.t]\nbase_url = "https://t.example.com"\nexperimental_bearer_token = "tok_fake_000000000000"\n',
    }).json();
    expect(check(j, 'codex-provider-bearer-token').severity).toBe('warning');
    expect(j.effective.exec.kind).toBe('provider-token');
    expect(JSON.stringify(j)).not.toContain('tok_fake_000000000000');
  });
});

describe('the command', () => {
  it('says when it assumes the newest rules', () => {
    const r = machine({ auth: CHATGPT }).run();
    expect(r.stdout).toContain('codex is not on PATH');
    expect(r.stdout).toContain('assuming the rules of 0.171.0');
  });

  it('--output writes the report (mode 600); --help; sarif carries the checks', () => {
    const m = machine({ auth: { auth_mode: 'apikey', OPENAI_API_KEY: KEY } });
    const out = join(m.home, 'report.json');
    const r = m.run(['--format', 'json', '--output', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('report written');
    expect(m.run(['--help']).stdout).toContain('Usage: keyguard codex');
    const sarif = JSON.parse(m.run(['--format', 'sarif']).stdout) as { runs: { results: { ruleId: string }[] }[] };
    expect(sarif.runs[0]?.results.map((x) => x.ruleId)).toContain('codex-auth-apikey');
    expect(m.run(['--bogus']).code).toBe(2);
  });
});

describe('the installed version', () => {
  it('a codex that hangs is given up on quickly, and the newest rules are assumed', () => {
    const m = machine({ auth: CHATGPT });
    // not `exec sleep`: the child's own child keeps the pipes open, as a wrapper script's would
    writeFileSync(join(m.home, 'fakebin', 'codex'), '#!/bin/sh\nsleep 30\necho never\n', { mode: 0o755 });
    const started = Date.now();
    const r = m.run();
    expect(Date.now() - started).toBeLessThan(8000);
    expect(r.stdout).toContain('did not answer within 3s');
    expect(r.stdout).toContain('assuming the rules of 0.171.0');
  });
});

describe('codexSection (for keyguard audit)', () => {
  it('returns text, JSON, the checks and the status', async () => {
    const m = machine({ auth: { auth_mode: 'apikey', OPENAI_API_KEY: KEY } });
    const io = {
      cwd: m.home,
      env: { HOME: m.home, PATH: '/usr/bin:/bin', KEYGUARD_CODEX_SYSTEM_CONFIG: join(m.home, 'none') },
      stdout: () => undefined,
      stderr: () => undefined,
      stdoutIsTTY: false,
      stderrIsTTY: false,
      platform: 'linux' as const,
    };
    const s = await codexSection(io, 'text');
    expect(s.status).toBe(1);
    expect(s.checks.map((c) => c.id)).toContain('codex-auth-apikey');
    expect(s.text).toMatch(/codex exec:\s+an API key/);
    expect(s.text).not.toContain(KEY);
    expect((s.json as Report).effective.exec.kind).toBe('api-key');
    const ok = await codexSection({ ...io, env: { ...io.env, HOME: tempDir() } }, 'json');
    expect(ok).toMatchObject({ status: 0, text: '', checks: [] });
  });
});

describe("keyguard's Codex hooks (installed by keyguard install --codex)", () => {
  it('not installed: a note with the install command; installed: untrusted until /hooks; trusted: one note', () => {
    const none = machine({ auth: CHATGPT, version: '0.171.0' }).json();
    expect(check(none, 'codex-hooks-not-installed')).toMatchObject({ severity: 'info', fix: ['keyguard install --codex'] });
    expect(none.status).toBe(0);

    const m = machine({ auth: CHATGPT, version: '0.171.0', config: `model = "gpt-5"\n${CODEX_BLOCK}` });
    const untrusted = m.json();
    expect(check(untrusted, 'codex-hooks-untrusted')).toMatchObject({ severity: 'warning', path: join(m.codexHome, 'config.toml') });
    expect(untrusted.status).toBe(1);

    const cfg = join(m.codexHome, 'config.toml');
    const t = parseToml(CODEX_BLOCK);
    if ('error' in t) throw new Error(t.error);
    const state = handlersOf(t.table.hooks, [cfg])
      .map((h) => `[hooks.state."${h.keys[0]}"]\ntrusted_hash = "${h.hash}"\n`)
      .join('\n');
    writeFileSync(cfg, `model = "gpt-5"\n${CODEX_BLOCK}\n${state}`);
    const trusted = m.json();
    expect(check(trusted, 'codex-hooks')).toMatchObject({ severity: 'info' });
    expect(trusted.status).toBe(0);
  });

  it('requirements.toml allow_managed_hooks_only and [features] hooks = false keep them from running', () => {
    const m = machine({ auth: CHATGPT, version: '0.171.0', config: `${CODEX_BLOCK}\n[features]\nhooks = false\n` });
    writeFileSync(join(m.home, 'no-requirements.toml'), 'allow_managed_hooks_only = true\n');
    const j = m.json();
    expect(check(j, 'codex-hooks-managed-only').path).toBe(join(m.home, 'no-requirements.toml'));
    expect(check(j, 'codex-hooks-disabled').message).toContain('[features] hooks = false');
  });

  it("a project's .codex/ hooks run only in a trusted project", () => {
    const m = machine({
      auth: CHATGPT,
      version: '0.171.0',
      home: { 'repo/.codex/config.toml': CODEX_BLOCK, 'repo/.git/HEAD': 'ref: refs/heads/main\n' },
      cwd: 'repo',
    });
    expect(check(m.json(), 'codex-hooks-project-untrusted').fix[0]).toContain(`[projects."${join(m.home, 'repo')}"] trust_level = "trusted"`);
  });
});
