// The agent guard's cost: `keyguard hook claude-code` runs on every prompt and every tool call. A clean
// prompt and a clean 130 KB tool output, against bare Node start-up (`node -e 0`) measured in the same
// run, interleaved so that machine load hits both alike. Goal: at most 1.7x Node's own start-up.
// Part of the default run; `npm run bench -- agent-hook` runs it alone.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, WORK, measure, median, row, verdict } from './lib.mjs';
import { corpusKey } from './keys.mjs';

const RUNS = 21;
const HOME = join(WORK, 'agent-hook', 'home');

const event = (e) => JSON.stringify({ session_id: 's', transcript_path: '/tmp/t.jsonl', cwd: '/tmp', permission_mode: 'default', ...e });
const PROMPT = event({ hook_event_name: 'UserPromptSubmit', prompt: 'refactor the request parser and keep the tests green, the key is in $OPENAI_API_KEY' });
const OUTPUT = event({
  hook_event_name: 'PostToolUse',
  tool_name: 'Bash',
  tool_input: { command: 'cat build.log' },
  tool_response: { stdout: Array.from({ length: 2500 }, (_, i) => `line ${i}: compiled module ${i} in ${i % 97} ms, 0 warnings`).join('\n'), stderr: '' },
});

export async function bench() {
  mkdirSync(HOME, { recursive: true });
  const env = { HOME, OPENAI_API_KEY: '', CODEX_API_KEY: '' };
  const hook = (input) => measure(process.execPath, [CLI, 'hook', 'claude-code'], { env, input });
  const blocked = hook(event({ hook_event_name: 'UserPromptSubmit', prompt: `use ${corpusKey(5)} please` }));
  const nodeRuns = [];
  const promptRuns = [];
  const outputRuns = [];
  for (let i = 0; i < RUNS; i++) {
    nodeRuns.push(measure(process.execPath, ['-e', '0']));
    promptRuns.push(hook(PROMPT));
    outputRuns.push(hook(OUTPUT));
  }
  const nodeMs = median(nodeRuns.map((m) => m.wallMs));
  const promptMs = median(promptRuns.map((m) => m.wallMs));
  const outputMs = median(outputRuns.map((m) => m.wallMs));
  const pick = (runs, ms) => runs.find((m) => m.wallMs === ms);
  row('agent hook', 'node -e 0', pick(nodeRuns, nodeMs), `median of ${RUNS}`);
  row('agent hook', 'clean prompt', pick(promptRuns, promptMs), `median of ${RUNS}`);
  row('agent hook', `clean output (${(OUTPUT.length / 1024).toFixed(0)} KB)`, pick(outputRuns, outputMs), `median of ${RUNS}`);
  const a = verdict(blocked.code === 0 && /"decision":"block"/.test(blocked.stdout), 'a prompt with a key is blocked');
  const clean = [...promptRuns, ...outputRuns].every((m) => m.code === 0 && m.stdout === '');
  const b = verdict(clean, 'clean prompts and outputs pass with no reply');
  const worst = Math.max(promptMs, outputMs) / nodeMs;
  const slowest = Math.max(promptMs, outputMs).toFixed(0);
  const c = verdict(worst <= 1.7, `keyguard hook at most 1.7x node start-up (${worst.toFixed(2)}x: ${slowest} ms vs ${nodeMs.toFixed(0)} ms)`);
  return { ok: a && b && c };
}
