// The shell profiles of the current user that exist on disk, and the files they source (one level
// deep: a profile that sources a file that sources the profile back is listed once each).
// Synchronous reads on purpose: this runs in the pre-commit hook (own-key discovery), where some
// thirty stat calls, each a thread-pool round trip when asynchronous, cost 10-20 ms in a row.
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { statements } from '../sources/shell-profiles/shell-words.js';
import { homeOf, xdgDir } from './home.js';

export type ShellKind = 'sh' | 'bash' | 'zsh' | 'fish' | 'pwsh' | 'env' | 'direnv';

export interface ProfileFile {
  path: string;
  shell: ShellKind;
  /** the profile whose `source`/`.` line brought this file in */
  sourcedFrom?: string;
}

/** The CurrentUserCurrentHost profile's name, in each PowerShell's profile folder. */
export const PWSH_PROFILE_NAME = 'Microsoft.PowerShell_profile.ps1';
/** Each PowerShell's profile folder below Documents, on Windows: PowerShell 7 (pwsh) and Windows PowerShell 5.1. */
export const PWSH_WINDOWS_DIRS = { pwsh: 'PowerShell', powershell: 'WindowsPowerShell' } as const;

/** Where Windows keeps Documents: in the home folder, or moved to OneDrive. */
export function windowsDocuments(home: string): string[] {
  return [join(home, 'Documents'), join(home, 'OneDrive', 'Documents')];
}

/** Where each shell's startup files are, in the order the shells read them. */
function candidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): ProfileFile[] {
  const zdot = env.ZDOTDIR && isAbsolute(env.ZDOTDIR) ? env.ZDOTDIR : home;
  const config = xdgDir(env, 'XDG_CONFIG_HOME', home);
  const list: ProfileFile[] = [
    { path: join(home, '.profile'), shell: 'sh' },
    { path: join(home, '.bash_profile'), shell: 'bash' },
    { path: join(home, '.bash_login'), shell: 'bash' },
    { path: join(home, '.bashrc'), shell: 'bash' },
    { path: join(home, '.zshenv'), shell: 'zsh' },
  ];
  for (const f of ['.zshenv', '.zprofile', '.zshrc', '.zlogin']) list.push({ path: join(zdot, f), shell: 'zsh' });
  list.push({ path: join(config, 'fish', 'config.fish'), shell: 'fish' }, { path: join(config, 'fish', 'fish_variables'), shell: 'fish' });
  const psDirs = [join(config, 'powershell')];
  if (platform === 'win32') {
    for (const d of windowsDocuments(home)) psDirs.push(...Object.values(PWSH_WINDOWS_DIRS).map((p) => join(d, p)));
  }
  for (const d of psDirs) {
    for (const f of [PWSH_PROFILE_NAME, 'profile.ps1', 'Microsoft.VSCode_profile.ps1']) list.push({ path: join(d, f), shell: 'pwsh' });
  }
  list.push({ path: join(home, '.env'), shell: 'env' }, { path: join(home, '.envrc'), shell: 'direnv' });
  return list;
}

function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
}

function filesIn(dir: string, test: (name: string) => boolean, shell: ShellKind): ProfileFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter(test)
    .sort()
    .map((n) => ({ path: join(dir, n), shell }));
}

/** `.envrc` files in the home directory and in the directories two levels below it (projects). */
function envrcFiles(home: string): ProfileFile[] {
  const out: ProfileFile[] = [];
  const skip = new Set(['node_modules', 'Library', 'snap', 'go', 'Applications']);
  const walk = (dir: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (depth > 0 && e.name === '.envrc' && e.isFile()) out.push({ path: join(dir, e.name), shell: 'direnv' });
      if (depth < 2 && e.isDirectory() && !e.name.startsWith('.') && !skip.has(e.name)) walk(join(dir, e.name), depth + 1);
    }
  };
  walk(home, 0);
  return out;
}

/** The shell a file is a profile for, by its name alone (for `keyguard audit FILE`); undefined when it is not one. */
export function profileShellOf(baseName: string): ShellKind | undefined {
  if (baseName === '.profile') return 'sh';
  if (/^\.bash(?:rc|_profile|_login|_aliases)$/.test(baseName)) return 'bash';
  if (/^\.z(?:shenv|profile|shrc|login)$/.test(baseName)) return 'zsh';
  if (baseName.endsWith('.fish') || baseName === 'fish_variables') return 'fish';
  if (/profile\.ps1$/i.test(baseName)) return 'pwsh';
  if (baseName === '.envrc') return 'direnv';
  if (baseName === '.env' || /^\.env\.[\w.-]+$/.test(baseName)) return 'env';
  return undefined;
}

function shellOfPath(path: string, parent: ShellKind): ShellKind {
  if (path.endsWith('.fish')) return 'fish';
  if (path.endsWith('.ps1')) return 'pwsh';
  if (path.endsWith('.zsh')) return 'zsh';
  if (path.endsWith('.bash')) return 'bash';
  if (basename(path).startsWith('.env') && basename(path) !== '.envrc') return 'env';
  return parent === 'direnv' || parent === 'env' ? 'bash' : parent;
}

