// How keyguard is started: the README's two commands are what CI runs, and the entry's old name still
// starts it through a link made before the rename (npx's cache in a checkout keeps such a link).
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, tempDir } from './helpers/tmp.js';

const PACKAGE = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };

/** The command lines of the README's first code block. */
function readmeSetup(): string[] {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no sh block');
  return block[1]!.split('\n').filter((l) => l.trim() !== '');
}

/** .ci/run's commands: its lines that are neither comments nor set-up of optional test programs. */
function ciCommands(): string[] {
  return readFileSync(join(PROJECT_ROOT, '.ci', 'run'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#') && !/^(set|cd|command -v) /.test(l));
}

describe('entry', () => {
  it("CI runs exactly the README's two commands, without npx (whose cache can hold a stale link)", () => {
    const setup = readmeSetup();
    expect(setup).toHaveLength(2);
    expect(ciCommands()).toEqual(setup);
    expect(setup.join('\n')).not.toMatch(/\bnpx\b/);
  });

  it('the old entry name, dist/cli.js, reached through a symlink as npx links it, runs keyguard', () => {
    const bin = join(tempDir('kg-bin-'), 'keyguard');
    symlinkSync(join(PROJECT_ROOT, 'dist', 'cli.js'), bin);
    const work = tempDir();
    const r = spawnSync(bin, ['scan', '.'], { cwd: work, encoding: 'utf8', env: { ...process.env, HOME: work, OPENAI_API_KEY: '' } });
    expect(r.stdout).toMatch(/^keyguard: scanned 0 files/);
    expect(r.status).toBe(0);
    const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(v.stdout).toBe(`${PACKAGE.version}\n`);
  });
});
