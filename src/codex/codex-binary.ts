// Asks the installed Codex two read-only questions: its version, and (when the login lives in the
// OS keyring, where keyguard cannot look) `codex login status`. Short timeouts: a hung binary must
// not hang the check.
import type { LoginStatus, VersionFact } from './facts.js';
import { parseVersion, versionText, type Version } from './semver.js';
import { runProgram, type Ran } from '../run-program.js';

const TIMEOUT_MS = 3000;
const MAX_OUTPUT = 64 * 1024;

function run(args: string[], env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<Ran> {
  // npm installs a `codex.cmd` shim on Windows, which only a shell can start.
  return runProgram('codex', args, env, { timeoutMs: TIMEOUT_MS, maxOutput: MAX_OUTPUT, shell: platform === 'win32' });
}

export async function codexVersion(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<{ fact: VersionFact; version?: Version }> {
  const r = await run(['--version'], env, platform);
  if (r.errorCode === 'ENOENT') return { fact: { problem: 'codex is not on PATH' } };
  if (r.errorCode) return { fact: { problem: `codex --version could not run (${r.errorCode})` } };
  if (r.timedOut) return { fact: { problem: `codex --version did not answer within ${TIMEOUT_MS / 1000}s` } };
  const out = `${r.stdout}\n${r.stderr}`.trim();
  const version = parseVersion(out);
  if (!version) return { fact: { problem: `codex --version printed no version${out ? ` (${out.split('\n')[0]?.slice(0, 80)})` : ''}` } };
  return { fact: { raw: versionText(version) }, version };
}

/**
 * `codex login status` (0.171 strings, and the older ones the reference lists). Every line counts:
 * Codex may print unrelated warnings first (0.171: "WARNING: proceeding, even though we could not
 * update PATH…"), and what we quote is the line that says the state or the error.
 */
export function parseLoginStatus(output: string): LoginStatus {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const line = (re: RegExp): string | undefined => lines.find((l) => re.test(l));
  const chatgpt = line(/Logged in using ChatGPT/i);
  if (chatgpt) return { state: 'chatgpt', text: chatgpt };
  const apikey = line(/API key configured|Logged in using an API key/i);
  if (apikey) return { state: 'apikey', text: apikey };
  // 0.36–0.45 said "No such file or directory" when nothing was stored.
  const none = line(/Not logged in|No such file or directory \(os error 2\)/i);
  if (none) return { state: 'none', text: none };
  const other = line(/Logged in using/i);
  if (other) return { state: 'other', text: other };
  const error = line(/^Error\b/i) ?? line(/error|fail|keyring|denied/i) ?? lines.find((l) => !/^WARNING\b/i.test(l)) ?? lines[0];
  return { state: 'error', text: error ?? 'no output' };
}

export async function codexLoginStatus(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<LoginStatus | undefined> {
  const r = await run(['login', 'status'], env, platform);
  if (r.errorCode) return undefined;
  if (r.timedOut) return { state: 'error', text: `codex login status did not answer within ${TIMEOUT_MS / 1000}s` };
  return parseLoginStatus(`${r.stderr}\n${r.stdout}`);
}
