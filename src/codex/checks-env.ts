// Checks on environment variables: CODEX_API_KEY, OPENAI_API_KEY, CODEX_ACCESS_TOKEN,
// OPENAI_BASE_URL, OPENAI_ORGANIZATION/OPENAI_PROJECT, and what $CODEX_HOME/.env sets.
import type { Check } from '../types.js';
import { tildify } from './display.js';
import type { SeenVar } from './env-value.js';
import { deleteLine, refOf, removeVar, varSource } from './fixes.js';
import type { CheckInput } from './check-input.js';

function placed(v: SeenVar): { path?: string; line?: number } {
  const ref = refOf(v);
  return ref ? { path: ref.path, ...(ref.line ? { line: ref.line } : {}) } : {};
}

const usesBuiltin = (input: CheckInput): boolean => (input.facts.config.modelProvider?.value ?? 'openai') === 'openai';

export function codexApiKeyCheck(input: CheckInput): Check[] {
  const v = input.vars.CODEX_API_KEY;
  if (!v) return [];
  const { rules, stored, facts } = input;
  const home = facts.homeDir;
  if (!rules.codexApiKey) {
    return [
      {
        id: 'codex-env-codex-api-key',
        severity: 'info',
        message: `CODEX_API_KEY is ignored by Codex ${rules.version}; from 0.44 it overrides your ChatGPT login for \`codex exec\``,
        detail: `Source: ${varSource(v, home)}.`,
        ...placed(v),
        fix: removeVar(v, home),
      },
    ];
  }
  const overChatgpt = stored.kind === 'chatgpt';
  return [
    {
      id: 'codex-env-codex-api-key',
      severity: 'warning',
      message: overChatgpt
        ? 'CODEX_API_KEY overrides your ChatGPT login for `codex exec` and SDK runs (not the interactive CLI): they are billed to the API platform'
        : '`codex exec` and SDK runs authenticate with CODEX_API_KEY: they are billed to the API platform',
      detail: `Source: ${varSource(v, home)}. \`codex login status\` never shows this variable. Unset it to use your plan.`,
      ...placed(v),
      fix: removeVar(v, home),
    },
  ];
}

export function openaiApiKeyChecks(input: CheckInput): Check[] {
  const v = input.vars.OPENAI_API_KEY;
  if (!v || !usesBuiltin(input)) return [];
  const { rules, stored, facts } = input;
  const home = facts.homeDir;
  const where = `Source: ${varSource(v, home)}.`;
  const fix = removeVar(v, home);
  if (rules.envOpenaiApiKey === 'overrides-login') {
    return [
      {
        id: 'codex-env-openai-api-key',
        severity: 'warning',
        message: `Codex ${rules.version} sends OPENAI_API_KEY instead of any stored login: usage is billed to the API platform`,
        detail: `${where} Codex 0.20 and later prefer the stored ChatGPT login; upgrading (npm i -g @openai/codex) fixes this.`,
        ...placed(v),
        fix,
      },
    ];
  }
  const loggedInChatgpt = stored.kind === 'chatgpt' && stored.missing.length === 0;
  if (loggedInChatgpt || stored.kind === 'unknown' || stored.kind === 'other') {
    if (rules.envOpenaiApiKey === 'fallback') {
      return [
        {
          id: 'codex-env-openai-api-key',
          severity: 'warning',
          message: `Codex ${rules.version} uses OPENAI_API_KEY whenever no login is stored: if your ChatGPT login is removed or expires, usage moves to the API platform without a word`,
          detail: `${where} From 0.36 the variable only pre-fills the login screen.`,
          ...placed(v),
          fix,
        },
      ];
    }
    return [
      {
        id: 'codex-env-openai-api-key',
        severity: 'info',
        message:
          'OPENAI_API_KEY is ignored by Codex\'s built-in provider, but the login screen pre-fills it: choosing "API key" there replaces your ChatGPT login',
        detail: `${where} Keep it if other tools need it; just do not pick "API key" when Codex asks you to sign in.`,
        ...placed(v),
        fix,
      },
    ];
  }
  if (stored.kind === 'none') {
    if (rules.envOpenaiApiKey === 'fallback') {
      return [
        {
          id: 'codex-env-openai-api-key-not-logged-in',
          severity: 'warning',
          message: `Not logged in, so Codex ${rules.version} uses OPENAI_API_KEY: usage is billed to the API platform`,
          detail: where,
          ...placed(v),
          fix: ['codex login   # sign in with ChatGPT to use your plan', ...fix],
        },
      ];
    }
    return [
      {
        id: 'codex-env-openai-api-key-not-logged-in',
        severity: 'warning',
        message: 'Not logged in: OPENAI_API_KEY alone does not authenticate Codex (requests will fail with 401)',
        detail: `${where} Defining the variable is not a login (maintainers, openai/codex#7323).`,
        ...placed(v),
        fix: ['codex login   # sign in with ChatGPT', `${rules.loginWithApiKey}   # or use this key (billed to the API platform)`],
      },
    ];
  }
  return [];
}

