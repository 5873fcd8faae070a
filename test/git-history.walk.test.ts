// The walk and the exposure questions in-process, where their limits can be lowered: a patch line
// longer than the limit is scanned up to it (the rest dropped and counted, later lines keep their
// numbers); the refs holding each key are found for all commits at once, exactly as git's
// `for-each-ref --contains` would name them.
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../src/engine/fingerprint.js';
import { ScanContext } from '../src/scan/context.js';
import { scanned } from './helpers/scan.js';
import { annotateExposure, historySource } from '../src/sources/git-history/source.js';
import { refsContainingEach } from '../src/sources/git-history/ref-reach.js';
import { WALK_LIMITS } from '../src/sources/git-history/walk.js';
import { keyFor } from './helpers/keys.js';
import { git, gitEnv, gitRepo, writeFiles } from './helpers/tmp.js';

const DEFAULTS = { ...WALK_LIMITS };
afterEach(() => {
  Object.assign(WALK_LIMITS, DEFAULTS);
});

describe('a patch line longer than the limit', () => {
  it.each(['1', '2'])('is scanned up to the limit; later lines keep their place (%s git processes)', async (jobs) => {
    WALK_LIMITS.maxLine = 1024 * 1024;
    const [early, late, after] = [1, 2, 3].map((s) => keyFor('project_164', s)) as [string, string, string];
    const filler = 'x'.repeat(3 * 1024 * 1024);
    const repo = gitRepo({ 'bundle.min.js': `var a="${early}";${filler};var b="${late}";\nvar c="${after}";\n`, 'small.txt': 'fine\n' });
    const ctx = new ScanContext();
    const { findings, summary } = await scanned(historySource({ cwd: repo, env: gitEnv({ KEYGUARD_HISTORY_JOBS: jobs }) }), ctx);
    expect(findings.map((f) => [f.fingerprint, f.location.path, f.location.line, f.location.column])).toEqual([
      [fingerprint(early), 'bundle.min.js', 1, 8],
      [fingerprint(after), 'bundle.min.js', 2, 8],
    ]);
    expect(summary.skipped).toEqual({ 'lines cut at 1 MB': 1 });
    expect(summary.files).toBe(2);
  });
});

describe('exposure for many commits at once', () => {
  it('names every branch, tag and remote-tracking ref that holds each commit, as git for-each-ref --contains does', async () => {
    const [a, b, c] = [11, 12, 13].map((s) => keyFor('project_164', s)) as [string, string, string];
    const repo = gitRepo({ 'a.env': `A=${a}\n` });
    const env = gitEnv();
    git(repo, ['update-ref', 'refs/remotes/origin/main', 'HEAD']);
    git(repo, ['tag', 'light']);
    git(repo, ['tag', '-a', '-m', 'annotated', 'v1']);
    git(repo, ['tag', '-a', '-m', 'a tag of a tag', 'outer', 'v1']);
    git(repo, ['branch', 'other']);
    writeFiles(repo, { 'b.env': `B=${b}\n` });
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'b']);
    git(repo, ['update-ref', 'refs/pull/7/head', 'HEAD']);
    git(repo, ['checkout', '-q', '--detach']);
    writeFiles(repo, { 'c.env': `C=${c}\n` });
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'c']);
    git(repo, ['tag', 'side-tag']);
    // a tag of a tree holds no commit
    git(repo, ['tag', 'tree-tag', 'HEAD^{tree}']);
    git(repo, ['checkout', '-q', 'main']);
    const ctx = new ScanContext();
    const { findings } = await scanned(historySource({ cwd: repo, env }), ctx);
    await annotateExposure(findings, { cwd: repo, env }, ctx);
    const byFp = new Map(findings.map((f) => [f.fingerprint, f.location.commit?.exposure]));
    expect(byFp.get(fingerprint(a))).toEqual({
      branches: ['main', 'other'],
      tags: ['light', 'outer', 'side-tag', 'v1'],
      pushed: true,
      remoteRefs: ['origin/main'],
      atHead: true,
    });
    expect(byFp.get(fingerprint(b))).toEqual({ branches: ['main'], tags: ['side-tag'], pushed: false, remoteRefs: [], atHead: true });
    expect(byFp.get(fingerprint(c))).toEqual({ branches: [], tags: ['side-tag'], pushed: false, remoteRefs: [], atHead: false });
    // the same answer as git's own, commit by commit
    for (const f of findings) {
      const sha = f.location.commit!.sha;
      const want = git(repo, ['for-each-ref', '--format=%(refname)', '--contains', sha]).split('\n').filter(Boolean).sort();
      expect((await refsContainingEach([sha], repo, env)).get(sha)).toEqual(want);
    }
    expect(ctx.notes.join('\n')).not.toMatch(/name-rev|not all of them/);
  });

  it('a commit no ref reaches is in no ref', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n' });
    git(repo, ['commit', '-q', '--allow-empty', '-m', 'dangling']);
    const dangling = git(repo, ['rev-parse', 'HEAD']).trim();
    git(repo, ['reset', '-q', '--hard', 'HEAD~1']);
    expect((await refsContainingEach([dangling], repo, gitEnv())).get(dangling)).toEqual([]);
  });
});
