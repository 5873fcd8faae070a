// Reads where keyguard's Codex hooks may live and what decides whether Codex runs them: the user's
// $CODEX_HOME/config.toml and hooks.json, the project's .codex/ (root and working directory), the
// feature flag in the config layers, requirements.toml, and the trust records in [hooks.state].
import { realpath } from 'node:fs/promises';
import { readSmallFile } from '../small-file.js';
import { join, resolve } from 'node:path';
import { errorMessage } from '../errors.js';
import { HOOK_COMMAND } from '../guard/agents/outcome.js';
import { parseToml, trustLevelOf } from './config.js';
import { gitRootOf } from './config-read.js';
import type { HookHandlerFact, HookSourceFact, HooksFacts, SourceRef } from './facts.js';
import { hookHash, hookKey } from './hook-trust.js';
import { lineOfKey } from './toml-lines.js';

const REQUIREMENTS = '/etc/codex/requirements.toml';
const SYSTEM_CONFIG = '/etc/codex/config.toml';
const MAX_BYTES = 4 * 1024 * 1024;

type Table = Record<string, unknown>;
type ReadErrors = { path: string; message: string }[];

function isTable(v: unknown): v is Table {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

function readText(path: string, errors: ReadErrors): string | undefined {
  const f = readSmallFile(path, MAX_BYTES);
  if (f.state === 'read') return f.bytes.toString('utf8');
  if (f.state === 'unreadable' && f.code !== 'ENOTDIR') errors.push({ path, message: f.error });
  return undefined;
}

async function real(p: string): Promise<string> {
  return realpath(p).catch(() => p);
}

/** `keyguard hook codex`, also when written with keyguard's full path. */
export function isKeyguardCommand(command: string): boolean {
  const c = command.trim();
  return c === HOOK_COMMAND.codex || /(^|[\\/])keyguard(\.cmd)? hook codex$/.test(c);
}

/** The command handlers of a `hooks` table (TOML `[[hooks.<Event>]]` or hooks.json's `"hooks"`). */
export function handlersOf(hooks: unknown, paths: readonly string[]): HookHandlerFact[] {
  if (!isTable(hooks)) return [];
  const out: HookHandlerFact[] = [];
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    groups.forEach((g: unknown, gi) => {
      if (!isTable(g) || !Array.isArray(g.hooks)) return;
      const matcher = typeof g.matcher === 'string' ? g.matcher : undefined;
      g.hooks.forEach((h: unknown, hi) => {
        if (!isTable(h) || h.type !== 'command' || typeof h.command !== 'string') return;
        const def = {
          command: h.command,
          ...(typeof h.timeout === 'number' ? { timeout: h.timeout } : typeof h.timeout === 'bigint' ? { timeout: Number(h.timeout) } : {}),
          ...(typeof h.async === 'boolean' ? { async: h.async } : {}),
          ...(typeof h.statusMessage === 'string' ? { statusMessage: h.statusMessage } : {}),
        };
        out.push({
          event,
          keys: [...new Set(paths.map((p) => hookKey(p, event, gi, hi)))],
          hash: hookHash(event, matcher, def),
          ours: isKeyguardCommand(h.command),
        });
      });
    });
  }
  return out;
}

async function source(path: string, layer: HookSourceFact['layer'], loaded: boolean, errors: ReadErrors): Promise<HookSourceFact | undefined> {
  const text = readText(path, errors);
  if (text === undefined) return undefined;
  const paths = [path, await real(path)];
  if (path.endsWith('.json')) {
    try {
      const doc: unknown = JSON.parse(text);
      return { path, layer, loaded, handlers: isTable(doc) ? handlersOf(doc.hooks, paths) : [] };
    } catch (err) {
      return { path, layer, loaded, handlers: [], error: `not valid JSON (${errorMessage(err)})` };
    }
  }
  const parsed = parseToml(text);
  if ('error' in parsed) return { path, layer, loaded, handlers: [], error: `not valid TOML (${parsed.error})` };
  return { path, layer, loaded, handlers: handlersOf(parsed.table.hooks, paths) };
}

