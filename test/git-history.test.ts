// `keyguard scan --history` on real repositories through the real CLI: what counts as introducing a
// key, merges, stash, messages, ranges, exposure (refs, pushed, at HEAD), remediation and outputs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../src/engine/fingerprint.js';
import { keyFor } from './helpers/keys.js';
import { CLI, commitFiles, git, gitEnv, gitRepo, lastCommitSeconds, parseJson, tempDir, writeFiles, type CliResult } from './helpers/tmp.js';
import { runMain } from './helpers/main.js';

interface Exposure {
  branches: string[];
  tags: string[];
  pushed: boolean;
  remoteRefs: string[];
  atHead: boolean;
}
interface JsonFinding {
  path: string;
  line: number;
  column: number;
  family: string;
  kind: string;
  redacted: string;
  fingerprint: string;
  decoded?: string;
  commit: { sha: string; author: string; date: string; exposure?: Exposure };
}
interface Report {
  findings: JsonFinding[];
  summary: {
    files: number;
    bytes: number;
    commits?: number;
    skipped: Record<string, number>;
    errors: { path: string; message: string }[];
    notes: string[];
    findings: number;
    suppressed: Record<string, number>;
  };
}

const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

async function history(cwd: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ r: CliResult; report: Report }> {
  const r = await runMain(['scan', '--history', '--format', 'json', ...args], {
    cwd,
    env: gitEnv({ HOME: cwd, OPENAI_API_KEY: '', CODEX_API_KEY: '', ...env }),
  });
  return { r, report: parseJson<Report>(r) };
}

const where = (f: JsonFinding) => [f.commit.sha, f.path, f.line, f.column];

