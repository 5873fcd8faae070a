// The README's examples are real outputs. Convention: a ```console block is a transcript. Each `$ `
// line is a command (`keyguard …` runs the built CLI, `git …` runs git), the lines under it are what
// it prints (stdout, then stderr), and a line that is only `...` stands for any number of lines. Every
// console block is run here against a temp repository or home that FIXTURES prepares (seeded keys,
// never literals), and its output must have the same lines in the same order once counts, sizes,
// times, redacted keys, fingerprints and the temp paths are normalised. A console block without a
// fixture fails the test, unless NOT_RUN says why it cannot run here.
import { chmodSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatHtml, gptConversation, gptJson, jsonl } from './helpers/chat-exports.js';
import { keyFor } from './helpers/keys.js';
import { git, gitEnv, gitRepo, PROJECT_ROOT, runCli, tempDir, writeFiles } from './helpers/tmp.js';
import { makeZip } from './helpers/zip.js';

interface Step {
  /** the command as written, without the `$ ` and without a trailing `# comment` */
  command: string;
  expected: string[];
}

interface Example {
  /** 1-based line of the opening fence, for messages */
  line: number;
  steps: Step[];
}

/** Where a transcript runs: the directory its commands start in, and the home the README calls /home/me. */
interface Place {
  cwd: string;
  home: string;
  /** more environment for keyguard (a fake `codex` on PATH, a key in the environment) */
  env?: NodeJS.ProcessEnv;
}

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');

function consoleExamples(markdown: string): Example[] {
  const lines = markdown.split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```console') continue;
    const example: Example = { line: i + 1, steps: [] };
    for (i++; i < lines.length && lines[i]!.trim() !== '```'; i++) {
      const text = lines[i]!;
      if (text.startsWith('$ '))
        example.steps.push({
          command: text
            .slice(2)
            .replace(/\s+#.*$/, '')
            .trim(),
          expected: [],
        });
      else if (example.steps.length > 0) example.steps[example.steps.length - 1]!.expected.push(text);
      else throw new Error(`README.md:${example.line}: a console block starts with its first \`$ \` command`);
    }
    examples.push(example);
  }
  return examples;
}

/** The key for a transcript: its commands, one per line. */
function commandsOf(example: Example): string {
  return example.steps.map((s) => s.command).join('\n');
}

function homeEnv(home: string): NodeJS.ProcessEnv {
  const env = gitEnv({
    HOME: home,
    OPENAI_API_KEY: '',
    CODEX_API_KEY: '',
    PATH: '/usr/bin:/bin',
    KEYGUARD_CODEX_SYSTEM_CONFIG: join(home, 'no-system-codex-config.toml'),
  });
  for (const k of ['CODEX_HOME', 'CLAUDE_CONFIG_DIR', 'HISTFILE', 'ZDOTDIR', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME']) {
    delete env[k];
  }
  return env;
}

/** A file with each text on its line (1-based), and harmless filler lines between. */
function lines(byLine: Record<number, string>): string {
  const last = Math.max(...Object.keys(byLine).map(Number));
  return Array.from({ length: last }, (_v, i) => byLine[i + 1] ?? `# line ${i + 1}`).join('\n') + '\n';
}

const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);

/** A ChatGPT export whose first message holds a key, and whose second was edited away from another key. */
function chatgptExport(): Buffer {
  const conversation = gptConversation('abc-123', 'Debug 401', [
    { id: 'root', parent: null },
    { id: 'u1', parent: 'root', role: 'user', text: `my key is ${keyFor('project_164', 10)}, why 401?`, time: 1_700_000_001 },
    { id: 'u2', parent: 'u1', role: 'user', text: `and ${keyFor('project_164', 11)}`, time: 1_700_000_003 },
    { id: 'u3', parent: 'u1', role: 'user', text: 'never mind', time: 1_700_000_004 },
  ]);
  return makeZip([
    { name: 'conversations.json', data: Buffer.from(gptJson([conversation])) },
    { name: 'chat.html', data: Buffer.from(chatHtml([conversation])) },
  ]);
}

/** A Codex CLI session whose shell call carried a key. */
function codexRollout(): string {
  return jsonl([
    { timestamp: '2025-01-02T10:00:00.000Z', type: 'session_meta', payload: { id: '0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000', cwd: '/work' } },
    {
      timestamp: '2025-01-02T10:00:02.000Z',
      type: 'response_item',
      payload: {
        type: 'function_call',
        name: 'shell',
        arguments: JSON.stringify({ command: ['bash', '-lc', `echo ${keyFor('project_164', 12)}`] }),
        call_id: 'c',
      },
    },
  ]);
}

