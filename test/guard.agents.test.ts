// The coding-agent guards: `keyguard hook codex|claude-code` as the agents run it (a child process,
// the event JSON on stdin, shapes from reference/prevention.md A2), and `keyguard install --codex |
// --claude-code` merging into the user's own files.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../src/engine/fingerprint.js';
import { redact } from '../src/engine/redact.js';
import { keyFor, randomString, rng } from './helpers/keys.js';
import { gitEnv, gitRepo, runCli, tempDir, writeFiles, type CliResult } from './helpers/tmp.js';
import { runMain } from './helpers/main.js';

const KEY = keyFor('project_164', 1201);
const KEY2 = keyFor('svcacct_167', 1202);
/** A key of no known shape (a proxy's): only found because it is the user's own. */
const ODD = `kgproxy-${randomString(rng(1203), 40, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;

type Agent = 'codex' | 'claude-code';
const AGENTS: Agent[] = ['codex', 'claude-code'];

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return gitEnv({ HOME: tempDir('kg-home-'), OPENAI_API_KEY: '', CODEX_API_KEY: '', NO_COLOR: '1', ...extra });
}

const common = (name: string) => ({
  session_id: 'a1b2c3',
  transcript_path: '/tmp/transcript.jsonl',
  cwd: '/tmp/project',
  hook_event_name: name,
  permission_mode: 'default',
});

function hook(agent: Agent, event: unknown, e: NodeJS.ProcessEnv = env()): CliResult {
  const input = typeof event === 'string' ? event : JSON.stringify(event);
  const r = runCli(['hook', agent], { cwd: tempDir('kg-cwd-'), env: e, input });
  // whatever happens, the key is never shown
  for (const k of [KEY, KEY2, ODD]) {
    expect(r.stdout).not.toContain(k);
    expect(r.stderr).not.toContain(k);
  }
  return r;
}

function reply(r: CliResult): Record<string, unknown> {
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout.endsWith('}\n')).toBe(true);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

function prompt(agent: Agent, text: string): Record<string, unknown> {
  const base = { ...common('UserPromptSubmit'), prompt: text };
  return agent === 'codex' ? { ...base, turn_id: 't1', model: 'gpt-5.5' } : { ...base, prompt_id: 'p1', effort: 'high' };
}

function preTool(toolName: string, toolInput: unknown): Record<string, unknown> {
  return { ...common('PreToolUse'), tool_name: toolName, tool_use_id: 'toolu_1', tool_input: toolInput };
}

function postTool(toolName: string, toolInput: unknown, toolResponse: unknown): Record<string, unknown> {
  return { ...common('PostToolUse'), tool_name: toolName, tool_use_id: 'toolu_1', tool_input: toolInput, tool_response: toolResponse };
}

const shown = (k: string) => `${redact(k)} (fingerprint ${fingerprint(k)}`;

describe('keyguard hook: prompts', () => {
  it('codex: a prompt with a key is blocked with exactly {decision, reason}', () => {
    const out = reply(hook('codex', prompt('codex', `please use ${KEY} for the tests`)));
    expect(Object.keys(out)).toEqual(['decision', 'reason']);
    expect(out.decision).toBe('block');
    expect(out.reason).toContain(shown(KEY));
    expect(out.reason).toMatch(/not sent to Codex/);
    expect(out.reason).toMatch(/environment/);
  });

  it('claude-code: blocked with suppressOriginalPrompt, so the prompt is not echoed', () => {
    const out = reply(hook('claude-code', prompt('claude-code', `key: ${KEY}\nand ${KEY2}`)));
    expect(Object.keys(out)).toEqual(['decision', 'reason', 'hookSpecificOutput']);
    expect(out.decision).toBe('block');
    expect(out.hookSpecificOutput).toEqual({ hookEventName: 'UserPromptSubmit', suppressOriginalPrompt: true });
    expect(out.reason).toContain(shown(KEY));
    expect(out.reason).toContain(shown(KEY2));
    expect(out.reason).toMatch(/2 OpenAI API keys/);
  });

  it.each(AGENTS)('%s: a clean prompt goes through (exit 0, no output)', (agent) => {
    const r = hook(agent, prompt(agent, 'refactor the parser; the key is in $OPENAI_API_KEY'));
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it.each(AGENTS)("%s: the user's own key of no known shape is blocked too, labelled as theirs", (agent) => {
    const out = reply(hook(agent, prompt(agent, `why does ${ODD} fail?`), env({ OPENAI_API_KEY: ODD })));
    expect(out.decision).toBe('block');
    expect(out.reason).toContain('the key in your OPENAI_API_KEY environment variable');
    // the same prompt from someone without that key configured: nothing to block
    expect(hook(agent, prompt(agent, `why does ${ODD} fail?`)).stdout).toBe('');
  });

  it('a key hidden in base64 is found', () => {
    const out = reply(hook('codex', prompt('codex', `decode this: ${Buffer.from(`OPENAI_API_KEY=${KEY}`).toString('base64')}`)));
    expect(out.decision).toBe('block');
  });
});

/** Tool inputs of both agents that carry a key somewhere, with the leaf the reason must name. */
const TOOL_INPUTS: Array<[string, string, (k: string) => unknown, string]> = [
  [
    'Bash command (both)',
    'Bash',
    (k) => ({ command: `curl -H "Authorization: Bearer ${k}" https://api.openai.com/v1/models`, description: 'list', timeout: 1000 }),
    'tool_input.command',
  ],
  ['Write', 'Write', (k) => ({ file_path: '/tmp/project/.env', content: `OPENAI_API_KEY=${k}\n` }), 'tool_input.content'],
  ['Edit', 'Edit', (k) => ({ file_path: '/tmp/a.js', old_string: 'x', new_string: `const key = "${k}";`, replace_all: false }), 'tool_input.new_string'],
  [
    'MultiEdit',
    'MultiEdit',
    (k) => ({
      file_path: '/tmp/a.py',
      edits: [
        { old_string: 'a', new_string: 'b' },
        { old_string: 'c', new_string: `KEY = '${k}'` },
      ],
    }),
    'tool_input.edits[1].new_string',
  ],
  [
    'NotebookEdit',
    'NotebookEdit',
    (k) => ({ notebook_path: '/tmp/n.ipynb', cell_id: 'c1', new_source: `import os\nos.environ["OPENAI_API_KEY"] = "${k}"`, edit_mode: 'replace' }),
    'tool_input.new_source',
  ],
  [
    'codex apply_patch',
    'apply_patch',
    (k) => ({ command: `*** Begin Patch\n*** Add File: config.js\n+export const key = '${k}';\n*** End Patch\n` }),
    'tool_input.command',
  ],
  [
    'MCP arguments nested deep',
    'mcp__db__query',
    (k) => ({ sql: 'select 1', options: { retry: [{ headers: { list: ['a', { auth: `Bearer ${k}` }] } }] } }),
    'tool_input.options.retry[0].headers.list[1].auth',
  ],
  ['a key as a field name', 'mcp__kv__put', (k) => ({ values: { [k]: 'x' } }), 'tool_input.values (a field name)'],
];

