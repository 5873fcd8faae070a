// Checks on the stored login: an API key where ChatGPT was meant, a legacy mixed file, a corrupt or
// incomplete login, the keyring, and forced_login_method logouts.
import type { Check } from '../types.js';
import { at, redact, tildify } from './display.js';
import { editConfig, removeVar } from './fixes.js';
import type { CheckInput } from './check-input.js';

const RELOGIN = 'codex logout && codex login';

export function storedLoginChecks(input: CheckInput): Check[] {
  const { stored, facts, rules } = input;
  const home = facts.homeDir;
  const path = facts.auth.path;
  const shown = tildify(path, home);
  const out: Check[] = [];
  if (stored.kind === 'apikey') {
    const key = stored.key ? ` (${redact(stored.key)})` : '';
    out.push({
      id: 'codex-auth-apikey',
      severity: 'warning',
      message: `Codex is signed in with an API key${key}, not ChatGPT: usage is billed to the API platform`,
      detail: stored.legacy
        ? `${shown} has no auth_mode and a non-null OPENAI_API_KEY, which Codex ${rules.version} reads as an API-key login.`
        : `The stored login was replaced by an API-key login (the login screen's "API key" choice, pre-filled from OPENAI_API_KEY, ` +
          `or \`${rules.loginWithApiKey.replace(/^printenv OPENAI_API_KEY \| /, '')}\`).`,
      ...(stored.store === 'file' || facts.auth.state !== 'absent' ? { path } : {}),
      fix: [`${RELOGIN}   # sign in with ChatGPT to use your plan`],
    });
  }
  if ((stored.kind === 'apikey' || stored.kind === 'chatgpt') && stored.legacy && stored.mixed) {
    const uses =
      rules.legacyMixedUses === 'apikey'
        ? `Codex ${rules.version} uses the API key`
        : `your Codex ${rules.version} still uses the ChatGPT tokens, but Codex 0.36 and later use the API key`;
    out.push({
      id: 'codex-auth-legacy-mixed',
      severity: 'warning',
      message: `auth.json has both an API key and ChatGPT tokens and no auth_mode: ${uses}`,
      detail: 'Files written by the TypeScript CLI and early Rust builds kept the key the ChatGPT login minted. Signing in again writes a clean file.',
      path,
      fix: [RELOGIN],
    });
  }
  if (stored.kind === 'invalid') {
    out.push({
      id: 'codex-auth-invalid',
      severity: 'error',
      message: 'The stored Codex login is corrupt: Codex cannot load it',
      detail: `${shown}: ${stored.error}.`,
      path,
      fix: ['codex login   # writes a new auth.json'],
    });
  }
  if (stored.kind === 'chatgpt' && stored.missing.length > 0) {
    out.push({
      id: 'codex-auth-incomplete',
      severity: 'error',
      message: `The stored Codex login is incomplete (no ${stored.missing.join(', ')}): requests will fail`,
      detail: `Codex reads ${shown} as a ChatGPT login${stored.legacy ? ' (it has no auth_mode and no API key)' : ''}, but there are no tokens to send. \`codex login status\` may still say "Logged in using ChatGPT".`,
      path,
      fix: [RELOGIN],
    });
  }
  const builtin = (facts.config.modelProvider?.value ?? 'openai') === 'openai';
  if (builtin && stored.kind === 'none' && stored.store === 'file' && !input.vars.OPENAI_API_KEY && !input.vars.CODEX_API_KEY) {
    out.push({ id: 'codex-not-logged-in', severity: 'info', message: 'Codex is not logged in', detail: `There is no ${shown}.`, fix: ['codex login'] });
  }
  return out;
}

