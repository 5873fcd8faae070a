// A real interactive shell in a pseudo-terminal (util-linux `script`), driven like a person types:
// one line at a time, each sent only after the shell printed its prompt again, so the line editor
// (zsh's ZLE, readline, fish's reader) reads every line as typed input.
import { spawn, spawnSync } from 'node:child_process';

/** The path of a program on PATH, or undefined. */
export function which(name: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const out = r.stdout.trim();
  return r.status === 0 && out ? out : undefined;
}

export interface Session {
  /** everything the terminal showed */
  output: string;
  code: number | null;
}

/**
 * Start `command` (e.g. `zsh -i`) in a pty with `env`, wait for `prompt`, type each line after the
 * prompt came back (a line with '\n' in it is typed as a multi-line command), then `exit`; resolve with the transcript once the shell has ended.
 */
export function typeInShell(command: string, env: NodeJS.ProcessEnv, prompt: string, lines: readonly string[], timeoutMs = 20_000): Promise<Session> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let seen = 0;
    let sent = 0;
    const todo = [...lines, 'exit'];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the shell did not finish in ${timeoutMs} ms; it showed:\n${output.slice(-3000)}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      const s = d.toString('utf8');
      output += s;
      // a program that asks the terminal where the cursor is (ESC[6n: .NET's console, so pwsh) waits
      // for an answer a pty behind `script` never gives: answer it (other shells never ask)
      for (let i = s.split('\x1b[6n').length - 1; i > 0; i--) child.stdin.write('\x1b[1;1R');
      const prompts = output.split(prompt).length - 1;
      // one line per new prompt: the prompt after line n is prompt n + 1
      while (seen < prompts) {
        seen++;
        if (sent < todo.length && seen === sent + 1) child.stdin.write(`${todo[sent++]!.replace(/\n/g, '\r')}\r`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ output, code });
    });
  });
}