/** A JWT with the claims Codex reads, assembled at test time. */
function fakeJwt(payload: Record<string, unknown>): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(payload)}.${Buffer.from('not-a-signature').toString('base64url')}`;
}

/** A ChatGPT login in ~/.codex with `forced_login_method = "chatgpt"`, an API key in the profile and the environment, Codex 0.171.0 on PATH. */
function codexMachine(): Place {
  const home = tempDir('kg-home-');
  const key = keyFor('project_164', 14);
  const idToken = fakeJwt({ email: 'jane@example.com', 'https://api.openai.com/auth': { chatgpt_plan_type: 'plus', chatgpt_account_id: 'acct-1111' } });
  const tokens = { id_token: idToken, access_token: fakeJwt({ exp: 4102444800 }), refresh_token: 'rt_fake_0000', account_id: 'acct-1111' };
  writeFiles(home, {
    '.zshrc': lines({ 2: `export OPENAI_API_KEY=${key}`, 3: `export CODEX_API_KEY=${key}` }),
    '.codex/auth.json': JSON.stringify({ auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens, last_refresh: '2026-11-20T10:00:00Z' }),
    '.codex/config.toml': 'model = "gpt-5-codex"\nforced_login_method = "chatgpt"\n',
    'bin/codex': '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "codex-cli 0.171.0"; exit 0; fi\nexit 1\n',
  });
  chmodSync(join(home, '.zshrc'), 0o600);
  chmodSync(join(home, '.codex/auth.json'), 0o600);
  chmodSync(join(home, 'bin/codex'), 0o755);
  return { cwd: home, home, env: { PATH: `${join(home, 'bin')}:/usr/bin:/bin`, OPENAI_API_KEY: key, CODEX_API_KEY: key } };
}

/** One fixture per transcript, keyed by its commands. */
const FIXTURES: Record<string, () => Place> = {
  'keyguard scan': () => {
    const repo = gitRepo({ 'README.md': '# app\n', 'logo.png': BINARY });
    writeFiles(repo, { 'src/settings.py': lines({ 12: `OPENAI_KEY = "${keyFor('project_164', 7)}"` }) });
    return { cwd: repo, home: repo };
  },
  'keyguard install': () => {
    const repo = gitRepo({ 'README.md': '# app\n' });
    // keyguard installed as the README says, a dev dependency (else install warns that the hook will not find it)
    writeFiles(repo, { 'node_modules/.bin/keyguard': '#!/bin/sh\n' });
    chmodSync(join(repo, 'node_modules', '.bin', 'keyguard'), 0o755);
    return { cwd: repo, home: repo };
  },
  'git add config.py\nkeyguard scan --staged': () => {
    const repo = gitRepo({ 'README.md': '# app\n' });
    writeFiles(repo, { 'config.py': lines({ 12: `API_KEY = "${keyFor('project_164', 8)}"` }) });
    return { cwd: repo, home: repo };
  },
  'keyguard audit': () => {
    const home = tempDir('kg-home-');
    const key = keyFor('project_164', 9);
    writeFiles(home, {
      '.profile': 'export PATH="$HOME/bin:$PATH"\n',
      '.zshrc': lines({ 4: 'export ANTHROPIC_API_KEY="$(op read op://vault/anthropic/key)"', 8: `export OPENAI_API_KEY=${key}` }),
      '.zsh_history': `: 1740925268:0;ls\n: 1740925269:0;curl -H "Authorization: Bearer ${key}" https://api.openai.com/v1/models\n`,
      '.bash_history': `ls\nexport OPENAI_API_KEY=${key}\n`,
    });
    chmodSync(join(home, '.zshrc'), 0o600);
    chmodSync(join(home, '.zsh_history'), 0o600);
    chmodSync(join(home, '.bash_history'), 0o640);
    return { cwd: home, home };
  },
  'keyguard scan ~/Downloads/chatgpt-export.zip': () => {
    const home = tempDir('kg-home-');
    writeFiles(home, { 'Downloads/chatgpt-export.zip': chatgptExport() });
    return { cwd: home, home };
  },
  'keyguard scan --fix ~/Downloads/chatgpt-export.zip': () => {
    const home = tempDir('kg-home-');
    writeFiles(home, { 'Downloads/chatgpt-export.zip': chatgptExport() });
    return { cwd: home, home };
  },
  'keyguard scan ~/.codex ~/.claude': () => {
    const home = tempDir('kg-home-');
    writeFiles(home, {
      '.codex/sessions/2025/01/02/rollout-2025-01-02T10-00-00-0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000.jsonl': codexRollout(),
      '.claude/projects/app/session.jsonl': jsonl([{ type: 'user', message: { role: 'user', content: 'hello' } }]),
    });
    return { cwd: home, home };
  },
  'keyguard codex': codexMachine,
  'keyguard audit --fix --dry-run\nkeyguard audit --fix': () => {
    const home = tempDir('kg-home-');
    const key = keyFor('project_164', 13);
    writeFiles(home, {
      '.zsh_history': `: 1740925268:0;export OPENAI_API_KEY=${key}\n: 1740925269:0;ls\n: 1740925270:0;echo ${key}\n`,
      '.zshrc': lines({ 8: `export OPENAI_API_KEY=${key}` }),
    });
    chmodSync(join(home, '.zsh_history'), 0o600);
    chmodSync(join(home, '.zshrc'), 0o600);
    // no secret store on PATH (a machine's own secret-tool or pass would change the output): the private-file fallback
    return { cwd: home, home, env: { PATH: join(home, 'no-secret-store') } };
  },
};

