// The user's secret store, for --fix on profiles: secret-tool (libsecret, Linux), security (the
// macOS keychain), pass, 1Password's op when signed in. Only these fixed programs are run, found by
// name on PATH and started by their absolute path; nothing read from a scanned file ever names a
// program. The key goes to the store on stdin (never in arguments, which `ps` shows), and is read
// back before the profile is changed: a store that does not give the key back is not used.
import { join } from 'node:path';
import { homeOf } from '../discover/home.js';
import { fingerprint } from '../engine/fingerprint.js';
import { onPath } from '../guard/shell/detect.js';
import { exists } from '../exists.js';
import { runProgram, type Ran } from '../run-program.js';

const TIMEOUT_MS = 20_000;

/** Where a key went and the command that prints it again. */
export interface Stored {
  argv: string[];
  /** for people: `secret-tool (service keyguard, account OPENAI_API_KEY)` */
  where: string;
}

export interface SecretStore {
  name: string;
  /** the command the profile would run, before anything is stored (for --dry-run) */
  preview(variable: string): string[];
  /** store `secret` for `variable` and check it reads back; throws with the reason when it cannot */
  put(variable: string, secret: string): Promise<Stored>;
}

function failed(what: string, r: Ran): Error {
  const why =
    r.errorCode ??
    (r.timedOut ? `no answer within ${TIMEOUT_MS / 1000}s` : undefined) ??
    `exit ${r.code}${r.stderr.trim() ? `: ${r.stderr.trim().split('\n')[0]!.slice(0, 200)}` : ''}`;
  return new Error(`${what} failed (${why})`);
}

/** The output of a lookup, without the newline a program adds. */
function printed(r: Ran): string | undefined {
  return r.code === 0 ? r.stdout.replace(/\r?\n$/, '') : undefined;
}

/** A second key for the same variable gets its own entry: the fingerprint tells them apart. */
function entryName(variable: string, secret: string, taken: boolean): string {
  return taken ? `${variable}-${fingerprint(secret).slice(0, 8)}` : variable;
}

interface KeyedStore {
  name: string;
  lookup(entry: string): string[];
  /** args and stdin that store `secret` under `entry` */
  store(entry: string, secret: string): { args: string[]; input: string };
  where(entry: string): string;
}

/** Stores addressed by a name of keyguard's choosing: look up first, reuse an entry that holds this key. */
function keyed(program: string, env: NodeJS.ProcessEnv, s: KeyedStore): SecretStore {
  const read = async (entry: string): Promise<string | undefined> => {
    const [, ...args] = s.lookup(entry);
    return printed(await runProgram(program, args, env, { timeoutMs: TIMEOUT_MS }));
  };
  return {
    name: s.name,
    preview: (variable) => [program, ...s.lookup(variable).slice(1)],
    async put(variable, secret) {
      let entry = variable;
      const there = await read(entry);
      if (there !== secret) {
        entry = entryName(variable, secret, there !== undefined && there !== '');
        if (entry !== variable && (await read(entry)) === secret) return { argv: [program, ...s.lookup(entry).slice(1)], where: s.where(entry) };
        const { args, input } = s.store(entry, secret);
        const r = await runProgram(program, args, env, { input, timeoutMs: TIMEOUT_MS });
        if (r.code !== 0) throw failed(`${s.name} ${args[0]}`, r);
        if ((await read(entry)) !== secret) throw new Error(`${s.name} stored the key but did not give it back`);
      }
      return { argv: [program, ...s.lookup(entry).slice(1)], where: s.where(entry) };
    },
  };
}

function secretTool(program: string, env: NodeJS.ProcessEnv): SecretStore {
  return keyed(program, env, {
    name: 'secret-tool',
    lookup: (entry) => ['secret-tool', 'lookup', 'service', 'keyguard', 'account', entry],
    // secret-tool reads the secret from stdin when stdin is not a terminal
    store: (entry, secret) => ({ args: ['store', `--label=keyguard: ${entry}`, 'service', 'keyguard', 'account', entry], input: secret }),
    where: (entry) => `your login keyring through secret-tool (service keyguard, account ${entry})`,
  });
}

function keychain(program: string, env: NodeJS.ProcessEnv): SecretStore {
  return keyed(program, env, {
    name: 'security',
    lookup: (entry) => ['security', 'find-generic-password', '-s', 'keyguard', '-a', entry, '-w'],
    // `security -i` reads its commands from stdin: the key never appears in an argument list
    store: (entry, secret) => ({ args: ['-i'], input: `add-generic-password -U -s keyguard -a ${entry} -l keyguard-${entry} -w ${secret}\n` }),
    where: (entry) => `your macOS keychain (service keyguard, account ${entry})`,
  });
}

function passStore(program: string, env: NodeJS.ProcessEnv): SecretStore {
  return keyed(program, env, {
    name: 'pass',
    lookup: (entry) => ['pass', 'show', `keyguard/${entry}`],
    store: (entry, secret) => ({ args: ['insert', '--multiline', '--force', `keyguard/${entry}`], input: `${secret}\n` }),
    where: (entry) => `pass (keyguard/${entry})`,
  });
}

/** 1Password: a new Password item per key (its id names it), created from a JSON template on stdin. */
function onePassword(program: string, env: NodeJS.ProcessEnv): SecretStore {
  return {
    name: 'op',
    preview: () => [program, 'read', 'op://<vault>/<new item>/password'],
    async put(variable, secret) {
      const template = {
        title: `keyguard ${variable}`,
        category: 'PASSWORD',
        fields: [{ id: 'password', type: 'CONCEALED', purpose: 'PASSWORD', label: 'password', value: secret }],
      };
      const r = await runProgram(program, ['item', 'create', '--format', 'json', '-'], env, { input: JSON.stringify(template), timeoutMs: TIMEOUT_MS });
      if (r.code !== 0) throw failed('op item create', r);
      let item: { id?: unknown; vault?: { id?: unknown } };
      try {
        item = JSON.parse(r.stdout) as typeof item;
      } catch {
        throw new Error('op item create did not answer with JSON');
      }
      if (typeof item.id !== 'string' || typeof item.vault?.id !== 'string') throw new Error('op item create did not name the new item');
      const argv = [program, 'read', `op://${item.vault.id}/${item.id}/password`];
      if (printed(await runProgram(program, argv.slice(1), env, { timeoutMs: TIMEOUT_MS })) !== secret)
        throw new Error('op stored the key but did not give it back');
      return { argv, where: `1Password (item "keyguard ${variable}", id ${item.id})` };
    },
  };
}

/** The stores on this machine that look usable, best first (nothing is stored yet). */
export async function availableStores(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<SecretStore[]> {
  const out: SecretStore[] = [];
  if (platform !== 'darwin' && platform !== 'win32') {
    const p = await onPath('secret-tool', env, platform);
    if (p) out.push(secretTool(p, env));
  }
  if (platform === 'darwin') {
    const p = await onPath('security', env, platform);
    if (p) out.push(keychain(p, env));
  }
  const pass = await onPath('pass', env, platform);
  const home = homeOf(env, platform);
  const passDir = env.PASSWORD_STORE_DIR || (home ? join(home, '.password-store') : undefined);
  if (pass && passDir && (await exists(join(passDir, '.gpg-id')))) out.push(passStore(pass, env));
  const op = await onPath('op', env, platform);
  // signed in: `op whoami` answers without asking anything
  if (op && (await runProgram(op, ['whoami'], env, { timeoutMs: TIMEOUT_MS })).code === 0) out.push(onePassword(op, env));
  return out;
}
