// Checks on config.toml: files Codex refuses, the model provider (env_key, ChatGPT token sent
// elsewhere, plain-text tokens), a leftover preferred_auth_method, an untrusted project layer.
import type { Check } from '../types.js';
import { at, tildify } from './display.js';
import { editConfig, refOf, removeVar, varWhere } from './fixes.js';
import type { CheckInput } from './check-input.js';
import type { SourceRef } from './facts.js';
import { startErrors } from './start-errors.js';

function placed(ref: SourceRef | undefined): { path?: string; line?: number } {
  return ref ? { path: ref.path, ...(ref.line ? { line: ref.line } : {}) } : {};
}

export function configErrorChecks(input: CheckInput): Check[] {
  const home = input.facts.homeDir;
  return startErrors(input.facts.config, input.rules).map((e) => ({
    id: 'codex-config-invalid',
    severity: 'error' as const,
    message: `Codex will not start: ${tildify(e.path, home)} ${e.message}`,
    path: e.path,
    ...(e.line ? { line: e.line } : {}),
    fix: [editConfig(e, 'fix or remove this setting', home)],
  }));
}

export function preferredAuthMethodCheck(input: CheckInput): Check[] {
  const p = input.facts.config.preferredAuthMethod;
  if (!p) return [];
  const { rules, facts } = input;
  const home = facts.homeDir;
  const remove = editConfig(p.source, 'delete the preferred_auth_method line', home);
  if (rules.preferredAuthMethod) {
    if (p.value !== 'apikey') return [];
    if (input.effective.exec.kind === 'chatgpt' || input.effective.interactive.kind === 'chatgpt') {
      return [
        {
          id: 'codex-config-preferred-auth-method',
          severity: 'info',
          message: `preferred_auth_method = "apikey" changes nothing here: Codex ${rules.version} still uses your ChatGPT login`,
          detail: 'It picks an API key stored in auth.json; an exported OPENAI_API_KEY does not beat a stored ChatGPT login (measured on 0.29).',
          ...placed(p.source),
          fix: [remove],
        },
      ];
    }
    return [
      {
        id: 'codex-config-preferred-auth-method',
        severity: 'warning',
        message: `preferred_auth_method = "apikey" makes Codex ${rules.version} use an API key instead of your ChatGPT login`,
        detail: 'Codex 0.36 and later ignore this key.',
        ...placed(p.source),
        fix: [remove],
      },
    ];
  }
  return [
    {
      id: 'codex-config-preferred-auth-method',
      severity: 'info',
      message: `preferred_auth_method = "${p.value}" was removed (≈0.35/0.36) and is ignored: it no longer selects ChatGPT vs API key`,
      ...placed(p.source),
      fix: [remove],
    },
  ];
}

function isChatgptHost(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'chatgpt.com' || host.endsWith('.chatgpt.com');
  } catch {
    return false;
  }
}

