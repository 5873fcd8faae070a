// The filters stage: one set of small filters, applied to every source's findings the same way.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Baseline } from '../src/filters/baseline.js';
import { pathFilter } from '../src/filters/ignore-paths.js';
import { filterStage } from '../src/filters/stage.js';
import type { Finding } from '../src/types.js';
import { keyFor } from './helpers/keys.js';
import { makeZip } from './helpers/zip.js';
import { git, gitRepo, parseJson, runCli, tempDir, writeFiles } from './helpers/tmp.js';

function finding(path: string, fingerprint = '0123456789abcdef'): Finding {
  return {
    ruleId: 'openai-api-key',
    family: 'project_164',
    familyLabel: 'project key',
    confidence: 'high',
    kind: 'file',
    location: { path, line: 1, column: 1 },
    redacted: 'sk-proj-…',
    fingerprint,
    secret: 'not-a-key',
  };
}

describe('filterStage', () => {
  it('names the first reason that claims a finding: allow, then ignored paths, then the baseline', () => {
    const stage = filterStage({
      ignore: { filter: pathFilter(['fixtures/']), scope: { root: '/repo', pathsFrom: '/repo' } },
      baseline: new Baseline([
        { fingerprint: 'aaaaaaaaaaaaaaaa', ruleId: 'x' },
        { fingerprint: 'bbbbbbbbbbbbbbbb', ruleId: 'x' },
      ]),
    });
    expect(stage.suppress(finding('fixtures/a.env', 'aaaaaaaaaaaaaaaa'), true)).toBe('allow');
    expect(stage.suppress(finding('fixtures/a.env', 'aaaaaaaaaaaaaaaa'), false)).toBe('ignored');
    expect(stage.suppress(finding('src/a.env', 'aaaaaaaaaaaaaaaa'), false)).toBe('baseline');
    expect(stage.suppress(finding('src/a.env'), false)).toBeUndefined();
    expect(stage.unusedBaseline()).toEqual(['bbbbbbbbbbbbbbbb']);
  });

  it('matches paths as the ignore file sees them: relative to the root, whatever directory the paths are shown from', () => {
    const stage = filterStage({ ignore: { filter: pathFilter(['/app/fixtures/']), scope: { root: '/repo', pathsFrom: '/repo/app' } } });
    expect(stage.suppress(finding('fixtures/a.env'), false)).toBe('ignored');
    expect(stage.suppress(finding('src/a.env'), false)).toBeUndefined();
    // outside the root nothing is ignored
    expect(stage.suppress(finding('../../elsewhere/fixtures/a.env'), false)).toBeUndefined();
  });

  it('with nothing configured, only keyguard:allow suppresses', () => {
    const stage = filterStage();
    expect(stage.suppress(finding('x'), true)).toBe('allow');
    expect(stage.suppress(finding('x'), false)).toBeUndefined();
    expect(stage.unusedBaseline()).toEqual([]);
  });
});

describe('the same filters for every source (CLI)', () => {
  it('an ignored archive member is not reported while the rest of the archive is', () => {
    const dir = tempDir();
    const keep = keyFor('project_164', 81);
    const skip = keyFor('project_164', 82);
    writeFileSync(
      join(dir, 'bundle.zip'),
      makeZip([
        { name: 'fixtures/sample.env', data: `K=${skip}\n` },
        { name: 'app.env', data: `K=${keep}\n` },
      ]),
    );
    writeFiles(dir, { '.keyguardignore': 'bundle.zip!fixtures/**\n' });
    const r = runCli(['scan', '.', '--format', 'json'], { cwd: dir });
    const report = parseJson(r);
    expect(r.code).toBe(1);
    expect(report.findings.map((f) => f.path)).toEqual(['bundle.zip!app.env']);
    expect((report.summary as { suppressed: { ignored: number } }).suppressed.ignored).toBe(1);
  });

  it('a scan from a subdirectory, of the files and of the index, honours the root ignore file alike', () => {
    const repo = gitRepo({ '.keyguardignore': '/app/fixtures/\n' });
    mkdirSync(join(repo, 'app', 'fixtures'), { recursive: true });
    writeFiles(repo, { 'app/fixtures/sample.env': `K=${keyFor('project_164', 83)}\n`, 'app/real.env': `K=${keyFor('project_164', 84)}\n` });
    git(repo, ['add', '-A']);
    const cwd = join(repo, 'app');
    for (const args of [
      ['scan', '.'],
      ['scan', '--staged'],
    ]) {
      const report = parseJson(runCli([...args, '--format', 'json'], { cwd }));
      expect(report.findings.map((f) => String(f.path).replace(/^app\//, ''))).toEqual(['real.env']);
    }
  });
});