/** Transcripts that cannot run in a test, and why. Keep this list short. */
const NOT_RUN: Record<string, string> = {
  'keyguard scan --verify': 'sends the keys to api.openai.com',
};

/** The temp home, as printed, becomes the README's /home/me. */
function inHome(text: string, place: Place): string {
  let t = text;
  for (const dir of new Set([realpathSync(place.home), place.home])) t = t.split(dir).join('/home/me');
  return t;
}

function normalise(text: string): string[] {
  return (
    text
      .replace(/\x1b\[[0-9;]*m/g, '')
      .replace(/\b(?:sk-(?:[a-z]+-)?|sess-)[A-Za-z0-9_-]{4}…[A-Za-z0-9_-]{4}/g, '<key>')
      // random hex (fingerprints, backup ids) is sometimes all digits: a digit is enough, words have none
      .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{7,64}\b/g, '<hex>')
      .replace(/\b\d+(?:\.\d+)? ?(?:B|kB|KB|MB|GB)\b/g, '<size>')
      .replace(/\b\d+(?:\.\d+)?m?s\b/g, '<duration>')
      .replace(/\d+/g, 'N')
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l, i, all) => l !== '' || (i > 0 && i < all.length - 1))
  );
}

/** `expected` may hold `...` lines, each matching any number of actual lines. */
function matches(expected: string[], actual: string[]): boolean {
  const [first, ...rest] = expected;
  if (first === undefined) return actual.length === 0;
  if (first.trim() === '...') return actual.some((_l, i) => matches(rest, actual.slice(i))) || matches(rest, []);
  return actual[0] === first && matches(rest, actual.slice(1));
}

function run(command: string, place: Place): string {
  const [program, ...args] = command.split(/\s+/).map((a) => a.replace(/^~(?=\/|$)/, place.home));
  if (program === 'git') return git(place.cwd, args, gitEnv({ HOME: place.home }));
  if (program !== 'keyguard') throw new Error(`README transcripts run keyguard or git, not ${program}`);
  const r = runCli(args, { cwd: place.cwd, env: { ...homeEnv(place.home), ...place.env } });
  return r.stdout + r.stderr;
}

const examples = consoleExamples(README);

describe('README examples', () => {
  it('has console transcripts, each with a fixture or a reason it cannot run', () => {
    for (const e of examples) {
      const key = commandsOf(e);
      expect(key in FIXTURES || key in NOT_RUN, `README.md:${e.line}: no fixture for:\n${key}`).toBe(true);
    }
    // a fixture whose transcript left the README would silently check nothing
    const inReadme = new Set(examples.map(commandsOf));
    expect(Object.keys(FIXTURES).filter((k) => !inReadme.has(k))).toEqual([]);
  });

  it('links only to headings that exist', () => {
    // GitHub's anchors: lower case, punctuation other than `-` dropped, spaces to `-`
    const anchors = new Set(
      README.split('\n')
        .filter((l) => /^#{1,4} /.test(l))
        .map((l) =>
          l
            .replace(/^#+ /, '')
            .toLowerCase()
            .replace(/[^\p{L}\p{N} _-]/gu, '')
            .replace(/ /g, '-'),
        ),
    );
    const links = [...README.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((l) => !anchors.has(l))).toEqual([]);
  });

  for (const example of examples.filter((e) => commandsOf(e) in FIXTURES)) {
    it(`README.md:${example.line}: ${commandsOf(example).replace(/\n/g, ' && ')}`, () => {
      const place = FIXTURES[commandsOf(example)]!();
      for (const step of example.steps) {
        const printed = inHome(run(step.command, place), place);
        const expected = normalise(step.expected.join('\n'));
        // the message shows the output as printed (with the temp home as /home/me), ready to paste into the README
        const actual = normalise(printed);
        if (!matches(expected, actual)) {
          // the normalised lines side by side say which line differs; the raw output is ready to paste into the README
          expect(actual, `README.md:${example.line}: \`${step.command}\` printed:\n${printed}`).toEqual(expected);
        }
      }
    });
  }
});