export function accessTokenCheck(input: CheckInput): Check[] {
  const v = input.vars.CODEX_ACCESS_TOKEN;
  if (!v) return [];
  const home = input.facts.homeDir;
  const honoured = input.rules.accessToken;
  return [
    {
      id: 'codex-env-access-token',
      severity: honoured ? 'warning' : 'info',
      message: honoured
        ? 'CODEX_ACCESS_TOKEN replaces your stored login for every Codex command (agent identity)'
        : `CODEX_ACCESS_TOKEN is set; Codex ${input.rules.version} may ignore it, newer builds use it instead of your stored login`,
      detail: `Source: ${varSource(v, home)}. A malformed value makes even \`codex login status\` fail.`,
      ...placed(v),
      fix: removeVar(v, home),
    },
  ];
}

export function baseUrlCheck(input: CheckInput): Check[] {
  const v = input.vars.OPENAI_BASE_URL;
  if (!v) return [];
  const { rules, facts } = input;
  const home = facts.homeDir;
  const url = v.value ? ` (${v.value})` : '';
  const config = tildify(`${facts.home.path}/config.toml`, home);
  const elsewhere =
    rules.configBaseUrl === 'honoured'
      ? `if you need another endpoint, set openai_base_url = "…" in ${config}`
      : rules.configBaseUrl === 'apikey-only'
        ? `if you need another endpoint for an API key, set openai_base_url = "…" in ${config} (Codex ${rules.version} applies it to API-key logins only)`
        : `if you need another endpoint, define a [model_providers.<id>] table with base_url and env_key in ${config} and set model_provider = "<id>" ` +
          `(Codex ${rules.version} does not read openai_base_url)`;
  const fix = [...removeVar(v, home), elsewhere];
  const detail = `Source: ${varSource(v, home)}.`;
  switch (rules.openaiBaseUrl) {
    case 'honoured':
      return [
        {
          id: 'codex-env-openai-base-url',
          severity: 'warning',
          message: `OPENAI_BASE_URL${url} redirects every request of Codex ${rules.version}, ChatGPT login included: that causes 401s`,
          detail: `${detail} Codex removed the variable in 2026 (PR #16720) in favour of openai_base_url.`,
          ...placed(v),
          fix,
        },
      ];
    case 'maybe':
      return [
        {
          id: 'codex-env-openai-base-url',
          severity: 'warning',
          message: `OPENAI_BASE_URL${url} may still redirect Codex ${rules.version}'s requests, ChatGPT login included (401s)`,
          detail: `${detail} It was deprecated in Feb 2026 (PR #12031) and removed in Apr 2026 (PR #16720); use openai_base_url.`,
          ...placed(v),
          fix,
        },
      ];
    case 'ignored':
      return [
        {
          id: 'codex-env-openai-base-url',
          severity: 'info',
          message: `OPENAI_BASE_URL${url} is ignored by Codex since PR #16720 (2026): use openai_base_url in config.toml`,
          detail: `${detail} On older builds it redirects ChatGPT traffic and causes 401s.`,
          ...placed(v),
          fix,
        },
      ];
  }
}