export function storeChecks(input: CheckInput): Check[] {
  const { stored, facts } = input;
  const setting = facts.config.credentialsStore;
  if (stored.store === 'file' || !setting) return [];
  const home = facts.homeDir;
  const where = at(setting.source, home);
  const fileThere = facts.auth.state !== 'absent';
  const status = facts.loginStatus;
  const said = status
    ? ` \`codex login status\` says: ${status.state === 'error' ? `it failed (${status.text})` : describeStatus(status.state)}.`
    : ' keyguard could not ask `codex login status` (codex is not on PATH).';
  const ref = { path: setting.source.path, ...(setting.source.line ? { line: setting.source.line } : {}) };
  if (stored.store === 'ephemeral') {
    return [
      {
        id: 'codex-credentials-store',
        severity: 'info',
        message: 'cli_auth_credentials_store = "ephemeral": Codex keeps no login between runs',
        detail: `Set in ${where}. This mode is meant for app-server hosts that supply tokens.`,
        ...ref,
        fix: [editConfig(setting.source, 'remove cli_auth_credentials_store (or set it to "file")', home)],
      },
    ];
  }
  if (stored.store === 'keyring' && fileThere) {
    return [
      {
        id: 'codex-credentials-store',
        severity: 'warning',
        message:
          'auth.json is a leftover: with cli_auth_credentials_store = "keyring" Codex reads the OS keyring and ignores the file, which still holds credentials in plain text',
        detail: `Set in ${where}.${said}`,
        path: facts.auth.path,
        fix: ['codex login status   # confirm the keyring holds your login', `rm ${tildify(facts.auth.path, home)}`],
      },
    ];
  }
  const fileNote =
    stored.store === 'auto' && fileThere
      ? ' auth.json exists too: Codex falls back to it when the keyring has nothing (a successful keyring save deletes it).'
      : '';
  return [
    {
      id: 'codex-credentials-store',
      severity: 'info',
      message: `Codex keeps its login in the OS keyring (cli_auth_credentials_store = "${stored.store}"): a missing auth.json does not mean logged out`,
      detail: `Set in ${where}.${said}${fileNote}`,
      ...ref,
      fix: [],
    },
  ];
}

function describeStatus(state: 'chatgpt' | 'apikey' | 'none' | 'other'): string {
  return { chatgpt: 'logged in using ChatGPT', apikey: 'an API key is configured', none: 'not logged in', other: 'logged in with another method' }[state];
}

export function forcedLoginChecks(input: CheckInput): Check[] {
  const { facts, rules, vars, stored } = input;
  const forced = facts.config.forcedLoginMethod;
  const home = facts.homeDir;
  if (!forced) return workspaceCheck(input);
  const out: Check[] = [];
  const ref = { path: forced.source.path, ...(forced.source.line ? { line: forced.source.line } : {}) };
  if (!rules.forcedLoginMethod) {
    out.push({
      id: 'codex-forced-login-ignored',
      severity: 'info',
      message: `forced_login_method is ignored by Codex ${rules.version} (it arrived after 0.45)`,
      detail: 'Once you upgrade it is enforced: a login of the other kind is logged out.',
      ...ref,
      fix: [],
    });
    return out;
  }
  const codexKey = vars.CODEX_API_KEY;
  if (forced.value === 'chatgpt' && codexKey && rules.codexApiKey) {
    out.push({
      id: 'codex-forced-login-logout',
      severity: 'error',
      message: '`codex` and `codex exec` will log you out and delete your ChatGPT credentials: forced_login_method = "chatgpt" and CODEX_API_KEY is set',
      detail:
        'Codex prints "ChatGPT login is required, but an API key is currently being used. Logging out." and removes auth.json (and the keyring entry). ' +
        'The interactive CLI does this too (measured on 0.100 and 0.171), although it never authenticates with CODEX_API_KEY.',
      ...ref,
      fix: [...removeVar(codexKey, home), `or, if you meant to use API keys: ${editConfig(forced.source, 'remove forced_login_method', home)}`],
    });
  }
  if (forced.value === 'chatgpt' && stored.kind === 'apikey') {
    out.push({
      id: 'codex-forced-login-logout',
      severity: 'error',
      message: 'Codex will log you out: forced_login_method = "chatgpt" but the stored login is an API key',
      ...ref,
      fix: [RELOGIN],
    });
  }
  if (forced.value === 'api' && stored.kind === 'chatgpt') {
    out.push({
      id: 'codex-forced-login-logout',
      severity: 'error',
      message: 'Codex will log you out and delete your ChatGPT credentials: forced_login_method = "api" but you are signed in with ChatGPT',
      ...ref,
      fix: [editConfig(forced.source, 'set forced_login_method = "chatgpt" (or remove it)', home)],
    });
  }
  return [...out, ...workspaceCheck(input)];
}

function workspaceCheck(input: CheckInput): Check[] {
  const { facts, rules, stored } = input;
  const home = facts.homeDir;
  const ws = facts.config.forcedWorkspaceIds;
  const account = stored.kind === 'chatgpt' ? stored.claims.accountId : undefined;
  const out: Check[] = [];
  if (rules.forcedLoginMethod && ws && account && ws.value.length > 0 && !ws.value.includes(account)) {
    out.push({
      id: 'codex-forced-workspace-mismatch',
      severity: 'error',
      message: `Codex will log you out: your ChatGPT login is for workspace ${account}, which forced_chatgpt_workspace_id does not allow`,
      path: ws.source.path,
      ...(ws.source.line ? { line: ws.source.line } : {}),
      fix: [editConfig(ws.source, `add "${account}" to forced_chatgpt_workspace_id, or sign in to an allowed workspace (${RELOGIN})`, home)],
    });
  }
  return out;
}