function tableOf(text: string | undefined): Table | undefined {
  if (text === undefined) return undefined;
  const parsed = parseToml(text);
  return 'error' in parsed ? undefined : parsed.table;
}

function at(path: string, text: string, table: string[], key: string): SourceRef {
  const line = lineOfKey(text, table, key);
  return line ? { path, line } : { path };
}

export async function readHooks(
  opts: { codexHome: string; cwd: string; env: NodeJS.ProcessEnv; platform: NodeJS.Platform },
  errors: ReadErrors,
): Promise<HooksFacts> {
  const userConfig = join(opts.codexHome, 'config.toml');
  const userText = readText(userConfig, errors);
  const cwd = resolve(opts.cwd);
  const root = (await gitRootOf(cwd)) ?? cwd;
  const projectTrusted = trustLevelOf(userText, [...new Set([cwd, await real(cwd), root, await real(root)])]) === 'trusted';
  const sources: HookSourceFact[] = [];
  const places: [string, HookSourceFact['layer'], boolean][] = [
    [userConfig, 'user', true],
    [join(opts.codexHome, 'hooks.json'), 'user', true],
  ];
  for (const d of new Set([root, cwd])) {
    places.push([join(d, '.codex', 'config.toml'), 'project', projectTrusted], [join(d, '.codex', 'hooks.json'), 'project', projectTrusted]);
  }
  const seen = new Set<string>();
  for (const [path, layer, loaded] of places) {
    // a project whose .codex/ is CODEX_HOME itself
    if (seen.has(resolve(path))) continue;
    seen.add(resolve(path));
    const s = await source(path, layer, loaded, errors);
    if (s) sources.push(s);
  }

  const facts: HooksFacts = { sources, state: {}, projectRoot: root, projectTrusted, userConfig };
  const user = tableOf(userText);
  const hooks = user?.hooks;
  if (isTable(hooks) && isTable(hooks.state)) {
    for (const [key, rec] of Object.entries(hooks.state)) {
      if (!isTable(rec)) continue;
      facts.state[key] = {
        ...(typeof rec.trusted_hash === 'string' ? { trustedHash: rec.trusted_hash } : {}),
        ...(typeof rec.enabled === 'boolean' ? { enabled: rec.enabled } : {}),
      };
    }
  }

  // The feature flag: system, user, then a trusted project's config; the last one that sets it wins.
  const systemPath = opts.env.KEYGUARD_CODEX_SYSTEM_CONFIG ?? (opts.platform === 'win32' ? undefined : SYSTEM_CONFIG);
  const layers: [string, string | undefined][] = [];
  if (systemPath) layers.push([systemPath, readText(systemPath, errors)]);
  layers.push([userConfig, userText]);
  if (projectTrusted)
    for (const d of [...new Set([root, cwd])]) layers.push([join(d, '.codex', 'config.toml'), readText(join(d, '.codex', 'config.toml'), errors)]);
  for (const [path, text] of layers) {
    const features = tableOf(text)?.features;
    if (text === undefined || !isTable(features)) continue;
    for (const key of ['codex_hooks', 'hooks']) {
      const v = features[key];
      if (typeof v === 'boolean') facts.feature = { value: v, key, source: at(path, text, ['features'], key) };
    }
  }

  const reqPath = opts.env.KEYGUARD_CODEX_REQUIREMENTS ?? (opts.platform === 'win32' ? undefined : REQUIREMENTS);
  const reqText = reqPath ? readText(reqPath, errors) : undefined;
  const req = tableOf(reqText);
  if (reqPath && reqText !== undefined && req) {
    if (req.allow_managed_hooks_only === true) facts.managedOnly = at(reqPath, reqText, [], 'allow_managed_hooks_only');
    const f = req.features;
    if (isTable(f) && (f.hooks === false || f.codex_hooks === false))
      facts.requirementsOff = at(reqPath, reqText, ['features'], f.hooks === false ? 'hooks' : 'codex_hooks');
  }
  return facts;
}
