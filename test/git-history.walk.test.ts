// The walk and the exposure questions in-process, where their limits can be lowered: a patch line
// longer than the limit is scanned up to it (the rest dropped and counted, later lines keep their
// numbers); past the per-commit limit, refs come from one git name-rev per kind of ref.
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../src/engine/fingerprint.js';
import { ScanContext } from '../src/scan/context.js';
import { scanned } from './helpers/scan.js';
import { annotateExposure, historySource } from '../src/sources/git-history/source.js';
import { EXPOSURE_LIMITS } from '../src/sources/git-history/exposure.js';
import { WALK_LIMITS } from '../src/sources/git-history/walk.js';
import { keyFor } from './helpers/keys.js';
import { git, gitEnv, gitRepo, writeFiles } from './helpers/tmp.js';

const DEFAULTS = { ...WALK_LIMITS };
const EXPOSURE_DEFAULTS = { ...EXPOSURE_LIMITS };
afterEach(() => {
  Object.assign(WALK_LIMITS, DEFAULTS);
  Object.assign(EXPOSURE_LIMITS, EXPOSURE_DEFAULTS);
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
  it('names one branch, tag and remote-tracking ref per commit (git name-rev) past the per-commit limit', async () => {
    EXPOSURE_LIMITS.perCommit = 1;
    const [a, b, c] = [11, 12, 13].map((s) => keyFor('project_164', s)) as [string, string, string];
    const repo = gitRepo({ 'a.env': `A=${a}\n` });
    const env = gitEnv();
    git(repo, ['update-ref', 'refs/remotes/origin/main', 'HEAD']);
    writeFiles(repo, { 'b.env': `B=${b}\n` });
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'b']);
    git(repo, ['checkout', '-q', '--detach']);
    writeFiles(repo, { 'c.env': `C=${c}\n` });
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'c']);
    git(repo, ['tag', 'side-tag']);
    git(repo, ['checkout', '-q', 'main']);
    const ctx = new ScanContext();
    const { findings } = await scanned(historySource({ cwd: repo, env }), ctx);
    await annotateExposure(findings, { cwd: repo, env }, ctx);
    const byFp = new Map(findings.map((f) => [f.fingerprint, f.location.commit?.exposure]));
    expect(byFp.get(fingerprint(a))).toMatchObject({ branches: ['main'], pushed: true, remoteRefs: ['origin/main'], atHead: true });
    expect(byFp.get(fingerprint(b))).toMatchObject({ branches: ['main'], pushed: false, remoteRefs: [], atHead: true });
    expect(byFp.get(fingerprint(c))).toMatchObject({ branches: [], tags: ['side-tag'], pushed: false, atHead: false });
    expect(ctx.notes.join('\n')).toMatch(/keys came in with 3 different commits: each finding names one branch/);
  });
});
