// The version has one source, package.json: --version and SARIF's tool.driver.version both report it,
// from the bundle and from the tsc output alike (they sit at different depths under the package root).
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli, tempDir } from './helpers/tmp.js';

const PACKAGE = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };

interface Sarif {
  runs: { tool: { driver: { version: string; semanticVersion: string } } }[];
}

/** A copy of the built package whose package.json says `version`; without the bundle when `bundle` is false. */
function packageCopy(version: string, bundle: boolean): string {
  const root = tempDir('kg-pkg-');
  cpSync(join(PROJECT_ROOT, 'dist'), join(root, 'dist'), { recursive: true });
  if (!bundle) rmSync(join(root, 'dist', 'bundle'), { recursive: true, force: true });
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  writeFileSync(join(root, 'package.json'), JSON.stringify({ ...PACKAGE, version }));
  return root;
}

function run(cli: string, args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, HOME: cwd, OPENAI_API_KEY: '' } });
  return { code: r.status, stdout: r.stdout };
}

describe('version', () => {
  it("--version prints package.json's version, and SARIF's tool.driver.version is the same", () => {
    const dir = tempDir();
    const r = runCli(['--version'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${PACKAGE.version}\n`);
    const s = runCli(['scan', '--format', 'sarif', '.'], { cwd: dir });
    expect(s.code).toBe(0);
    const driver = (JSON.parse(s.stdout) as Sarif).runs[0]!.tool.driver;
    expect([driver.version, driver.semanticVersion]).toEqual([PACKAGE.version, PACKAGE.version]);
  });

  for (const bundle of [true, false]) {
    it(`a package.json with another version changes both, with${bundle ? '' : 'out'} the bundle`, () => {
      const root = packageCopy('9.8.7-test', bundle);
      const cli = join(root, 'dist', 'cli.cjs');
      expect(run(cli, ['--version'], root).stdout).toBe('9.8.7-test\n');
      const work = tempDir();
      const s = run(cli, ['scan', '--format', 'sarif', '.'], work);
      expect(s.code).toBe(0);
      expect((JSON.parse(s.stdout) as Sarif).runs[0]!.tool.driver.version).toBe('9.8.7-test');
    });
  }
});
