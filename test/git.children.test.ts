// Every git process keyguard starts ends with it: a staged blob too large to hold, cut short after
// sniffing, must not leave `git cat-file` behind (the commit used to hang for ever after the summary),
// and an interrupted history scan takes its git children with it.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyFor } from './helpers/keys.js';
import { CLI, git, gitEnv, gitRepo, hookEnv, runCli, writeFiles } from './helpers/tmp.js';

const MiB = 1024 * 1024;
/** far above what any of these runs needs, far below vitest's own timeout */
const BOUND_MS = 45_000;

/** Run to the end or to BOUND_MS, whichever comes first; `timedOut` says which. */
interface Bounded {
  code: number | null;
  stdout: string;
  out: string;
  timedOut: boolean;
}

function bounded(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Bounded {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: BOUND_MS, killSignal: 'SIGKILL', maxBuffer: 64 * MiB });
  return { code: r.status, stdout: r.stdout, out: `${r.stdout}${r.stderr}`, timedOut: r.signal === 'SIGKILL' };
}

describe('a staged blob read only in part', () => {
  it('a 40 MiB binary commits through the installed hook, and the hook ends', () => {
    const dir = gitRepo({ 'README.md': 'hello\n' });
    const env = hookEnv();
    expect(runCli(['install'], { cwd: dir, env }).code).toBe(0);
    writeFiles(dir, { 'model.bin': randomBytes(40 * MiB) });
    git(dir, ['add', 'model.bin']);
    const r = bounded('git', ['commit', '-q', '-m', 'add the model'], dir, env);
    expect(r.timedOut, `the commit was still running after ${BOUND_MS} ms:\n${r.out}`).toBe(false);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/1 binary/);
    expect(r.out).toMatch(/; 0 findings/);
    expect(git(dir, ['log', '-1', '--format=%s']).trim()).toBe('add the model');
  });

  it('keyguard scan --staged with a staged 40 MiB binary ends', () => {
    const dir = gitRepo({ 'README.md': 'hello\n' });
    writeFiles(dir, { 'data.bin': randomBytes(40 * MiB) });
    git(dir, ['add', 'data.bin']);
    const r = bounded(process.execPath, [CLI, 'scan', '--staged'], dir, gitEnv({ HOME: dir, OPENAI_API_KEY: '', CODEX_API_KEY: '' }));
    expect(r.timedOut, `scan --staged was still running after ${BOUND_MS} ms:\n${r.out}`).toBe(false);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/1 binary/);
  });

  it('a 40 MiB staged text git treats as binary (-diff) is sniffed, then streamed whole: the key at its end is found', () => {
    const key = keyFor('project_164', 91);
    const dir = gitRepo({ '.gitattributes': '*.log -diff\n' });
    const line = `${'x'.repeat(99)}\n`;
    const lines = Math.ceil((40 * MiB) / line.length);
    writeFiles(dir, { 'big.log': `${line.repeat(lines)}OPENAI_API_KEY=${key}\n` });
    git(dir, ['add', 'big.log']);
    const r = bounded(process.execPath, [CLI, 'scan', '--staged', '--format', 'json'], dir, gitEnv({ HOME: dir, OPENAI_API_KEY: '', CODEX_API_KEY: '' }));
    expect(r.timedOut, `scan --staged was still running after ${BOUND_MS} ms`).toBe(false);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: Array<{ path: string; line: number }> };
    expect(report.findings.map((f) => [f.path, f.line])).toEqual([['big.log', lines + 1]]);
    expect(r.out).not.toContain(key);
  });
});

/** Live children of `pid` (zombies are dead): pid → command line. */
function childrenOf(pid: number): Map<number, string> {
  const out = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, the last ')' ends it
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === pid && state !== 'Z') out.set(Number(name), readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' '));
    } catch {
      // gone while we looked
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Lines of a text file, shuffled by a fixed seed: git's diff of such a change takes seconds. */
function shuffled(lines: string[], seed: number): string[] {
  const out = [...lines];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('an interrupted history scan', () => {
  it.skipIf(!existsSync('/proc/self/stat'))('SIGINT: keyguard exits as interrupted and leaves no git process behind', async () => {
    const lines = Array.from({ length: 600_000 }, (_, i) => `line ${i} ${(i * 2654435761) % 4294967296}\n`);
    const dir = gitRepo({ 'data.txt': lines.join('') });
    writeFiles(dir, { 'data.txt': shuffled(lines, 7).join('') });
    git(dir, ['commit', '-q', '-am', 'shuffle']);
    const env = gitEnv({ HOME: dir, OPENAI_API_KEY: '', CODEX_API_KEY: '' });
    const child = spawn(process.execPath, [CLI, 'scan', '--history'], { cwd: dir, env, stdio: 'ignore' });
    type Exit = { code: number | null; signal: NodeJS.Signals | null };
    const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const pid = child.pid!;
    // wait until git log is busy diffing the shuffled file
    let gits = new Map<number, string>();
    for (let waited = 0; waited < 20_000; waited += 50) {
      gits = new Map([...childrenOf(pid)].filter(([, cmd]) => cmd.startsWith('git ')));
      if ([...gits.values()].some((cmd) => / log /.test(cmd))) break;
      await sleep(50);
    }
    expect(
      [...gits.values()].some((cmd) => / log /.test(cmd)),
      'git log never started',
    ).toBe(true);
    await sleep(500);
    for (const [p, cmd] of childrenOf(pid)) if (cmd.startsWith('git ')) gits.set(p, cmd);
    child.kill('SIGINT');
    const end = await exited;
    expect(end.signal === 'SIGINT' || end.code === 130, `exit ${JSON.stringify(end)}`).toBe(true);
    // git ends on the SIGTERM keyguard sends; left alone it would go on diffing for seconds
    let left: string[] = [];
    for (let waited = 0; waited <= 1500; waited += 50) {
      left = [...gits].filter(([p]) => alive(p)).map(([p, cmd]) => `${p}: ${cmd}`);
      if (left.length === 0) break;
      await sleep(50);
    }
    for (const [p] of gits) if (alive(p)) process.kill(p, 'SIGKILL');
    expect(left).toEqual([]);
  });
});