describe('what counts as introducing a key', () => {
  it('a key added and later removed: once, at the commit that added it, with author, date, line and family', async () => {
    const key = keyFor('project_164', 1);
    const repo = gitRepo();
    commitFiles(repo, { 'README.md': 'hello\n' }, 'start');
    const added = commitFiles(repo, { 'app/config.py': `import os\n\nOPENAI = "${key}"\n` }, 'add config', {
      GIT_AUTHOR_NAME: 'Mallory',
      GIT_AUTHOR_EMAIL: 'm@example.com',
    });
    commitFiles(repo, { 'app/config.py': 'import os\n\nOPENAI = os.environ["OPENAI_API_KEY"]\n' }, 'use env');
    const { r, report } = await history(repo);
    expect(r.code).toBe(1);
    expect(report.findings.map(where)).toEqual([[added, 'app/config.py', 3, 11]]);
    const f = report.findings[0]!;
    expect(f.commit.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(f.commit.author).toBe('Mallory <m@example.com>');
    expect(f.commit.date).toBe(new Date((lastCommitSeconds() - 60) * 1000).toISOString().replace('.000Z', '+00:00'));
    expect(f.family).toBe('project_164');
    expect(f.kind).toBe('commit');
    expect(f.commit.exposure).toMatchObject({ branches: ['main'], tags: [], pushed: false, atHead: false });
    expect(report.summary.commits).toBe(3);
    expect(r.stdout).not.toContain(key);
  });

  it('carried along (edits elsewhere, the line edited, the file renamed, moved to another file): still once', async () => {
    const key = keyFor('svcacct_167', 2);
    const repo = gitRepo();
    const first = commitFiles(repo, { 'a.env': `X=1\nKEY=${key}\n` }, 'add');
    commitFiles(repo, { 'a.env': `X=2\nKEY=${key}\n` }, 'edit another line');
    commitFiles(repo, { 'a.env': `X=2\nKEY=${key} # prod\n` }, 'edit the key line');
    commitFiles(repo, { 'a.env': null, 'conf/b.env': `X=2\nKEY=${key} # prod\n` }, 'rename');
    commitFiles(repo, { 'conf/b.env': 'X=2\n', 'conf/c.env': `KEY=${key}\n` }, 'move the line to another file');
    const { report } = await history(repo);
    expect(report.findings.map(where)).toEqual([[first, 'a.env', 2, 5]]);
    expect(report.findings[0]!.commit.exposure!.atHead).toBe(true);
  });

  it('the same key added again after it was removed is a new introduction', async () => {
    const key = keyFor('admin_133', 3);
    const repo = gitRepo();
    const one = commitFiles(repo, { 'k.txt': `${key}\n` });
    commitFiles(repo, { 'k.txt': 'gone\n' });
    const two = commitFiles(repo, { 'k.txt': `gone\n${key}\n` });
    const { report } = await history(repo);
    expect(report.findings.map(where).sort()).toEqual(
      [
        [one, 'k.txt', 1, 1],
        [two, 'k.txt', 2, 1],
      ].sort(),
    );
  });

  it('a second key on a line that also carries an old one is reported, the old one is not', async () => {
    const old = keyFor('project_164', 4);
    const fresh = keyFor('project_164', 5);
    const repo = gitRepo();
    const a = commitFiles(repo, { 'k.txt': `keys: ${old}\n` });
    const b = commitFiles(repo, { 'k.txt': `keys: ${old} ${fresh}\n` });
    const { report } = await history(repo);
    expect(report.findings.map((f) => [f.commit.sha, f.fingerprint])).toEqual(
      expect.arrayContaining([
        [a, fingerprint(old)],
        [b, fingerprint(fresh)],
      ]),
    );
    expect(report.findings).toHaveLength(2);
    expect(report.findings.find((f) => f.commit.sha === b)!.column).toBe(7 + old.length + 1);
  });

  it('keys in commit messages, at their line in the message', async () => {
    const key = keyFor('user_v2_95', 6);
    const repo = gitRepo();
    const sha = commitFiles(repo, { 'a.txt': 'a\n' }, `debug login\n\ntried with ${key}\n`);
    const { report } = await history(repo);
    expect(report.findings.map(where)).toEqual([[sha, '(commit message)', 3, 12]]);
  });

  it('a base64-encoded key (a Kubernetes secret)', async () => {
    const key = keyFor('project_164', 8);
    const repo = gitRepo();
    const sha = commitFiles(repo, { 'k8s/secret.yaml': `kind: Secret\ndata:\n  OPENAI_API_KEY: ${Buffer.from(key).toString('base64')}\n` });
    const { report } = await history(repo);
    expect(report.findings.map((f) => [f.commit.sha, f.path, f.line, f.decoded, f.fingerprint])).toEqual([
      [sha, 'k8s/secret.yaml', 3, 'base64', fingerprint(key)],
    ]);
    expect(report.summary.notes.join('\n')).toMatch(/encoded.*git filter-repo --invert-paths --path k8s\/secret\.yaml/);
  });
});

describe('merges, branches, tags, stash', () => {
  it('a key merged in from a branch is reported at the branch commit only; a key added by the merge resolution at the merge', async () => {
    const carried = keyFor('project_164', 11);
    const evil = keyFor('project_164', 12);
    const repo = gitRepo();
    commitFiles(repo, { 'app.txt': 'one\ntwo\nthree\n' });
    git(repo, ['checkout', '-q', '-b', 'feature']);
    const onBranch = commitFiles(repo, { 'feature.env': `KEY=${carried}\n` }, 'feature');
    git(repo, ['checkout', '-q', 'main']);
    commitFiles(repo, { 'app.txt': 'one\nTWO\nthree\n' }, 'main moves on');
    git(repo, ['merge', '-q', '--no-ff', '--no-commit', 'feature']);
    writeFiles(repo, { 'app.txt': `one\nTWO\nthree\ntoken=${evil}\n` });
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'Merge feature']);
    const merge = git(repo, ['rev-parse', 'HEAD']).trim();
    const { report } = await history(repo);
    expect(report.findings.map(where).sort()).toEqual(
      [
        [onBranch, 'feature.env', 1, 5],
        [merge, 'app.txt', 4, 7],
      ].sort(),
    );
    const onFeature = report.findings.find((f) => f.commit.sha === onBranch)!;
    expect(onFeature.commit.exposure!.branches.sort()).toEqual(['feature', 'main']);
  });

  it('walks every ref: a tag-only commit, a stash, a detached HEAD, a remote-tracking ref', async () => {
    const [k1, k2, k3, k4] = [21, 22, 23, 24].map((s) => keyFor('project_164', s)) as [string, string, string, string];
    const repo = gitRepo();
    const base = commitFiles(repo, { 'a.txt': 'a\n' });
    git(repo, ['checkout', '-q', '--detach']);
    const tagged = commitFiles(repo, { 't.env': `${k1}\n` }, 'for the tag');
    git(repo, ['tag', 'v0-experiment']);
    git(repo, ['checkout', '-q', base]);
    const detached = commitFiles(repo, { 'd.env': `${k2}\n` }, 'detached work');
    git(repo, ['checkout', '-q', base]);
    git(repo, ['update-ref', 'refs/remotes/origin/feature', commitFiles(repo, { 'r.env': `${k3}\n` }, 'fetched from the remote')]);
    git(repo, ['checkout', '-q', 'main']);
    writeFiles(repo, { 'a.txt': `a\n${k4}\n` });
    git(repo, ['stash', 'push', '-q', '-m', 'wip'], gitEnv());
    git(repo, ['checkout', '-q', '--detach', detached]);
    const { report } = await history(repo);
    const byFp = new Map(report.findings.map((f) => [f.fingerprint, f]));
    expect(byFp.get(fingerprint(k1))!.commit.exposure).toMatchObject({ branches: [], tags: ['v0-experiment'], pushed: false });
    expect(byFp.get(fingerprint(k1))!.commit.sha).toBe(tagged);
    expect(byFp.get(fingerprint(k2))!.commit.sha).toBe(detached);
    expect(byFp.get(fingerprint(k3))!.commit.exposure).toMatchObject({ pushed: true, remoteRefs: ['origin/feature'] });
    expect(byFp.get(fingerprint(k4))!.path).toBe('a.txt');
    expect(report.findings).toHaveLength(4);
    const notes = report.summary.notes.join('\n');
    expect(notes).toMatch(/only in the stash: `git stash list`/);
    expect(notes).toMatch(/on no branch or tag: only the detached HEAD/);
    expect(notes).toMatch(/1 of these keys reached a remote/);
  });
});