describe('keyguard hook: before a tool runs', () => {
  for (const agent of AGENTS) {
    it.each(TOOL_INPUTS)(`${agent}: %s with a key is denied, and the reason names where`, (_name, tool, input, where) => {
      const out = reply(hook(agent, preTool(tool, input(KEY))));
      expect(Object.keys(out)).toEqual(['hookSpecificOutput']);
      const specific = out.hookSpecificOutput as Record<string, unknown>;
      expect(Object.keys(specific)).toEqual(['hookEventName', 'permissionDecision', 'permissionDecisionReason']);
      expect(specific.hookEventName).toBe('PreToolUse');
      expect(specific.permissionDecision).toBe('deny');
      expect(specific.permissionDecisionReason).toContain(`${shown(KEY)}) in ${where}`);
      expect(specific.permissionDecisionReason).toMatch(/read the key from the environment/);
    });
  }

  it.each(TOOL_INPUTS)('the same %s without a key is allowed', (_name, tool, input) => {
    expect(hook('codex', preTool(tool, input('$OPENAI_API_KEY')))).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('keyguard hook: after a tool ran', () => {
  it('claude-code: Bash output with a key is replaced (same shape, key withheld) and the user told which command', () => {
    const response = {
      stdout: `NODE_ENV=dev\nOPENAI_API_KEY=${KEY}\n`,
      stderr: '',
      interrupted: false,
      isImage: false,
      noOutputExpected: false,
      persistedOutputPath: '/tmp/o.txt',
      persistedOutputSize: 99,
    };
    const out = reply(hook('claude-code', postTool('Bash', { command: 'cat .env', description: 'show env' }, response)));
    expect(Object.keys(out)).toEqual(['systemMessage', 'hookSpecificOutput']);
    expect(out.systemMessage).toContain('the output of the command `cat .env`');
    expect(out.systemMessage).toContain(shown(KEY));
    const specific = out.hookSpecificOutput as { hookEventName: string; updatedToolOutput: Record<string, unknown> };
    expect(specific.hookEventName).toBe('PostToolUse');
    expect(Object.keys(specific.updatedToolOutput)).toEqual(['stdout', 'stderr', 'interrupted', 'isImage', 'noOutputExpected']);
    const note = `[OpenAI key withheld by keyguard: ${redact(KEY)} (fingerprint ${fingerprint(KEY)})]`;
    expect(specific.updatedToolOutput.stdout).toBe(`NODE_ENV=dev\nOPENAI_API_KEY=${note}\n`);
    expect(specific.updatedToolOutput.interrupted).toBe(false);
  });

  it('claude-code: a Read of a file names the file', () => {
    const response = { type: 'text', file: { filePath: '/home/u/app/.env', content: `K=${KEY}` } };
    const out = reply(hook('claude-code', postTool('Read', { file_path: '/home/u/app/.env' }, response)));
    expect(out.systemMessage).toContain('the output of the file /home/u/app/.env (Read)');
    expect(JSON.stringify(out.hookSpecificOutput)).toContain('withheld by keyguard');
  });

  it('codex: Bash output (a string) with a key is blocked with exactly {decision, reason}, naming the command', () => {
    const out = reply(hook('codex', postTool('Bash', { command: 'cat .env' }, `OPENAI_API_KEY=${KEY}\n`)));
    expect(Object.keys(out)).toEqual(['decision', 'reason']);
    expect(out.decision).toBe('block');
    expect(out.reason).toContain('the output of the command `cat .env`');
    expect(out.reason).toContain("withheld that output from Codex's model");
  });

  it('a key in the command that produced the output is withheld from the message too', () => {
    const out = reply(hook('codex', postTool('Bash', { command: `echo ${KEY}` }, `${KEY}\n`)));
    expect(out.reason).toContain('the command `echo [OpenAI key withheld by keyguard');
  });

  it.each(AGENTS)('%s: clean output passes untouched', (agent) => {
    const response = agent === 'codex' ? 'a\nb\n' : { stdout: 'a\nb\n', stderr: '' };
    expect(hook(agent, postTool('Bash', { command: 'ls' }, response))).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('keyguard hook: input it cannot trust blocks (exit 2, reason on stderr, never the key)', () => {
  const BAD: Array<[string, string]> = [
    ['not JSON (with a key in it)', `{"hook_event_name":"UserPromptSubmit","prompt":"${KEY}`],
    ['empty stdin', ''],
    ['a JSON array', '[]'],
    ['no hook_event_name', JSON.stringify({ prompt: KEY })],
    ['an unknown event', JSON.stringify({ hook_event_name: 'BeforeTheFlood', prompt: KEY })],
    ['a key as the event name', JSON.stringify({ hook_event_name: KEY, prompt: 'x' })],
    ['a prompt event without a prompt', JSON.stringify({ hook_event_name: 'UserPromptSubmit' })],
    ['a tool event without tool_input', JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash' })],
  ];
  for (const agent of AGENTS) {
    it.each(BAD)(`${agent}: %s`, (_name, input) => {
      const r = hook(agent, input);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^keyguard hook ${agent}: .*blocked to be safe \\(exit 2\\)`));
    });
  }

  it('a key as the event name is not quoted, not even in part', () => {
    const r = hook('claude-code', { hook_event_name: KEY, prompt: 'x' });
    expect(r.stderr).toContain('an unknown event');
    expect(r.stderr).not.toContain(KEY.slice(0, 16));
  });

  it('the JSON error does not quote the input', () => {
    const r = hook('codex', `{"prompt": "${KEY.slice(0, 30)}`);
    expect(r.stderr).toContain('the event on stdin is not valid JSON');
    expect(r.stderr).not.toContain(KEY.slice(0, 30));
  });

  it.each(AGENTS)('%s: an event keyguard does not guard (SubagentStop), and Stop with nothing blocked: exit 0, no output', (agent) => {
    expect(hook(agent, { ...common('SubagentStop'), stop_hook_active: false })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(hook(agent, { ...common('Stop'), stop_hook_active: false })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('no agent named: a usage error, exit 2', () => {
    const r = runCli(['hook'], { cwd: tempDir(), env: env(), input: JSON.stringify(prompt('codex', 'hi')) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/name the agent/);
  });
});

// ---- installers ----

function backups(e: NodeJS.ProcessEnv): string[] {
  const dir = join(e.HOME!, '.local/share/keyguard/backups');
  return existsSync(dir) ? readdirSync(dir) : [];
}

const CLAUDE_SETTINGS = `{
    "model": "opus",
    "permissions": {
        "allow": [
            "Bash(npm test)"
        ]
    },
    "hooks": {
        "PreToolUse": [
            {
                "matcher": "Bash",
                "hooks": [
                    {
                        "type": "command",
                        "command": "~/bin/check-bash"
                    }
                ]
            }
        ]
    }
}
`;

describe('keyguard install --claude-code', () => {
  it('merges into an existing settings.json, twice = once, uninstall gives back the bytes', async () => {
    const e = env();
    const path = join(e.HOME!, '.claude/settings.json');
    writeFiles(e.HOME!, { '.claude/settings.json': CLAUDE_SETTINGS });
    const r = await runMain(['install', '--claude-code'], { cwd: e.HOME!, env: e });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`added the Claude Code guard to ${path}`);
    const after = readFileSync(path, 'utf8');
    expect(after).toMatch(/^\{\n {4}"model"/);
    const s = JSON.parse(after) as { model: string; hooks: Record<string, Array<{ matcher?: string; hooks: Array<Record<string, unknown>> }>> };
    expect(s.model).toBe('opus');
    const handler = { type: 'command', command: 'keyguard hook claude-code', timeout: 30 };
    expect(s.hooks.UserPromptSubmit).toEqual([{ hooks: [handler] }]);
    expect(s.hooks.PreToolUse).toEqual([
      { matcher: 'Bash', hooks: [{ type: 'command', command: '~/bin/check-bash' }] },
      { matcher: '*', hooks: [handler] },
    ]);
    expect(s.hooks.PostToolUse).toEqual([{ matcher: '*', hooks: [handler] }]);
    expect(backups(e)).toHaveLength(1);

    const again = await runMain(['install', '--claude-code'], { cwd: e.HOME!, env: e });
    expect(again.stdout).toContain('already in');
    expect(readFileSync(path, 'utf8')).toBe(after);
    expect(backups(e)).toHaveLength(1);

    const un = await runMain(['uninstall', '--claude-code'], { cwd: e.HOME!, env: e });
    expect(un.stdout).toContain(`removed the Claude Code guard from ${path}`);
    expect(readFileSync(path, 'utf8')).toBe(CLAUDE_SETTINGS);
    expect((await runMain(['uninstall', '--claude-code'], { cwd: e.HOME!, env: e })).stdout).toContain('is not in');
  });

  it('a CRLF file without a final newline comes back byte for byte', async () => {
    const e = env();
    const original = CLAUDE_SETTINGS.trimEnd().replace(/\n/g, '\r\n');
    writeFiles(e.HOME!, { '.claude/settings.json': original });
    await runMain(['install', '--claude-code'], { cwd: e.HOME!, env: e });
    expect(readFileSync(join(e.HOME!, '.claude/settings.json'), 'utf8')).toContain('keyguard hook claude-code');
    await runMain(['uninstall', '--claude-code'], { cwd: e.HOME!, env: e });
    expect(readFileSync(join(e.HOME!, '.claude/settings.json'), 'utf8')).toBe(original);
  });

  it('refuses a file it cannot parse and leaves it as it was', async () => {
    const e = env();
    const broken = '{\n  // my settings\n  "model": "opus",\n}\n';
    writeFiles(e.HOME!, { '.claude/settings.json': broken });
    const r = await runMain(['install', '--claude-code'], { cwd: e.HOME!, env: e });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not valid JSON: keyguard does not rewrite a file it cannot read; nothing changed/);
    expect(readFileSync(join(e.HOME!, '.claude/settings.json'), 'utf8')).toBe(broken);
  });

  it('refuses "hooks" that is not an object', async () => {
    const e = env();
    writeFiles(e.HOME!, { '.claude/settings.json': '{"hooks": []}' });
    const r = await runMain(['install', '--claude-code'], { cwd: e.HOME!, env: e });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"hooks" in .* is not an object/);
  });

  it("--project writes the repository's .claude/settings.json; uninstall removes the file it created", async () => {
    const e = env();
    const repo = gitRepo({ 'README.md': 'x\n' });
    const r = await runMain(['install', '--claude-code', '--project'], { cwd: repo, env: e });
    expect(r.code).toBe(0);
    const path = join(repo, '.claude/settings.json');
    expect(JSON.parse(readFileSync(path, 'utf8')).hooks.UserPromptSubmit).toHaveLength(1);
    expect(existsSync(join(e.HOME!, '.claude/settings.json'))).toBe(false);
    await runMain(['uninstall', '--claude-code', '--project'], { cwd: repo, env: e });
    expect(existsSync(path)).toBe(false);
  });
});

const CODEX_CONFIG = `# my Codex config
model = "gpt-5.5"   # the default model
approval_policy = "on-request"

# providers I use
[model_providers.local]
name = "local"
base_url = "http://127.0.0.1:8080/v1"

[[hooks.PreToolUse]]
matcher = "Bash"
[[hooks.PreToolUse.hooks]]
type = "command"
command = "~/bin/check-bash"

[projects."/home/u/app"]
trust_level = "trusted"
`;

describe('keyguard install --codex', () => {
  it('a FIFO where config.toml should be is neither read nor replaced: exit 2, nothing waits for a writer', async () => {
    const e = env();
    mkdirSync(join(e.HOME!, '.codex'), { recursive: true });
    const path = join(e.HOME!, '.codex/config.toml');
    execFileSync('mkfifo', [path]);
    const r = await runMain(['install', '--codex'], { cwd: e.HOME!, env: e });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a regular file');
    expect(lstatSync(path).isFIFO()).toBe(true);
  });

  it('adds a marked block to config.toml, keeps comments and tables, twice = once, uninstall gives back the bytes', async () => {
    const e = env();
    const path = join(e.HOME!, '.codex/config.toml');
    writeFiles(e.HOME!, { '.codex/config.toml': CODEX_CONFIG });
    const r = await runMain(['install', '--codex'], { cwd: e.HOME!, env: e });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`added the Codex guard to ${path}`);
    expect(r.stdout).toMatch(/type \/hooks, and trust the five 'keyguard hook codex' hooks/);
    expect(r.stdout).toMatch(/persistence = "none"/);
    const after = readFileSync(path, 'utf8');
    for (const line of CODEX_CONFIG.split('\n')) expect(after).toContain(line);
    expect(after).toContain('# >>> keyguard agent-guard v1 >>>');
    type Parsed = { model: string; approval_policy: string; model_providers: { local: { base_url: string } }; hooks: Record<string, unknown[]> };
    const t = parseToml(after) as Parsed;
    expect(t.model).toBe('gpt-5.5');
    expect(t.approval_policy).toBe('on-request');
    expect(t.model_providers.local.base_url).toBe('http://127.0.0.1:8080/v1');
    const handler = { type: 'command', command: 'keyguard hook codex', timeout: 30 };
    expect(t.hooks.UserPromptSubmit).toEqual([{ hooks: [handler] }]);
    expect(t.hooks.PreToolUse).toContainEqual({ matcher: 'Bash', hooks: [{ type: 'command', command: '~/bin/check-bash' }] });
    expect(t.hooks.PreToolUse).toContainEqual({ matcher: '*', hooks: [handler] });
    expect(t.hooks.PostToolUse).toEqual([{ matcher: '*', hooks: [handler] }]);
    // a line the user appends later still lands in their own last table, not in keyguard's
    const appended = parseToml(`${after}extra = 1\n`) as { projects: Record<string, { extra?: number }> };
    expect(appended.projects['/home/u/app']?.extra).toBe(1);
    expect(backups(e)).toHaveLength(1);

    expect((await runMain(['install', '--codex'], { cwd: e.HOME!, env: e })).stdout).toContain('already in');
    expect(readFileSync(path, 'utf8')).toBe(after);

    await runMain(['uninstall', '--codex'], { cwd: e.HOME!, env: e });
    expect(readFileSync(path, 'utf8')).toBe(CODEX_CONFIG);
  });

  it.each([
    ['no final newline, top-level keys only', 'model = "o3"  # mine'],
    ['comments only', '# nothing yet\n'],
    ['an empty file', ''],
    ['CRLF', CODEX_CONFIG.replace(/\n/g, '\r\n')],
  ])('%s: installs where it parses, uninstall restores the bytes', async (_name, original) => {
    const e = env();
    const path = join(e.HOME!, '.codex/config.toml');
    writeFiles(e.HOME!, { '.codex/config.toml': original });
    expect((await runMain(['install', '--codex'], { cwd: e.HOME!, env: e })).code).toBe(0);
    const t = parseToml(readFileSync(path, 'utf8')) as { hooks: Record<string, unknown[]> };
    expect(t.hooks.PostToolUse).toHaveLength(1);
    await runMain(['uninstall', '--codex'], { cwd: e.HOME!, env: e });
    expect(readFileSync(path, 'utf8')).toBe(original);
  });

  it('CODEX_HOME with no config.toml: creates it, and uninstall removes it again', async () => {
    const e = env();
    const home = join(tempDir(), 'codex-home');
    e.CODEX_HOME = home;
    await runMain(['install', '--codex'], { cwd: e.HOME!, env: e });
    expect(parseToml(readFileSync(join(home, 'config.toml'), 'utf8'))).toHaveProperty('hooks.UserPromptSubmit');
    await runMain(['uninstall', '--codex'], { cwd: e.HOME!, env: e });
    expect(existsSync(join(home, 'config.toml'))).toBe(false);
  });

  it.each([
    ['not TOML', 'model = "gpt-5.5\n[broken\n', /is not valid TOML/],
    ['hooks as a static array', '[hooks]\nPreToolUse = []\n', /cannot be added without changing what the file means/],
    ['unbalanced markers', '# >>> keyguard agent-guard v1 >>>\nmodel = "x"\n', /not as one block/],
  ])('refuses %s and leaves the file as it was', async (_name, original, message) => {
    const e = env();
    const path = join(e.HOME!, '.codex/config.toml');
    writeFiles(e.HOME!, { '.codex/config.toml': original });
    const r = await runMain(['install', '--codex'], { cwd: e.HOME!, env: e });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(readFileSync(path, 'utf8')).toBe(original);
    expect(backups(e)).toHaveLength(0);
  });

  it('says when the config keeps hooks from running', async () => {
    const e = env();
    writeFiles(e.HOME!, {
      '.codex/config.toml': 'allow_managed_hooks_only = true\n[features]\nhooks = false\n[history]\npersistence = "none"\n',
      '.codex/hooks.json': '{"hooks":{}}\n',
    });
    const r = await runMain(['install', '--codex'], { cwd: e.HOME!, env: e });
    expect(r.stdout).toMatch(/turns hooks off/);
    // a requirements.toml key, which Codex 0.171 ignores in config.toml: not a reason to warn
    expect(r.stdout).not.toMatch(/allow_managed_hooks_only/);
    expect(r.stdout).not.toMatch(/history\.jsonl/);
    expect(r.stdout).toMatch(/hooks\.json sits next to this config\.toml/);
  });

  it('an updated block is replaced in place', async () => {
    const e = env();
    const path = join(e.HOME!, '.codex/config.toml');
    writeFiles(e.HOME!, { '.codex/config.toml': CODEX_CONFIG });
    await runMain(['install', '--codex'], { cwd: e.HOME!, env: e });
    const installed = readFileSync(path, 'utf8');
    writeFileSync(path, installed.replace(/timeout = 30/g, 'timeout = 5'));
    await runMain(['install', '--codex'], { cwd: e.HOME!, env: e });
    expect(readFileSync(path, 'utf8')).toBe(installed);
  });
});
