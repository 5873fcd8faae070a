// lefthook, for real, running keyguard's pre-push command as `keyguard install --pre-push --lefthook`
// writes it: git's ref lines must reach keyguard through lefthook (`use_stdin`), and a key in a
// pushed commit must stop the push. lefthook comes from npm (a platform binary), so this is e2e.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFor } from '../helpers/keys.js';
import { PROJECT_ROOT, git, gitRepo, hookEnv, runCli, tempDir, writeFiles } from '../helpers/tmp.js';

const LEFTHOOK_VERSION = '2.2.1';
const CACHE = join(PROJECT_ROOT, 'node_modules', '.cache', 'keyguard-e2e-lefthook');

function lefthookBin(): string {
  const bin = join(CACHE, 'node_modules', '.bin', 'lefthook');
  if (!existsSync(bin)) {
    mkdirSync(CACHE, { recursive: true });
    // --ignore-scripts: lefthook's postinstall runs `lefthook install` in the directory npm was started from
    const r = spawnSync('npm', ['install', '--no-save', '--ignore-scripts', '--prefix', CACHE, `lefthook@${LEFTHOOK_VERSION}`], {
      cwd: CACHE,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`npm install lefthook failed: ${r.stderr}`);
  }
  return bin;
}

describe('lefthook runs the pre-push check keyguard installed', () => {
  it('blocks a push of a commit holding a key, and lets a clean push through', () => {
    const lefthook = lefthookBin();
    const env = hookEnv();
    env.PATH = `${join(CACHE, 'node_modules', '.bin')}:${env.PATH ?? ''}`;
    const server = join(tempDir('kg-server-'), 'server.git');
    git(tempDir(), ['init', '-q', '--bare', '-b', 'main', server]);
    const repo = gitRepo({ 'README.md': 'hello\n' });
    git(repo, ['remote', 'add', 'origin', server]);
    const installed = runCli(['install', '--pre-push', '--lefthook'], { cwd: repo, env });
    expect(installed.code, installed.stderr).toBe(0);
    const hooks = spawnSync(lefthook, ['install'], { cwd: repo, env, encoding: 'utf8' });
    expect(hooks.status, `${hooks.stdout}${hooks.stderr}`).toBe(0);

    writeFiles(repo, { 'k.txt': `${keyFor('project_164', 971)}\n` });
    git(repo, ['add', 'k.txt']);
    git(repo, ['commit', '-q', '--no-verify', '-m', 'key']);
    const blocked = spawnSync('git', ['push', '-q', 'origin', 'main'], { cwd: repo, env, encoding: 'utf8' });
    expect(blocked.status, `${blocked.stdout}${blocked.stderr}`).not.toBe(0);
    expect(`${blocked.stdout}${blocked.stderr}`).toContain('k.txt:1');
    expect(spawnSync('git', ['--git-dir', server, 'rev-parse', '--verify', '-q', 'refs/heads/main']).status).not.toBe(0);

    git(repo, ['reset', '-q', '--hard', 'HEAD~1']);
    const ok = spawnSync('git', ['push', '-q', 'origin', 'main'], { cwd: repo, env, encoding: 'utf8' });
    expect(ok.status, `${ok.stdout}${ok.stderr}`).toBe(0);
  });
});
