// Where shell and REPL histories live for the current user: the environment variables that move
// them, the XDG directories, and the Linux, macOS and Windows defaults. Only files that exist are
// returned, each once (symbolic links are followed and deduplicated by their target).
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { homeOf, xdgDir } from './home.js';
import type { HistoryFormat } from '../sources/shell-history/registry.js';
import type { AuditPlace } from '../audit/places.js';

interface Candidate {
  path: string;
  format: HistoryFormat | 'shell';
  kind: 'shell-history' | 'repl-history';
  tool: string;
}

/** A file whose name matches, in a directory: `dir/*_history`. */
interface Pattern {
  dir: string;
  test: RegExp;
  format: HistoryFormat | 'shell';
  kind: 'shell-history' | 'repl-history';
  tool: string;
  /** match in subdirectories of dir named like this (IPython's profile_*) */
  subdirs?: RegExp;
}

/** A variable that names a history file; empty, `-` or /dev/null turns that history off. */
function fromVar(env: NodeJS.ProcessEnv, name: string, home: string | undefined): string | null | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  const t = v.trim();
  if (t === '' || t === '-' || t === '/dev/null' || t.toLowerCase() === 'nul') return null;
  if (t === '~' || t.startsWith('~/')) return home ? join(home, t.slice(1)) : undefined;
  return isAbsolute(t) ? t : home ? join(home, t) : undefined;
}

function toolOfHistfile(path: string): string {
  if (/zsh|zhist/i.test(path)) return 'zsh';
  if (/bash/i.test(path)) return 'bash';
  return 'shell';
}

export function historyCandidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): { files: Candidate[]; patterns: Pattern[] } {
  const home = homeOf(env, platform);
  const files: Candidate[] = [];
  const patterns: Pattern[] = [];
  const add = (path: string | null | undefined, format: Candidate['format'], kind: Candidate['kind'], tool: string): void => {
    if (path) files.push({ path, format, kind, tool });
  };
  const histfile = fromVar(env, 'HISTFILE', home);
  if (histfile) add(histfile, 'shell', 'shell-history', toolOfHistfile(histfile));
  for (const [name, format, tool] of [
    ['PYTHON_HISTORY', 'python', 'python'],
    ['NODE_REPL_HISTORY', 'repl-lines', 'node'],
    ['PSQL_HISTORY', 'psql', 'psql'],
    ['MYSQL_HISTFILE', 'repl-lines', 'mysql'],
    ['SQLITE_HISTORY', 'repl-lines', 'sqlite3'],
    ['LESSHISTFILE', 'less', 'less'],
  ] as const) {
    add(fromVar(env, name, home), format, 'repl-history', tool);
  }
  if (!home) return { files, patterns };

  const data = xdgDir(env, 'XDG_DATA_HOME', home);
  const state = xdgDir(env, 'XDG_STATE_HOME', home);
  const config = xdgDir(env, 'XDG_CONFIG_HOME', home);
  const zdot = env.ZDOTDIR && isAbsolute(env.ZDOTDIR) ? env.ZDOTDIR : home;
  const appData = env.APPDATA && isAbsolute(env.APPDATA) ? env.APPDATA : join(home, 'AppData', 'Roaming');
  const macSupport = join(home, 'Library', 'Application Support');

  // shells
  add(join(home, '.bash_history'), 'bash', 'shell-history', 'bash');
  add(join(state, 'bash', 'history'), 'bash', 'shell-history', 'bash');
  for (const dir of new Set([zdot, home])) {
    for (const name of ['.zsh_history', '.zhistory', '.histfile']) {
      for (const suffix of ['', '.new', '.LOCK']) add(join(dir, name + suffix), 'zsh', 'shell-history', 'zsh');
    }
  }
  for (const base of [join(state, 'zsh'), join(data, 'zsh'), join(xdgDir(env, 'XDG_CACHE_HOME', home), 'zsh')]) {
    for (const suffix of ['', '.new', '.LOCK']) add(join(base, `history${suffix}`), 'zsh', 'shell-history', 'zsh');
  }
  patterns.push({ dir: join(data, 'fish'), test: /_history$/, format: 'fish', kind: 'shell-history', tool: 'fish' });
  add(join(config, 'fish', 'fish_history'), 'fish', 'shell-history', 'fish');
  const psDirs = [join(data, 'powershell', 'PSReadLine')];
  if (platform === 'win32') psDirs.push(join(appData, 'Microsoft', 'Windows', 'PowerShell', 'PSReadLine'));
  for (const dir of psDirs) patterns.push({ dir, test: /_history\.txt$/, format: 'pwsh', kind: 'shell-history', tool: 'pwsh' });
  const nuDirs = [join(config, 'nushell')];
  if (platform === 'darwin') nuDirs.push(join(macSupport, 'nushell'));
  if (platform === 'win32') nuDirs.push(join(appData, 'nushell'));
  for (const dir of nuDirs) {
    add(join(dir, 'history.txt'), 'nushell', 'shell-history', 'nushell');
    add(join(dir, 'history.sqlite3'), 'sqlite', 'shell-history', 'nushell');
  }
  add(join(data, 'atuin', 'history.db'), 'sqlite', 'shell-history', 'atuin');
  add(join(data, 'mcfly', 'history.db'), 'sqlite', 'shell-history', 'mcfly');
  add(join(home, '.mcfly', 'history.db'), 'sqlite', 'shell-history', 'mcfly');
  if (platform === 'darwin') {
    add(join(macSupport, 'McFly', 'history.db'), 'sqlite', 'shell-history', 'mcfly');
    // Terminal.app keeps one history per window session beside the main file
    patterns.push({ dir: join(home, '.zsh_sessions'), test: /\.history(?:new)?$/, format: 'zsh', kind: 'shell-history', tool: 'zsh' });
    patterns.push({ dir: join(home, '.bash_sessions'), test: /\.history(?:new)?$/, format: 'bash', kind: 'shell-history', tool: 'bash' });
  }
  if (platform === 'win32') add(join(appData, 'McFly', 'data', 'history.db'), 'sqlite', 'shell-history', 'mcfly');
  add(join(home, '.hstr_favorites'), 'shell-lines', 'shell-history', 'hstr');
  add(join(config, 'hstr', 'favorites'), 'shell-lines', 'shell-history', 'hstr');

  // REPLs
  if (env.PYTHON_HISTORY === undefined) add(join(home, '.python_history'), 'python', 'repl-history', 'python');
  const ipython = env.IPYTHONDIR && isAbsolute(env.IPYTHONDIR) ? env.IPYTHONDIR : join(home, '.ipython');
  patterns.push({ dir: ipython, subdirs: /^profile_/, test: /^history\.sqlite$/, format: 'sqlite', kind: 'repl-history', tool: 'ipython' });
  if (env.NODE_REPL_HISTORY === undefined) add(join(home, '.node_repl_history'), 'repl-lines', 'repl-history', 'node');
  if (env.PSQL_HISTORY === undefined) {
    patterns.push({ dir: home, test: /^\.psql_history(?:-.+)?$/, format: 'psql', kind: 'repl-history', tool: 'psql' });
    if (platform === 'win32') add(join(appData, 'postgresql', 'psql_history'), 'psql', 'repl-history', 'psql');
  }
  if (env.MYSQL_HISTFILE === undefined) add(join(home, '.mysql_history'), 'repl-lines', 'repl-history', 'mysql');
  if (env.SQLITE_HISTORY === undefined) add(join(home, '.sqlite_history'), 'repl-lines', 'repl-history', 'sqlite3');
  add(join(home, '.irb_history'), 'irb', 'repl-history', 'irb');
  add(join(data, 'irb', 'irb_history'), 'irb', 'repl-history', 'irb');
  if (env.LESSHISTFILE === undefined) {
    add(join(home, platform === 'win32' ? '_lesshst' : '.lesshst'), 'less', 'repl-history', 'less');
    add(join(state, 'lesshst'), 'less', 'repl-history', 'less');
    add(join(data, 'lesshst'), 'less', 'repl-history', 'less');
  }
  add(join(home, '.rediscli_history'), 'repl-lines', 'repl-history', 'redis-cli');
  add(join(home, '.dbshell'), 'repl-lines', 'repl-history', 'mongo');
  patterns.push({ dir: join(home, '.mongosh'), test: /history/, format: 'repl-lines', kind: 'repl-history', tool: 'mongosh' });
  add(join(home, '.Rhistory'), 'repl-lines', 'repl-history', 'R');
  add(join(home, '.julia', 'logs', 'repl_history.jl'), 'repl-lines', 'repl-history', 'julia');
  add(join(home, '.sh_history'), 'shell-lines', 'shell-history', 'ksh');
  return { files, patterns };
}