/** Variables a `source` line may use, for resolving its path. */
function variables(env: NodeJS.ProcessEnv, home: string, file: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) vars[k] = v;
  vars.HOME = home;
  vars.ZDOTDIR = env.ZDOTDIR || home;
  vars.XDG_CONFIG_HOME = xdgDir(env, 'XDG_CONFIG_HOME', home);
  vars.XDG_DATA_HOME = xdgDir(env, 'XDG_DATA_HOME', home);
  vars.XDG_STATE_HOME = xdgDir(env, 'XDG_STATE_HOME', home);
  vars.XDG_CACHE_HOME = xdgDir(env, 'XDG_CACHE_HOME', home);
  vars.__fish_config_dir = join(vars.XDG_CONFIG_HOME, 'fish');
  vars.PSScriptRoot = dirname(file);
  vars.USERPROFILE = env.USERPROFILE ?? home;
  vars['0'] = file;
  return vars;
}

/** A `source` argument as a path, or undefined when it depends on something we cannot know. */
export function expandSourcePath(raw: string, vars: Record<string, string>, baseDir: string): string | undefined {
  let s = raw.replace(/["']/g, '');
  if (s === '~' || s.startsWith('~/')) s = (vars.HOME ?? '~') + s.slice(1);
  let unresolved = false;
  s = s.replace(
    /\$\{(?:env:)?([A-Za-z_]\w*)(?::?-([^}]*))?\}|\$(?:env:)?([A-Za-z_]\w*)/gi,
    (_m, braced: string | undefined, def: string | undefined, bare: string | undefined) => {
      const v = vars[(braced ?? bare)!];
      if (v !== undefined && v !== '') return v;
      const d = def === undefined ? undefined : expandSourcePath(def, vars, baseDir);
      if (d === undefined) unresolved = true;
      return d ?? '';
    },
  );
  if (unresolved || s === '' || /[$`(]/.test(s)) return undefined;
  s = s.replace(/\\/g, '/');
  return resolve(baseDir, s);
}

/** Paths named by `source X` / `. X` (and direnv's `source_env`, `dotenv`) in a profile. */
export function sourcedPaths(text: string, shell: ShellKind): string[] {
  const out: string[] = [];
  if (shell === 'pwsh') {
    for (const m of text.matchAll(/^[ \t]*\.[ \t]+(?:"([^"\r\n]+)"|'([^'\r\n]+)'|([^\s#;]+))/gm)) out.push((m[1] ?? m[2] ?? m[3])!);
    return out;
  }
  if (shell === 'env') return out;
  const sourcing = shell === 'direnv' ? new Set(['source', '.', 'source_env', 'source_env_if_exists', 'dotenv', 'dotenv_if_exists']) : new Set(['source', '.']);
  for (const st of statements(text, shell === 'fish' ? 'fish' : 'sh')) {
    const arg = st[1];
    if (sourcing.has(st[0]!.raw) && arg) out.push(arg.raw);
  }
  return out;
}

/** Expand a trailing `*`/`?` glob in the last path component (`~/.bashrc.d/*.sh`). */
function expandGlob(path: string): string[] {
  const base = basename(path);
  if (!/[*?]/.test(base)) return [path];
  if (/[*?]/.test(dirname(path))) return [];
  const re = new RegExp(
    `^${base
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  try {
    return readdirSync(dirname(path))
      .filter((n) => re.test(n) && !n.startsWith('.'))
      .sort()
      .map((n) => join(dirname(path), n));
  } catch {
    return [];
  }
}

function realOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export interface DiscoverOptions {
  /** also walk two directory levels below home for project `.envrc` files (default true; the
   * pre-commit hook's own-key lookup turns it off: hundreds of directory reads on every commit) */
  projectEnvrc?: boolean;
}

export async function discoverProfiles(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, opts: DiscoverOptions = {}): Promise<ProfileFile[]> {
  const home = homeOf(env, platform);
  if (!home) return [];
  const config = xdgDir(env, 'XDG_CONFIG_HOME', home);
  const all = [
    ...candidates(env, platform, home),
    ...filesIn(join(config, 'fish', 'conf.d'), (n) => n.endsWith('.fish'), 'fish'),
    ...filesIn(join(config, 'environment.d'), (n) => n.endsWith('.conf'), 'env'),
    ...(opts.projectEnvrc === false ? [] : envrcFiles(home)),
  ];
  const seen = new Set<string>();
  const found: ProfileFile[] = [];
  for (const p of all) {
    if (!isFile(p.path)) continue;
    const real = realOf(p.path);
    if (seen.has(real)) continue;
    seen.add(real);
    found.push(p);
  }
  const sourced: ProfileFile[] = [];
  for (const p of found) {
    let text: string;
    try {
      text = readFileSync(p.path, 'latin1');
    } catch {
      continue;
    }
    const vars = variables(env, home, p.path);
    // shells resolve relative `source` paths against their working directory (home, at login); direnv against the .envrc
    const base = p.shell === 'direnv' ? dirname(p.path) : p.shell === 'pwsh' ? dirname(p.path) : home;
    for (const raw of sourcedPaths(text, p.shell)) {
      const path = expandSourcePath(raw, vars, base);
      if (!path) continue;
      for (const file of expandGlob(path)) {
        if (!isFile(file)) continue;
        const real = realOf(file);
        if (seen.has(real)) continue;
        seen.add(real);
        sourced.push({ path: file, shell: shellOfPath(file, p.shell), sourcedFrom: p.path });
      }
    }
  }
  return [...found, ...sourced];
}
