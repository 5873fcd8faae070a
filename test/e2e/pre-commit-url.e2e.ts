// The pre-commit framework using keyguard by repository URL (`repo:` + `rev:`, .pre-commit-hooks.yaml),
// for real: pre-commit clones the repository, runs `npm install` in it and reads `npm pack`'s stdout as
// the tarball's name, so nothing but that name may reach stdout (see .npmrc). It installs all of
// keyguard's dependencies into pre-commit's cache, which is why it is here and not in `npm test`.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFor } from '../helpers/keys.js';
import { PROJECT_ROOT, git, gitEnv, gitRepo, tempDir } from '../helpers/tmp.js';

const preCommit = spawnSync('sh', ['-c', 'command -v pre-commit'], { encoding: 'utf8' }).stdout.trim();

describe('the pre-commit framework with keyguard by repository URL', () => {
  it.skipIf(preCommit === '')('installs from a clone at a commit and blocks a staged key (skipped when pre-commit is not installed)', () => {
    // a clean clone of what is committed: the framework sees exactly what a user's `rev:` names
    const hookRepo = join(tempDir('kg-hook-repo-'), 'keyguard');
    git(PROJECT_ROOT, ['clone', '-q', '--no-local', PROJECT_ROOT, hookRepo]);
    const rev = git(hookRepo, ['rev-parse', 'HEAD']).trim();
    const dir = gitRepo({ 'a.txt': 'a\n' });
    writeFileSync(join(dir, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: keyguard\n`);
    git(dir, ['add', '.pre-commit-config.yaml']);
    git(dir, ['commit', '-q', '--no-verify', '-m', 'config']);
    const env = gitEnv({
      HOME: tempDir('kg-home-'),
      PRE_COMMIT_HOME: tempDir('kg-pre-commit-'),
      PATH: `${dirname(preCommit)}:${dirname(process.execPath)}:/usr/bin:/bin`,
      OPENAI_API_KEY: '',
      CODEX_API_KEY: '',
    });
    const install = spawnSync(preCommit, ['install', '--install-hooks'], { cwd: dir, env, encoding: 'utf8' });
    expect(install.status, `${install.stdout}${install.stderr}`).toBe(0);

    writeFileSync(join(dir, 'leak.env'), `OPENAI_API_KEY=${keyFor('project_164', 951)}\n`);
    git(dir, ['add', 'leak.env']);
    const blocked = spawnSync('git', ['commit', '-q', '-m', 'leak'], { cwd: dir, env, encoding: 'utf8' });
    expect(blocked.status, `${blocked.stdout}${blocked.stderr}`).toBe(1);
    expect(`${blocked.stdout}${blocked.stderr}`).toMatch(/leak\.env[\s\S]*OpenAI project key[\s\S]*1 finding/);

    writeFileSync(join(dir, 'leak.env'), 'OPENAI_API_KEY=\n');
    git(dir, ['add', 'leak.env']);
    const clean = spawnSync('git', ['commit', '-q', '-m', 'clean'], { cwd: dir, env, encoding: 'utf8' });
    expect(clean.status, `${clean.stdout}${clean.stderr}`).toBe(0);
  });
});