/** atuin's `db_path` from its config, when the user moved the database. */
async function atuinDbPath(env: NodeJS.ProcessEnv, home: string): Promise<string | undefined> {
  const dir = env.ATUIN_CONFIG_DIR && isAbsolute(env.ATUIN_CONFIG_DIR) ? env.ATUIN_CONFIG_DIR : join(xdgDir(env, 'XDG_CONFIG_HOME', home), 'atuin');
  try {
    const conf = parseToml(await readFile(join(dir, 'config.toml'), 'utf8'));
    const p = conf.db_path;
    if (typeof p !== 'string' || p === '') return undefined;
    if (p.startsWith('~/')) return join(home, p.slice(2));
    return isAbsolute(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

async function expand(p: Pattern): Promise<Candidate[]> {
  const dirs = p.subdirs ? (await listDir(p.dir)).filter((n) => p.subdirs!.test(n)).map((n) => join(p.dir, n)) : [p.dir];
  const out: Candidate[] = [];
  for (const dir of dirs)
    for (const name of await listDir(dir)) if (p.test.test(name)) out.push({ path: join(dir, name), format: p.format, kind: p.kind, tool: p.tool });
  return out;
}

export async function discoverHistories(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<AuditPlace[]> {
  const { files, patterns } = historyCandidates(env, platform);
  const home = homeOf(env, platform);
  const atuin = home ? await atuinDbPath(env, home) : undefined;
  if (atuin) files.push({ path: atuin, format: 'sqlite', kind: 'shell-history', tool: 'atuin' });
  for (const p of patterns) files.push(...(await expand(p)));
  const seen = new Set<string>();
  const out: AuditPlace[] = [];
  for (const c of files) {
    try {
      if (!(await stat(c.path)).isFile()) continue;
    } catch (err) {
      // a file we may not even stat is still a history we should have read: let the reader report it
      if ((err as NodeJS.ErrnoException).code !== 'EACCES') continue;
    }
    const real = await realpath(c.path).catch(() => c.path);
    if (seen.has(real)) continue;
    seen.add(real);
    out.push({ path: c.path, kind: c.kind, format: c.format, tool: c.tool });
  }
  return out;
}