export function providerChecks(input: CheckInput): Check[] {
  const { facts, vars, stored } = input;
  const home = facts.homeDir;
  const out: Check[] = [];
  const selected = facts.config.modelProvider;
  const id = selected?.value ?? 'openai';
  const p = facts.config.providers[id];
  const switchBack = selected ? editConfig(selected.source, 'remove model_provider (or set it to "openai") to use your ChatGPT login', home) : undefined;
  if (p) {
    if (p.envKey) {
      const v = vars[p.envKey];
      if (v) {
        out.push({
          id: 'codex-provider-env-key',
          severity: 'warning',
          message: `Model provider "${id}" sends $${p.envKey} and bypasses your ChatGPT login${v.origin === 'dotenv' ? ` (the value comes from ${tildify(v.where?.path ?? '.env', home)}, which overrides your shell)` : ''}`,
          detail: `model_provider = "${id}" is set in ${selected ? at(selected.source, home) : 'config.toml'}; its env_key is ${p.envKey}, ${varWhere(v, home)}. The key is sent even when requires_openai_auth = true and a ChatGPT login exists.`,
          ...placed(refOf(v) ?? p.source),
          fix: [...(switchBack ? [switchBack] : []), ...removeVar(v, home)],
        });
      } else {
        out.push({
          id: 'codex-provider-env-key-missing',
          severity: 'error',
          message: `Model provider "${id}" needs $${p.envKey}, which is not set: Codex fails with "Missing environment variable"`,
          ...placed(p.source),
          fix: [`export ${p.envKey}=…   # or add it to ${tildify(`${facts.home.path}/.env`, home)}`, ...(switchBack ? [switchBack] : [])],
        });
      }
    } else if (p.requiresOpenaiAuth && p.baseUrl && !isChatgptHost(p.baseUrl) && stored.kind === 'chatgpt') {
      const platform = /(^|\.)api\.openai\.com$/.test(hostOf(p.baseUrl));
      out.push({
        id: 'codex-provider-chatgpt-token',
        severity: 'warning',
        message: `Your ChatGPT token will be sent to ${p.baseUrl} (model provider "${id}" has requires_openai_auth = true)`,
        detail: platform
          ? 'The API platform does not accept ChatGPT tokens: requests fail with 401 "Missing scopes: api.responses.write".'
          : 'Anyone running that server can use your ChatGPT session.',
        ...placed(p.source),
        fix: [editConfig(p.source, `set env_key for provider "${id}", or requires_openai_auth = false`, home), ...(switchBack ? [switchBack] : [])],
      });
    } else if (!p.hasBearerToken && !p.hasAuthCommand && !p.requiresOpenaiAuth) {
      out.push({
        id: 'codex-provider-other',
        severity: 'info',
        message: `Codex uses model provider "${id}"${p.baseUrl ? ` at ${p.baseUrl}` : ''}, not your ChatGPT login`,
        ...placed(selected?.source),
        fix: switchBack ? [switchBack] : [],
      });
    }
  } else if (id !== 'openai' && selected && ['oss', 'ollama', 'lmstudio'].includes(id)) {
    out.push({
      id: 'codex-provider-other',
      severity: 'info',
      message: `Codex uses the local model provider "${id}", not your ChatGPT login`,
      ...placed(selected.source),
      fix: switchBack ? [switchBack] : [],
    });
  } else if (id !== 'openai' && selected) {
    out.push({
      id: 'codex-config-invalid',
      severity: 'error',
      message: `Codex will not start: model_provider = "${id}" names no [model_providers.${id}] table`,
      ...placed(selected.source),
      fix: switchBack ? [switchBack] : [],
    });
  }
  for (const prov of Object.values(facts.config.providers)) {
    if (!prov.hasBearerToken) continue;
    out.push({
      id: 'codex-provider-bearer-token',
      severity: 'warning',
      message: `${tildify(prov.source.path, home)} holds a plain-text token (experimental_bearer_token of model provider "${prov.id}")`,
      detail: 'Anything that reads or syncs config.toml gets the token.',
      ...placed(prov.source),
      fix: [
        editConfig(
          prov.source,
          `replace experimental_bearer_token with env_key = "${prov.id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_API_KEY" and export that variable`,
          home,
        ),
      ],
    });
  }
  return out;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

export function untrustedProjectCheck(input: CheckInput): Check[] {
  const u = input.facts.config.untrustedProject;
  if (!u) return [];
  return [
    {
      id: 'codex-project-config-untrusted',
      severity: 'info',
      message: `${tildify(u.path, input.facts.homeDir)} sets ${u.keys.join(', ')}, but Codex ignores it: this project is not trusted`,
      path: u.path,
      fix: [],
    },
  ];
}

/** openai_base_url redirects the built-in provider in both modes, ChatGPT token included. */
export function openaiBaseUrlConfigCheck(input: CheckInput): Check[] {
  const b = input.facts.config.openaiBaseUrl;
  if (!b) return [];
  const { rules } = input;
  if (rules.configBaseUrl === 'ignored') {
    return [
      {
        id: 'codex-config-openai-base-url',
        severity: 'info',
        message: `openai_base_url = "${b.value}" is ignored by Codex ${rules.version}: requests go to the default endpoint`,
        detail: 'Codex read this key from about Feb 2026 (PR #12031); older builds follow the OPENAI_BASE_URL variable instead.',
        ...placed(b.source),
        fix: [],
      },
    ];
  }
  const chatgpt = input.effective.interactive.kind === 'chatgpt' || input.effective.exec.kind === 'chatgpt';
  const home = input.facts.homeDir;
  if (chatgpt && rules.configBaseUrl === 'apikey-only') {
    return [
      {
        id: 'codex-config-openai-base-url',
        severity: 'info',
        message: `openai_base_url = "${b.value}" applies only to API-key logins in Codex ${rules.version}: your ChatGPT login still goes to chatgpt.com`,
        detail: 'Newer builds send the ChatGPT token there too.',
        ...placed(b.source),
        fix: [],
      },
    ];
  }
  if (!chatgpt || isChatgptHost(b.value)) {
    return [
      {
        id: 'codex-config-openai-base-url',
        severity: 'info',
        message: `openai_base_url = "${b.value}": the built-in provider sends its requests there`,
        ...placed(b.source),
        fix: [],
      },
    ];
  }
  return [
    {
      id: 'codex-config-openai-base-url',
      severity: 'warning',
      message: `Your ChatGPT token will be sent to ${b.value} (openai_base_url overrides the URL in ChatGPT mode too)`,
      detail: /(^|\.)api\.openai\.com$/.test(hostOf(b.value))
        ? 'The API platform does not accept ChatGPT tokens: requests fail with 401.'
        : 'Anyone running that server can use your ChatGPT session.',
      ...placed(b.source),
      fix: [editConfig(b.source, 'remove openai_base_url unless that server is meant to receive your ChatGPT login', home)],
    },
  ];
}
