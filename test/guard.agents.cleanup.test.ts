// After a block, the agents still write what was blocked to their own files (reference/prevention.md
// A3). `keyguard hook` notes the block (fingerprint, transcript path, session id; never the key) and
// redacts those copies at the end of the turn (Stop), the end of the session (SessionEnd) or the next
// prompt. The payloads below were recorded from Codex 0.171.0 and Claude Code 2.1.332.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../src/engine/fingerprint.js';
import { redactionMarker } from '../src/fix/redact-bytes.js';
import { keyFor } from './helpers/keys.js';
import { CLI, gitEnv, runCli, tempDir, writeFiles, type CliResult } from './helpers/tmp.js';
import { runMain } from './helpers/main.js';

const KEY = keyFor('project_164', 1301);
const OTHER = keyFor('svcacct_167', 1302);
const SESSION = 'ffc53eb6-e947-4819-8f51-a6f5de478e5c';
const CODEX_SESSION = '01a22518-bcbd-7c41-8ee4-215eadb71fb8';

type Agent = 'codex' | 'claude-code';

interface Place {
  home: string;
  env: NodeJS.ProcessEnv;
  transcript: string;
  /** $CODEX_HOME/history.jsonl */
  history: string;
  state: string;
}

function place(): Place {
  const home = tempDir('kg-clean-home-');
  const env = gitEnv({ HOME: home, OPENAI_API_KEY: '', CODEX_API_KEY: '', NO_COLOR: '1', CODEX_HOME: join(home, '.codex') });
  mkdirSync(join(home, '.codex', 'sessions'), { recursive: true });
  mkdirSync(join(home, '.claude', 'projects', '-work'), { recursive: true });
  return {
    home,
    env,
    transcript: join(home, '.claude', 'projects', '-work', `${SESSION}.jsonl`),
    history: join(home, '.codex', 'history.jsonl'),
    state: join(home, '.local', 'state', 'keyguard', 'pending-redactions'),
  };
}

function hook(agent: Agent, event: unknown, p: Place): CliResult {
  const r = runCli(['hook', agent], { cwd: p.home, env: p.env, input: JSON.stringify(event) });
  for (const k of [KEY, OTHER]) expect(r.stdout + r.stderr).not.toContain(k);
  return r;
}

// ---- recorded payloads ----

function claudePrompt(p: Place, prompt: string) {
  return {
    session_id: SESSION,
    transcript_path: p.transcript,
    cwd: '/work',
    prompt_id: 'ac5474d6-ca00-41a8-be78-ca9bfdac4230',
    permission_mode: 'acceptEdits',
    effort: 'high',
    hook_event_name: 'UserPromptSubmit',
    prompt,
  };
}

/** Claude Code 2.1.332, `claude -p` after a blocked prompt: SessionEnd is the only later event. */
function claudeSessionEnd(p: Place) {
  return {
    session_id: SESSION,
    transcript_path: p.transcript,
    cwd: '/work',
    prompt_id: 'ac5474d6-ca00-41a8-be78-ca9bfdac4230',
    hook_event_name: 'SessionEnd',
    reason: 'other',
  };
}

function claudeStop(p: Place) {
  return { session_id: SESSION, transcript_path: p.transcript, cwd: '/work', permission_mode: 'acceptEdits', hook_event_name: 'Stop', stop_hook_active: false };
}

function codexRollout(p: Place): string {
  return join(p.home, '.codex', 'sessions', `rollout-2026-11-29T02-18-27-${CODEX_SESSION}.jsonl`);
}

function codexPrompt(p: Place, prompt: string) {
  return {
    session_id: CODEX_SESSION,
    turn_id: '01a22518-bcde-77d2-b933-c9cad883968a',
    transcript_path: codexRollout(p),
    cwd: '/work',
    hook_event_name: 'UserPromptSubmit',
    model: 'gpt-5.5',
    permission_mode: 'bypassPermissions',
    prompt,
  };
}

