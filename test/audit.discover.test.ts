// Where histories are looked for on macOS and Windows (paths that differ from Linux), in-process.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverHistories, historyCandidates } from '../src/discover/histories.js';
import { tempDir, writeFiles } from './helpers/tmp.js';

function rel(
  home: string,
  places: { path: string; format?: string | undefined; tool?: string | undefined }[],
): [string, string | undefined, string | undefined][] {
  return places.map((p) => [p.path.slice(home.length + 1), p.format, p.tool]);
}

describe('platform paths', () => {
  it('macOS: nushell and McFly under Application Support, Terminal.app session histories', async () => {
    const home = tempDir();
    writeFiles(home, {
      'Library/Application Support/nushell/history.txt': '',
      'Library/Application Support/McFly/history.db': '',
      '.zsh_sessions/0A1B.history': '',
      '.zsh_sessions/0A1B.historynew': '',
      '.zsh_sessions/0A1B.session': '',
    });
    const got = rel(home, await discoverHistories({ HOME: home }, 'darwin'));
    expect(got).toEqual([
      ['Library/Application Support/nushell/history.txt', 'nushell', 'nushell'],
      ['Library/Application Support/McFly/history.db', 'sqlite', 'mcfly'],
      ['.zsh_sessions/0A1B.history', 'zsh', 'zsh'],
      ['.zsh_sessions/0A1B.historynew', 'zsh', 'zsh'],
    ]);
    expect(await discoverHistories({ HOME: home }, 'linux')).toEqual([]);
  });

  it('Windows: PSReadLine, nushell and psql under APPDATA, _lesshst, USERPROFILE as home', async () => {
    const home = tempDir();
    const appData = join(home, 'AppData', 'Roaming');
    writeFiles(home, {
      'AppData/Roaming/Microsoft/Windows/PowerShell/PSReadLine/ConsoleHost_history.txt': '',
      'AppData/Roaming/Microsoft/Windows/PowerShell/PSReadLine/Visual Studio Code Host_history.txt': '',
      'AppData/Roaming/nushell/history.sqlite3': '',
      'AppData/Roaming/postgresql/psql_history': '',
      _lesshst: '',
      '.python_history': '',
    });
    const got = rel(home, await discoverHistories({ USERPROFILE: home, APPDATA: appData }, 'win32'));
    expect(got).toEqual([
      ['AppData/Roaming/nushell/history.sqlite3', 'sqlite', 'nushell'],
      ['.python_history', 'python', 'python'],
      ['AppData/Roaming/postgresql/psql_history', 'psql', 'psql'],
      ['_lesshst', 'less', 'less'],
      ['AppData/Roaming/Microsoft/Windows/PowerShell/PSReadLine/ConsoleHost_history.txt', 'pwsh', 'pwsh'],
      ['AppData/Roaming/Microsoft/Windows/PowerShell/PSReadLine/Visual Studio Code Host_history.txt', 'pwsh', 'pwsh'],
    ]);
  });

  it('variables that turn a history off, and relative or ~ values', () => {
    const { files } = historyCandidates(
      { HOME: '/h', NODE_REPL_HISTORY: ' ', MYSQL_HISTFILE: '/dev/null', LESSHISTFILE: '-', PSQL_HISTORY: '~/pg', HISTFILE: '.myhist' },
      'linux',
    );
    const paths = files.map((f) => f.path);
    expect(paths).not.toContain('/h/.node_repl_history');
    expect(paths).not.toContain('/h/.mysql_history');
    expect(paths).not.toContain('/h/.lesshst');
    expect(paths).toContain('/h/pg');
    expect(files[0]).toEqual({ path: '/h/.myhist', format: 'shell', kind: 'shell-history', tool: 'shell' });
  });

  it('no HOME: only what the environment names', () => {
    const { files, patterns } = historyCandidates({ HISTFILE: '/x/zsh_hist', PYTHON_HISTORY: '/x/py' }, 'linux');
    expect(files.map((f) => [f.path, f.tool])).toEqual([
      ['/x/zsh_hist', 'zsh'],
      ['/x/py', 'python'],
    ]);
    expect(patterns).toEqual([]);
  });
});