export function orgProjectChecks(input: CheckInput): Check[] {
  if (!usesBuiltin(input)) return [];
  const home = input.facts.homeDir;
  const chatgpt = input.effective.interactive.kind === 'chatgpt' || input.effective.exec.kind === 'chatgpt';
  const out: Check[] = [];
  for (const [name, header] of [
    ['OPENAI_ORGANIZATION', 'OpenAI-Organization'],
    ['OPENAI_PROJECT', 'OpenAI-Project'],
  ] as const) {
    const v = input.vars[name];
    if (!v) continue;
    out.push({
      id: 'codex-env-openai-org-project',
      severity: 'info',
      message: `${name}${v.value ? ` (${v.value})` : ''} is sent as the ${header} header on every Codex request${chatgpt ? ', ChatGPT login included' : ''}`,
      detail: `Source: ${varSource(v, home)}. A stray organization or project makes requests fail with 401 mismatched_organization.`,
      ...placed(v),
      fix: removeVar(v, home),
    });
  }
  return out;
}

/** What $CODEX_HOME/.env sets: it is loaded into every run, overrides the shell, and is easy to forget. */
export function dotenvCheck(input: CheckInput): Check[] {
  const { facts, rules } = input;
  if (!rules.codexHomeDotenv) return [];
  const home = facts.homeDir;
  const lines = Object.values(facts.env).flatMap((f) => (f.dotenv && f.dotenv.value !== '' ? [f.dotenv] : []));
  if (lines.length === 0) return [];
  const named = Object.values(facts.env).filter((f) => f.dotenv && f.dotenv.value !== '');
  const used = named.filter((f) => !f.name.startsWith('CODEX_'));
  const dropped = named.filter((f) => f.name.startsWith('CODEX_'));
  const path = lines[0]?.path ?? `${facts.home.path}/.env`;
  const parts: string[] = [];
  if (used.length > 0)
    parts.push(`sets ${used.map((f) => `${f.name} (line ${f.dotenv?.line})`).join(', ')}; Codex loads it into every run and its values override your shell`);
  if (dropped.length > 0)
    parts.push(
      `${dropped.map((f) => `${f.name} (line ${f.dotenv?.line})`).join(', ')} ${dropped.length === 1 ? 'is' : 'are'} ignored: Codex drops CODEX_* keys from .env`,
    );
  return [
    {
      id: 'codex-dotenv',
      severity: 'info',
      message: `${tildify(path, home)} ${parts.join('; ')}`,
      path,
      ...(lines[0] ? { line: lines[0].line } : {}),
      fix: lines.map((a) => deleteLine(a, home)),
    },
  ];
}

/** Builds up to 0.29 also load ./.env, so a project's key can take over. */
export function projectDotenvCheck(input: CheckInput): Check[] {
  const { facts, rules } = input;
  if (!rules.projectDotenv) return [];
  const home = facts.homeDir;
  const found = Object.values(facts.env).flatMap((f) =>
    f.projectDotenv && f.projectDotenv.value !== '' && !f.name.startsWith('CODEX_') ? [f.projectDotenv] : [],
  );
  const first = found[0];
  if (!first) return [];
  return [
    {
      id: 'codex-project-dotenv',
      severity: 'warning',
      message: `Codex ${rules.version} also loads ${tildify(first.path, home)}, which sets ${Object.values(facts.env)
        .filter((f) => f.projectDotenv && !f.name.startsWith('CODEX_'))
        .map((f) => f.name)
        .join(', ')} for Codex runs in this directory`,
      detail: 'Codex 0.34 and later load only $CODEX_HOME/.env.',
      path: first.path,
      line: first.line,
      fix: ['npm i -g @openai/codex   # newer builds ignore ./.env', ...found.map((a) => deleteLine(a, home))],
    },
  ];
}