function codexPreTool(p: Place, command: string) {
  return { ...codexPrompt(p, ''), hook_event_name: 'PreToolUse', prompt: undefined, tool_name: 'Bash', tool_use_id: 'call_1', tool_input: { command } };
}

/** Codex 0.171.0 `codex exec`, recorded. */
function codexStop(p: Place) {
  return {
    session_id: CODEX_SESSION,
    turn_id: '01a22518-bcde-77d2-b933-c9cad883968a',
    transcript_path: codexRollout(p),
    cwd: '/work',
    hook_event_name: 'Stop',
    model: 'gpt-5.5',
    permission_mode: 'bypassPermissions',
    stop_hook_active: false,
    last_assistant_message: 'done',
  };
}

function codexSessionEnd(p: Place) {
  return { session_id: CODEX_SESSION, transcript_path: codexRollout(p), cwd: '/work', hook_event_name: 'SessionEnd', reason: 'other' };
}

// ---- what the agents write ----

/** The `queue-operation` line Claude Code 2.1.332 writes for a blocked `-p` prompt (shape as measured). */
function enqueueLine(prompt: string): string {
  return `${JSON.stringify({ type: 'queue-operation', operation: 'enqueue', timestamp: '2026-11-29T02:18:00.000Z', sessionId: SESSION, content: prompt })}\n`;
}