describe('ranges and dates', () => {
  it('A..B scans only the commits in the range; --since only later commits', async () => {
    const [old, mid, last] = [31, 32, 33].map((s) => keyFor('legacy_user_51', s)) as [string, string, string];
    const repo = gitRepo();
    commitFiles(repo, { 'a.txt': `${old}\n` });
    const from = commitFiles(repo, { 'b.txt': 'b\n' });
    const m = commitFiles(repo, { 'c.txt': `${mid}\n` });
    const l = commitFiles(repo, { 'd.txt': `${last}\n` });
    const ranged = (await history(repo, [`${from}..HEAD`])).report;
    expect(ranged.findings.map((f) => f.commit.sha).sort()).toEqual([m, l].sort());
    expect(ranged.summary.commits).toBe(2);
    const since = (await history(repo, ['--since', new Date((lastCommitSeconds() - 30) * 1000).toISOString()])).report;
    expect(since.findings.map((f) => f.commit.sha)).toEqual([l]);
  });

  it('a bad range is a usage error (exit 2) naming it', async () => {
    const repo = gitRepo({ 'a.txt': 'a' });
    const r = await runMain(['scan', '--history', 'nope..HEAD'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope/);
    const opt = await runMain(['scan', '--history', '--', '--output=/tmp/x'], { cwd: repo });
    expect(opt.code).toBe(2);
  });
});

describe('exposure and what to do', () => {
  function pushedRepo() {
    const remote = tempDir('kg-remote-');
    git(remote, ['init', '-q', '--bare', '-b', 'main']);
    const repo = gitRepo();
    git(repo, ['remote', 'add', 'origin', remote]);
    return repo;
  }

  it('pushed keys are loud; an unpushed latest commit gets `git commit --amend`; remediation in order', async () => {
    const pushed = keyFor('project_164', 41);
    const local = keyFor('project_164', 42);
    const repo = pushedRepo();
    commitFiles(repo, { 'a.env': `K=${pushed}\n` }, 'pushed one');
    git(repo, ['push', '-q', 'origin', 'main']);
    const head = commitFiles(repo, { 'b.env': `K=${local}\n` }, 'not pushed yet');
    const r = await runMain(['scan', '--history', '--no-color'], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain(pushed);
    expect(r.stdout).not.toContain(local);
    expect(r.stdout).toMatch(/PUSHED: reachable from origin\/main/);
    expect(r.stdout).toContain(`the key in b.env came in with the latest commit (${head.slice(0, 12)}), which has not been pushed`);
    expect(r.stdout).toContain('git commit --amend');
    const steps = r.stdout.slice(r.stdout.indexOf('What to do'));
    const revoke = steps.indexOf('platform.openai.com/api-keys');
    const purge = steps.indexOf('git filter-repo --replace-text');
    const force = steps.indexOf('git push --force');
    const tell = steps.indexOf('collaborators');
    expect(revoke).toBeGreaterThan(0);
    expect(purge).toBeGreaterThan(revoke);
    expect(force).toBeGreaterThan(purge);
    expect(tell).toBeGreaterThan(purge);
    expect(r.stdout).toMatch(/still present at HEAD/);
    const shown = await runMain(['scan', '--history', '--no-color', '--show-secrets'], { cwd: repo });
    expect(shown.stdout).toContain(pushed);
  });

  it('writes a filter-repo replacements file into the git dir that names every key without holding one', async () => {
    const keys = [keyFor('project_164', 51), keyFor('svcacct_167', 52), keyFor('admin_133', 53)];
    const repo = gitRepo();
    commitFiles(repo, { 'a.env': `A=${keys[0]}\nB=${keys[1]}\n` }, 'keys');
    commitFiles(repo, { 'a.env': 'A=\n' }, `remove; was ${keys[2]}`);
    const { report } = await history(repo);
    const file = join(repo, '.git', 'keyguard', 'filter-repo-replacements.txt');
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const k of keys) {
      expect(text).not.toContain(k);
      const line = lines.find((l) => l.includes(fingerprint(k)))!;
      const re = new RegExp(/^regex:(.*)==>/.exec(line)![1]!);
      expect(re.test(`x=${k}`)).toBe(true);
    }
    expect(report.summary.notes.join('\n')).toContain(`git filter-repo --replace-text ${file} --replace-message ${file}`);
    expect(git(repo, ['status', '--porcelain'])).toBe('');
  });

  it.skipIf(spawnSync('git', ['filter-repo', '--version']).status !== 0)('the replacements file purges the keys with git filter-repo', async () => {
    const key = keyFor('project_164', 61);
    const repo = gitRepo();
    commitFiles(repo, { 'a.env': `A=${key}\n` });
    commitFiles(repo, { 'a.env': 'A=\n' });
    await history(repo);
    const copy = join(tempDir(), 'clone');
    git(tempDir(), ['clone', '-q', '--no-local', repo, copy]);
    git(copy, ['filter-repo', '--force', '--replace-text', join(repo, '.git', 'keyguard', 'filter-repo-replacements.txt')]);
    const after = await history(copy);
    expect(after.report.findings).toEqual([]);
    expect(after.r.code).toBe(0);
  });

  it('SARIF results carry the commit; suppressions work as for files', async () => {
    const [a, b, c] = [71, 72, 73].map((s) => keyFor('project_164', s)) as [string, string, string];
    const repo = gitRepo();
    const sha = commitFiles(repo, { 'a.env': `A=${a}\n`, 'allowed.env': `B=${b} # keyguard:allow\n`, 'fixtures/c.env': `C=${c}\n` });
    writeFiles(repo, { '.keyguardignore': 'fixtures/**\n' });
    const sarif = await runMain(['scan', '--history', '--format', 'sarif'], { cwd: repo });
    expect(sarif.code).toBe(1);
    const doc = JSON.parse(sarif.stdout) as {
      runs: Array<{ results: Array<{ properties: Record<string, unknown>; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>;
    };
    const results = doc.runs[0]!.results;
    expect(results).toHaveLength(1);
    expect(results[0]!.properties.commitSha).toBe(sha);
    expect(results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('a.env');
    const { report } = await history(repo);
    expect(report.summary.suppressed).toMatchObject({ allow: 1, ignored: 1 });
    writeFiles(repo, {
      '.keyguard-baseline.json': JSON.stringify({ version: 1, description: 'x', findings: [{ fingerprint: fingerprint(a), ruleId: 'openai-api-key' }] }),
    });
    const base = await history(repo);
    expect(base.report.findings).toEqual([]);
    expect(base.r.code).toBe(0);
  });

  it.skipIf(!HAS_SCRIPT)('on a terminal: progress on stderr with commits done and total, bytes and findings', async () => {
    const repo = gitRepo();
    for (let i = 0; i < 5; i++) commitFiles(repo, { [`f${i}.txt`]: `${i}\n` });
    commitFiles(repo, { 'k.env': `${keyFor('project_164', 81)}\n` });
    const r = spawnSync('script', ['-qec', `${process.execPath} ${CLI} scan --history`, '/dev/null'], {
      cwd: repo,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: repo, TERM: 'xterm', CI: '', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
    expect(r.stdout).toMatch(/\r\x1b\[2Kkeyguard: \d+(\/6)? commits, \d+ files, [\d.]+ MB, \d+ findings/);
  });
});

describe('several git processes', () => {
  it('split the walk and give exactly what one streaming git log gives, in the same order', async () => {
    const repo = gitRepo();
    let n = 0;
    for (let i = 0; i < 40; i++) {
      const files: Record<string, string | null> = { [`f${i % 7}.txt`]: `${i}\n`.repeat((i % 5) + 1) };
      if (i % 6 === 0) files[`k${i}.env`] = `K=${keyFor('project_164', 300 + n++)}\n`;
      if (i % 12 === 3) files[`k${i - 3}.env`] = null;
      commitFiles(repo, files, i % 10 === 3 ? `msg ${keyFor('user_v2_95', 400 + i)}` : `c${i}`);
      if (i === 20) {
        git(repo, ['checkout', '-q', '-b', 'side', 'HEAD~3']);
        commitFiles(repo, { 'side.env': `S=${keyFor('svcacct_167', 500)}\n` });
        git(repo, ['checkout', '-q', 'main']);
        git(repo, ['merge', '-q', '--no-ff', '-m', 'merge side', 'side']);
      }
    }
    const one = await history(repo, [], { KEYGUARD_HISTORY_JOBS: '1' });
    const three = await history(repo, [], { KEYGUARD_HISTORY_JOBS: '3' });
    expect(one.report.findings.length).toBeGreaterThanOrEqual(12);
    expect(three.report.findings).toEqual(one.report.findings);
    const { durationMs: _a, ...s1 } = one.report.summary as Report['summary'] & { durationMs: number };
    const { durationMs: _b, ...s3 } = three.report.summary as Report['summary'] & { durationMs: number };
    expect(s3).toEqual(s1);
    expect(s1.commits).toBe(42);
  });
});
