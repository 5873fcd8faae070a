// Reads everything the resolver needs, once. All of Codex's I/O is here; the resolver is pure.
import { homeOf, readCodexHome } from '../discover/home.js';
import { readAuthFile, authFilePath } from './auth-file.js';
import { codexLoginStatus } from './codex-binary.js';
import { readConfig } from './config-read.js';
import { AUTH_VARS, readEnvFacts } from './env-sources.js';
import { readExposure } from './exposure.js';
import type { AuthFile, CodexFacts, ConfigFacts } from './facts.js';
import { readHooks } from './hooks-read.js';
import type { Rules } from './rules.js';

export interface GatherOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  rules: Rules;
}

/** undefined when there is no home directory to look in (no HOME and no CODEX_HOME). */
export async function gatherCodexFacts(opts: GatherOptions): Promise<CodexFacts | undefined> {
  const home = await readCodexHome(opts.env, opts.cwd, opts.platform);
  if (!home) return undefined;
  const readErrors: CodexFacts['readErrors'] = [];
  let auth: AuthFile = { state: 'absent', path: authFilePath(home.path) };
  let config: ConfigFacts = { layers: [], errors: [], providers: {} };
  if (home.exists) {
    auth = await readAuthFile(home.path);
    if (auth.state === 'unreadable') readErrors.push({ path: auth.path, message: auth.error });
    config = await readConfig({ codexHome: home.path, cwd: opts.cwd, env: opts.env, platform: opts.platform }, readErrors);
  }
  const hooks = home.exists ? await readHooks({ codexHome: home.path, cwd: opts.cwd, env: opts.env, platform: opts.platform }, readErrors) : undefined;
  const exposure = auth.state === 'absent' ? {} : await readExposure(auth.path, opts.env, opts.platform);
  const providerVars = Object.values(config.providers).flatMap((p) => (p.envKey ? [p.envKey] : []));
  const env = await readEnvFacts(
    { env: opts.env, codexHome: home.path, cwd: opts.cwd, platform: opts.platform },
    [...new Set([...AUTH_VARS, ...providerVars])],
    readErrors,
  );
  const facts: CodexFacts = { home, auth, exposure, config, env, readErrors };
  const hd = homeOf(opts.env, opts.platform);
  if (hd) facts.homeDir = hd;
  if (hooks) facts.hooks = hooks;
  const store = config.credentialsStore?.value;
  if (home.exists && opts.rules.credentialsStore && (store === 'keyring' || store === 'auto')) {
    const status = await codexLoginStatus(opts.env, opts.platform);
    if (status) facts.loginStatus = status;
  }
  return facts;
}