function historyLine(prompt: string): string {
  return `${JSON.stringify({ session_id: CODEX_SESSION, ts: 1795918700, text: prompt })}\n`;
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

function everyLineJson(text: string): void {
  for (const line of text.split('\n').filter((l) => l !== '')) expect(() => JSON.parse(line)).not.toThrow();
}

const BLOCKED = /^\{"decision":"block","reason":"keyguard: this prompt holds an OpenAI API key: [^"]*"/;

describe('after a blocked prompt, the agent’s copies are redacted at a later event', () => {
  it('claude-code: the record holds the fingerprint, transcript path and session id, never the key (0700/0600)', () => {
    const p = place();
    const r = hook('claude-code', claudePrompt(p, `use ${KEY} for the client`), p);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(BLOCKED);
    const [record, ...more] = files(p.state);
    expect(more).toEqual([]);
    const text = readFileSync(record!, 'utf8');
    expect(text).not.toContain(KEY);
    expect(JSON.parse(text)).toMatchObject({ version: 1, agent: 'claude-code', sessionId: SESSION, fingerprints: [fingerprint(KEY)], files: [p.transcript] });
    expect(statSync(record!).mode & 0o777).toBe(0o600);
    for (let dir = join(record!, '..'); dir.length >= p.state.length - 'pending-redactions'.length; dir = join(dir, '..')) {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
    }
  });

  it('claude-code: the key the agent wrote after the block is gone after SessionEnd; other keys and lines stay', () => {
    const p = place();
    writeFileSync(p.transcript, `${JSON.stringify({ type: 'user', message: { content: `an older message with ${OTHER}` } })}\n`);
    expect(hook('claude-code', claudePrompt(p, `use ${KEY} for the client`), p).stdout).toMatch(BLOCKED);
    // as measured: Claude Code then writes the blocked prompt to the transcript, twice with exit 2
    appendFileSync(p.transcript, enqueueLine(`use ${KEY} for the client`) + enqueueLine(`again: ${KEY}`));
    const before = readFileSync(p.transcript, 'utf8');

    const r = hook('claude-code', claudeSessionEnd(p), p);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const after = readFileSync(p.transcript, 'utf8');
    expect(after).not.toContain(KEY);
    expect(after).toBe(before.split(KEY).join(redactionMarker(KEY)));
    expect(after).toContain(OTHER);
    everyLineJson(after);
    expect(files(p.state)).toEqual([]);
  });

  it('claude-code: Stop redacts while the agent keeps appending, and no appended line is lost', async () => {
    const p = place();
    expect(hook('claude-code', claudePrompt(p, `key ${KEY}`), p).stdout).toMatch(BLOCKED);
    // a large transcript, so the redaction takes a while, with the key at its start and end
    const filler = `${JSON.stringify({ type: 'assistant', message: { content: 'x'.repeat(2000) } })}\n`.repeat(3000);
    writeFileSync(p.transcript, enqueueLine(`key ${KEY}`) + filler + enqueueLine(`key ${KEY}`));
    // the agent, still writing: an O_APPEND writer adding numbered lines while the Stop hook runs
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `const fs=require('fs');const fd=fs.openSync(process.argv[1],'a');let i=0;` +
          `const t=setInterval(()=>{fs.writeSync(fd,JSON.stringify({type:'progress',n:i})+'\\n');if(++i===300){clearInterval(t);fs.closeSync(fd);}},2);`,
        p.transcript,
      ],
      { stdio: 'ignore' },
    );
    const stop = spawn(process.execPath, [CLI, 'hook', 'claude-code'], { cwd: p.home, env: p.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    stop.stdout.on('data', (b: Buffer) => (out += b.toString()));
    stop.stdin.end(JSON.stringify(claudeStop(p)));
    const [code] = await Promise.all([new Promise((r) => stop.on('close', r)), new Promise((r) => writer.on('close', r))]);
    expect(code).toBe(0);
    expect(out).toBe('');
    const after = readFileSync(p.transcript, 'utf8');
    expect(after).not.toContain(KEY);
    expect(after.split(redactionMarker(KEY))).toHaveLength(3);
    const progress = after.split('\n').filter((l) => l.includes('"progress"'));
    expect(progress.map((l) => (JSON.parse(l) as { n: number }).n)).toEqual([...Array(300).keys()]);
    everyLineJson(after);
  });

  it('claude-code: the next prompt cleans up too; its reply stays exactly the clean one', () => {
    const p = place();
    hook('claude-code', claudePrompt(p, `key ${KEY}`), p);
    appendFileSync(p.transcript, enqueueLine(`key ${KEY}`));
    expect(hook('claude-code', claudePrompt(p, 'the key is in $OPENAI_API_KEY now'), p)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(p.transcript, 'utf8')).not.toContain(KEY);
    expect(files(p.state)).toEqual([]);
  });

  it('a transcript not written yet keeps the record for a later event; SessionEnd ends it', () => {
    const p = place();
    hook('claude-code', claudePrompt(p, `key ${KEY}`), p);
    expect(hook('claude-code', claudeStop(p), p)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(files(p.state)).toHaveLength(1);
    appendFileSync(p.transcript, enqueueLine(`key ${KEY}`));
    expect(hook('claude-code', claudeSessionEnd(p), p)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(p.transcript, 'utf8')).not.toContain(KEY);
    expect(files(p.state)).toEqual([]);
  });

  it('codex: a blocked prompt in history.jsonl and a denied command in the rollout are redacted at Stop', () => {
    const p = place();
    expect(hook('codex', codexPrompt(p, `use ${KEY}`), p).stdout).toMatch(BLOCKED);
    appendFileSync(p.history, historyLine('an earlier prompt') + historyLine(`use ${KEY}`));
    const denied = hook('codex', codexPreTool(p, `echo ${OTHER} > .env`), p);
    expect(denied.stdout).toMatch(/"permissionDecision":"deny"/);
    // as measured: Codex writes the denied command, key included, into the rollout
    writeFileSync(
      codexRollout(p),
      `${JSON.stringify({ type: 'function_call_output', output: `Command blocked by PreToolUse hook: … Command: echo ${OTHER} > .env` })}\n`,
    );
    expect(files(p.state)).toHaveLength(2);

    expect(hook('codex', codexStop(p), p)).toEqual({ code: 0, stdout: '', stderr: '' });
    const history = readFileSync(p.history, 'utf8');
    expect(history).not.toContain(KEY);
    expect(history).toContain('an earlier prompt');
    expect(readFileSync(codexRollout(p), 'utf8')).not.toContain(OTHER);
    everyLineJson(history);
    expect(files(p.state)).toEqual([]);
  });

  it('a key that was not blocked in this session is left alone, and another session’s record is not used', () => {
    const p = place();
    hook('codex', { ...codexPrompt(p, `use ${KEY}`), session_id: 'another-session' }, p);
    writeFileSync(codexRollout(p), historyLine(`use ${KEY}`) + historyLine(`and ${OTHER}`));
    const before = readFileSync(codexRollout(p), 'utf8');
    expect(hook('codex', codexSessionEnd(p), p)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(codexRollout(p), 'utf8')).toBe(before);
    expect(files(p.state)).toHaveLength(1);
  });
});

describe('Stop and SessionEnd with nothing blocked in the session', () => {
  it.each([
    ['codex Stop', 'codex', codexStop],
    ['codex SessionEnd', 'codex', codexSessionEnd],
    ['claude-code Stop', 'claude-code', claudeStop],
    ['claude-code SessionEnd', 'claude-code', claudeSessionEnd],
  ] as const)('%s: exit 0, no output, the transcript untouched', (_name, agent, event) => {
    const p = place();
    writeFileSync(codexRollout(p), historyLine(`use ${KEY}`));
    writeFileSync(p.transcript, enqueueLine(`use ${KEY}`));
    expect(hook(agent, event(p), p)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(codexRollout(p), 'utf8')).toContain(KEY);
    expect(readFileSync(p.transcript, 'utf8')).toContain(KEY);
    expect(existsSync(p.state)).toBe(false);
  });

  const strace = spawnSync('strace', ['-o', '/dev/null', 'true']).status === 0;
  it.skipIf(!strace)('opens no file under the home but the (missing) session folder: not the transcript, not the shell profiles', () => {
    const p = place();
    writeFiles(p.home, { '.zshrc': `export OPENAI_API_KEY=${KEY}\n` });
    writeFileSync(p.transcript, enqueueLine('hello'));
    const log = join(tempDir('kg-strace-'), 'trace');
    const r = spawnSync('strace', ['-f', '-e', 'trace=open,openat,stat,newfstatat,statx', '-o', log, process.execPath, CLI, 'hook', 'claude-code'], {
      cwd: p.home,
      env: p.env,
      input: JSON.stringify(claudeStop(p)),
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const touched = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l.includes(`"${p.home}`))
      .map((l) => /"([^"]*)"/.exec(l)![1]!);
    expect(touched.length).toBeGreaterThan(0);
    for (const path of touched) expect(path.startsWith(p.state)).toBe(true);
  });
});

// ---- installers: the extra events ----

describe('install registers Stop and SessionEnd; uninstall removes them', () => {
  it('claude-code', async () => {
    const home = tempDir('kg-clean-home-');
    const e = gitEnv({ HOME: home, OPENAI_API_KEY: '', CODEX_API_KEY: '' });
    const original = `${JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }] } }, null, 2)}\n`;
    writeFiles(home, { '.claude/settings.json': original });
    await runMain(['install', '--claude-code'], { cwd: home, env: e });
    const path = join(home, '.claude/settings.json');
    const s = JSON.parse(readFileSync(path, 'utf8')) as { hooks: Record<string, unknown[]> };
    const handler = { type: 'command', command: 'keyguard hook claude-code', timeout: 30 };
    expect(s.hooks.Stop).toEqual([{ hooks: [{ type: 'command', command: 'notify-send done' }] }, { hooks: [handler] }]);
    expect(s.hooks.SessionEnd).toEqual([{ hooks: [handler] }]);
    const installed = readFileSync(path, 'utf8');
    expect((await runMain(['install', '--claude-code'], { cwd: home, env: e })).stdout).toContain('already in');
    expect(readFileSync(path, 'utf8')).toBe(installed);
    await runMain(['uninstall', '--claude-code'], { cwd: home, env: e });
    expect(readFileSync(path, 'utf8')).toBe(original);
  });

  it('codex: a guard installed before (three events) is brought up to five in place', async () => {
    const home = tempDir('kg-clean-home-');
    const e = gitEnv({ HOME: home, OPENAI_API_KEY: '', CODEX_API_KEY: '' });
    const path = join(home, '.codex/config.toml');
    writeFiles(home, { '.codex/config.toml': 'model = "gpt-5.5"\n' });
    await runMain(['install', '--codex'], { cwd: home, env: e });
    const five = readFileSync(path, 'utf8');
    const handler = { type: 'command', command: 'keyguard hook codex', timeout: 30 };
    const t = parseToml(five) as { hooks: Record<string, unknown[]> };
    expect(t.hooks.Stop).toEqual([{ hooks: [handler] }]);
    // Codex gives SessionEnd at most 3 s: the config says what Codex applies
    expect(t.hooks.SessionEnd).toEqual([{ hooks: [{ ...handler, timeout: 3 }] }]);
    const three = five.replace(/\[\[hooks\.Stop\]\][\s\S]*?(?=# <<<)/, '');
    expect(parseToml(three)).not.toHaveProperty('hooks.Stop');
    writeFileSync(path, three);
    expect((await runMain(['install', '--codex'], { cwd: home, env: e })).stdout).toContain('added the Codex guard');
    expect(readFileSync(path, 'utf8')).toBe(five);
    await runMain(['uninstall', '--codex'], { cwd: home, env: e });
    expect(readFileSync(path, 'utf8')).toBe('model = "gpt-5.5"\n');
  });
});

// ---- install --codex: history persistence and trust ----

const CONFIG = `# my Codex config
model = "gpt-5.5"   # the default

# providers
[model_providers.local]
name = "local"
base_url = "http://127.0.0.1:8080/v1"
`;

describe('install --codex --codex-history', () => {
  async function install(config: string | undefined, ...args: string[]) {
    const home = tempDir('kg-clean-home-');
    const e = gitEnv({ HOME: home, OPENAI_API_KEY: '', CODEX_API_KEY: '' });
    if (config !== undefined) writeFiles(home, { '.codex/config.toml': config });
    const r = await runMain(['install', '--codex', ...args], { cwd: home, env: e });
    const path = join(home, '.codex/config.toml');
    return { r, path, home, e, text: existsSync(path) ? readFileSync(path, 'utf8') : undefined };
  }

  it('none: writes [history] persistence = "none", keeps comments and tables, explains the trade-off; twice = once', async () => {
    const { r, path, home, e, text } = await install(CONFIG, '--codex-history', 'none');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[history\] persistence = "none" set: Codex no longer writes prompts to \$CODEX_HOME\/history\.jsonl/);
    expect(r.stdout).toMatch(/trade-off: no recall of earlier prompts/);
    for (const line of CONFIG.split('\n')) expect(text).toContain(line);
    const t = parseToml(text!) as { history: { persistence: string }; model_providers: { local: { name: string } } };
    expect(t.history).toEqual({ persistence: 'none' });
    expect(t.model_providers.local.name).toBe('local');
    expect(text!.endsWith('[history]\npersistence = "none"\n')).toBe(true);
    const again = await runMain(['install', '--codex', '--codex-history', 'none'], { cwd: home, env: e });
    expect(again.stdout).toContain('already in');
    expect(again.stdout).toContain('persistence = "none" already set');
    expect(readFileSync(path, 'utf8')).toBe(text);
    // uninstall takes the hooks, not the user's history choice
    await runMain(['uninstall', '--codex'], { cwd: home, env: e });
    expect(parseToml(readFileSync(path, 'utf8'))).toEqual({ ...(parseToml(CONFIG) as object), history: { persistence: 'none' } });
  });

  it('an existing [history] table: the setting is changed there, other keys and comments stay', async () => {
    const config = `${CONFIG}\n[history]\n# keep it small\npersistence = "save-all"  # default\nmax_bytes = 1048576\n\n[tui]\nanimations = false\n`;
    const { r, text } = await install(config, '--codex-history', 'none');
    expect(r.code).toBe(0);
    expect(text).toContain('# keep it small\npersistence = "none"\nmax_bytes = 1048576\n\n[tui]');
    expect(parseToml(text!)).toMatchObject({ history: { persistence: 'none', max_bytes: 1048576 }, tui: { animations: false } });
  });

  it('a [history] table without the setting gets it under its header; save-all sets it back', async () => {
    const { text } = await install(`${CONFIG}[history]\nmax_bytes = 10\n`, '--codex-history', 'none');
    expect(text).toContain('[history]\npersistence = "none"\nmax_bytes = 10\n');
    const back = await install(text, '--codex-history', 'save-all');
    expect(parseToml(back.text!)).toMatchObject({ history: { persistence: 'save-all', max_bytes: 10 } });
  });

  it('no config.toml yet: one is made with the hooks and the setting', async () => {
    const { r, text } = await install(undefined, '--codex-history', 'none');
    expect(r.code).toBe(0);
    expect(parseToml(text!)).toMatchObject({ history: { persistence: 'none' }, hooks: { Stop: [{}] } });
  });

  it.each([
    ['dotted keys', `history.max_bytes = 10\n${CONFIG}`],
    ['an inline table', `history = { max_bytes = 10 }\n${CONFIG}`],
  ])('%s: refused, nothing written', async (_name, config) => {
    const { r, text } = await install(config, '--codex-history', 'none');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot set \[history\] persistence there .* Set it by hand: \[history\] persistence = "none"/);
    expect(text).toBe(config);
  });

  it('without the flag: the suggestion and its trade-off are printed, the file gets no [history]', async () => {
    const { r, text } = await install(CONFIG);
    expect(r.stdout).toMatch(/keyguard install --codex --codex-history none \(sets \[history\] persistence = "none" in config\.toml; the trade-off/);
    expect(parseToml(text!)).not.toHaveProperty('history');
  });

  it.each([
    [['--codex-history', 'off'], /takes none or save-all/],
    [['--codex-history', 'none', '--claude-code'], /./],
  ])('bad use: %s', async (args, message) => {
    const home = tempDir('kg-clean-home-');
    const e = gitEnv({ HOME: home, OPENAI_API_KEY: '', CODEX_API_KEY: '' });
    const r = await runMain(['install', '--codex', ...args], { cwd: home, env: e });
    if (args.includes('off')) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    } else expect(r.code).toBe(0);
    const un = await runMain(['uninstall', '--codex', '--codex-history', 'none'], { cwd: home, env: e });
    expect(un.code).toBe(2);
    expect(un.stderr).toMatch(/--codex-history goes with install --codex/);
  });

  it('says that Codex skips untrusted hooks (silently in codex exec) and how to trust them', async () => {
    const { r } = await install(CONFIG);
    expect(r.stdout).toContain('Codex skips a new or changed hook until you trust it, and `codex exec` skips it without a word');
    expect(r.stdout).toContain("start `codex` (the interactive CLI), type /hooks, and trust the five 'keyguard hook codex' hooks");
    expect(r.stdout).toContain('codex exec --dangerously-bypass-hook-trust');
    const project = await runMain(['install', '--codex', '--project'], { cwd: tempDir('kg-proj-'), env: gitEnv({ HOME: tempDir('kg-h-') }) });
    expect(project.stdout).toMatch(/only when that project is trusted .*codex exec --trust/);
  });
});
