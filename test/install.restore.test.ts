// install then uninstall gives back a user's husky, lefthook and pre-commit files byte for byte:
// comments only (what `lefthook install` writes), no final newline, CRLF, bytes that are not UTF-8.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitEnv, gitRepo, tempDir, writeFiles } from './helpers/tmp.js';
import { runMain } from './helpers/main.js';

function env(): NodeJS.ProcessEnv {
  return gitEnv({ HOME: tempDir('kg-home-'), OPENAI_API_KEY: '', CODEX_API_KEY: '', NO_COLOR: '1' });
}

/** What `lefthook install` writes when there is no config (abridged): comments only. */
const LEFTHOOK_TEMPLATE = [
  '# EXAMPLE USAGE:',
  '#',
  '#   Refer for explanation to following link:',
  '#   https://lefthook.dev/configuration/',
  '#',
  '# pre-commit:',
  '#   parallel: true',
  '#   jobs:',
  '#     - run: yarn eslint {staged_files}',
  '#       glob: "*.{js,ts,jsx,tsx}"',
  '#',
].join('\n');

const crlf = (s: string) => s.replace(/\n/g, '\r\n');

/** Every shape a user's file may have, from one text written with `\n` and ending in one. */
function variants(text: string): Record<string, Buffer> {
  const bare = text.replace(/\n$/, '');
  return {
    'final newline': Buffer.from(`${bare}\n`),
    'no final newline': Buffer.from(bare),
    CRLF: Buffer.from(crlf(`${bare}\n`)),
    'CRLF, no final newline': Buffer.from(crlf(bare)),
    'not UTF-8, trailing blank lines': Buffer.concat([Buffer.from(`${bare}\n# caf`), Buffer.from([0xe9, 0xff]), Buffer.from('\n\n\n')]),
  };
}

interface Case {
  via: string;
  file: string;
  originals: Record<string, string>;
  /** a line install writes, to check that it did change the file */
  marker: RegExp;
}

const CASES: Case[] = [
  {
    via: 'lefthook',
    file: 'lefthook.yml',
    originals: {
      'comments only (lefthook install)': `${LEFTHOOK_TEMPLATE}\n`,
      'a pre-commit without commands': 'pre-commit:\n  parallel: true\n',
      'pre-commit commands': 'pre-push:\n  commands:\n    t:\n      run: npm test\npre-commit:\n  commands:\n    lint:\n      run: npm run lint\n',
      'pre-commit last, then comments': 'pre-commit:\n  commands:\n    lint:\n      run: eslint\n# the end\n',
    },
    marker: /^ +keyguard:\r?$/m,
  },
  {
    via: 'pre-commit',
    file: '.pre-commit-config.yaml',
    originals: {
      'comments only': '# See https://pre-commit.com for more information\n# repos: []\n',
      'no repos key': 'default_stages: [pre-commit]\n',
      'a repos list': 'repos:\n- repo: https://github.com/pre-commit/pre-commit-hooks\n  rev: v4.6.0\n  hooks:\n  - id: trailing-whitespace\n',
      'a repos list, then comments': 'repos:\n  - repo: https://example.com/hooks\n    rev: v1\n    hooks:\n      - id: x\n\n# trailing note\n',
    },
    marker: /^ +- id: keyguard\r?$/m,
  },
  {
    via: 'husky',
    file: '.husky/pre-commit',
    originals: {
      'comments only': '# husky runs this before every commit\n# npm test\n',
      'a shebang only': '#!/usr/bin/env sh\n',
      'a command': 'npx lint-staged\n',
      'husky v8 layout': '#!/usr/bin/env sh\n. "$(dirname -- "$0")/_/husky.sh"\n\nnpm test\n',
    },
    marker: /^keyguard scan --staged\r?$/m,
  },
];

describe('uninstall restores what install changed, byte for byte', () => {
  for (const c of CASES) {
    it(`${c.via}: ${Object.keys(c.originals).length} files × ${Object.keys(variants('x\n')).length} line-end shapes`, async () => {
      const e = env();
      const dir = gitRepo();
      for (const [name, text] of Object.entries(c.originals)) {
        for (const [shape, bytes] of Object.entries(variants(text))) {
          const label = `${name}, ${shape}`;
          writeFiles(dir, { [c.file]: bytes });
          const path = join(dir, c.file);
          chmodSync(path, 0o750);
          const inst = await runMain(['install', `--${c.via}`], { cwd: dir, env: e });
          expect(inst.code, `${label}: ${inst.stderr}`).toBe(0);
          const installed = readFileSync(path);
          expect(installed.toString('latin1'), label).toMatch(c.marker);
          const un = await runMain(['uninstall', `--${c.via}`], { cwd: dir, env: e });
          expect(un.code, `${label}: ${un.stderr}`).toBe(0);
          expect(un.stdout, label).toContain('removed from');
          expect(existsSync(path), `${label}: the user's file must not be deleted`).toBe(true);
          expect(readFileSync(path).equals(bytes), `${label}:\n${JSON.stringify(readFileSync(path).toString('latin1'))}`).toBe(true);
          expect(statSync(path).mode & 0o777, label).toBe(0o750);
        }
      }
    });
  }

  it('a file install created is removed again', async () => {
    const e = env();
    for (const c of CASES) {
      const dir = gitRepo();
      if (c.via === 'husky') writeFiles(dir, { '.husky/.keep': '' });
      await runMain(['install', `--${c.via}`], { cwd: dir, env: e });
      expect(existsSync(join(dir, c.file)), c.via).toBe(true);
      await runMain(['uninstall', `--${c.via}`], { cwd: dir, env: e });
      expect(existsSync(join(dir, c.file)), c.via).toBe(false);
    }
  });

  it('the lefthook config written into the comments-only template is valid YAML with keyguard under pre-commit', async () => {
    if (spawnSync('python3', ['-c', 'import yaml']).status !== 0) return;
    const dir = gitRepo();
    writeFileSync(join(dir, 'lefthook.yml'), LEFTHOOK_TEMPLATE);
    await runMain(['install', '--lefthook'], { cwd: dir, env: env() });
    const script = 'import sys, json, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))';
    const r = spawnSync('python3', ['-c', script, join(dir, 'lefthook.yml')], { encoding: 'utf8' });
    expect(JSON.parse(r.stdout)).toEqual({ 'pre-commit': { commands: { keyguard: { run: 'keyguard scan --staged' } } } });
  });
});
