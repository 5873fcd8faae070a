// --fix for shell profiles (rc files, .envrc, PowerShell profiles): the variable keeps working, the key
// leaves the file. Each line that assigns a key (profile-line.ts) is rewritten to read it at run time
// from the user's secret store (secret-store.ts) or, without one, from a private file
// (secret-file.ts); with --remove the line is deleted instead. A line keyguard does not understand
// is refused, unchanged, with the reason: redacting it in place would make every new shell export a
// value that is not the key, and nothing would say so.
//
// Unlike histories, a profile changes length, so it cannot be redacted in place: the key is stored
// first (a failure leaves the profile as it was), then a 0600 backup, then the new text is written to
// a temporary file and renamed over the real file (a symbolic link is kept: its target is rewritten).
// No shell appends to its profile, so the rename loses nothing; bytes outside the changed lines stay.
import { readFile, realpath, stat, unlink } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import { discoverProfiles, profileShellOf, type ShellKind } from '../discover/profiles.js';
import { errorMessage } from '../errors.js';
import { shq } from '../report/shell-quote.js';
import { shownText } from '../report/text.js';
import type { Finding } from '../types.js';
import { writeAtomic } from './atomic-rewrite.js';
import { backupDir, backupFile } from './backup.js';
import type { FixOptions, Redactor } from './dispatch.js';
import { fileRefusal, planLines, type KeyLine, type LineRefusal, type Reader } from './profile-line.js';
import { chooseSecretDir, putSecretFile } from './secret-file.js';
import { availableStores, type SecretStore } from './secret-store.js';

/** Where a key was put, once per run: the same key in two profiles is stored once. */
interface Kept {
  reader: Reader;
  where: string;
}

interface RunState {
  stores?: Promise<SecretStore[]>;
  kept: Map<string, Promise<Kept>>;
}

const RUNS = new WeakMap<FixOptions, RunState>();

function runState(opts: FixOptions): RunState {
  let s = RUNS.get(opts);
  if (!s) RUNS.set(opts, (s = { kept: new Map() }));
  return s;
}

function storesFor(opts: FixOptions): Promise<SecretStore[]> {
  const s = runState(opts);
  return (s.stores ??= availableStores(opts.io.env, opts.io.platform));
}

const EXTENSION_SHELLS: Record<string, ShellKind> = { '.sh': 'sh', '.bash': 'bash', '.zsh': 'zsh', '.fish': 'fish', '.ps1': 'pwsh' };

/** The shell that reads this file: by its name, else as discovery found it (a sourced file), else by extension. */
async function shellOf(absPath: string, target: string, opts: FixOptions): Promise<ShellKind | undefined> {
  const byName = profileShellOf(basename(absPath)) ?? profileShellOf(basename(target));
  if (byName) return byName;
  for (const p of await discoverProfiles(opts.io.env, opts.io.platform)) {
    if (p.path === absPath || (await realpath(p.path).catch(() => p.path)) === target) return p.shell;
  }
  return EXTENSION_SHELLS[extname(target)];
}

/** Which programs stop seeing a variable when its line goes. */
function losers(name: string): string {
  if (name === 'OPENAI_API_KEY') return 'the OpenAI SDKs and CLI, Codex (API-key use) and every other program that reads OPENAI_API_KEY';
  if (name === 'CODEX_API_KEY') return 'Codex (`codex exec`)';
  return `programs that read ${name}`;
}

/** Store the key where it stays private; the first store that takes it and gives it back wins. */
async function keep(name: string, secret: string, target: string, opts: FixOptions): Promise<Kept> {
  const say = opts.io.stderr;
  for (const store of await storesFor(opts)) {
    try {
      const stored = await store.put(name, secret);
      return { reader: { kind: 'command', argv: stored.argv }, where: stored.where };
    } catch (err) {
      say(`keyguard: note: ${store.name} is on PATH but could not keep the key: ${shownText(errorMessage(err))}; trying the next place\n`);
    }
  }
  const choice = await chooseSecretDir(target, opts.io.env, opts.io.platform);
  if (!choice.dir) {
    throw new Error(
      `no secret store (secret-tool, security, pass, op) is usable here, and every folder keyguard keeps keys in is in the git work tree of the profile ` +
        `(${choice.skipped.join('; ')}): set XDG_DATA_HOME to a folder outside it, or set up a secret store, and run --fix again`,
    );
  }
  for (const why of choice.skipped) say(`keyguard: note: not ${shownText(why)}\n`);
  const path = await putSecretFile(choice.dir, name, secret);
  return { reader: { kind: 'file', path }, where: `${path} (mode 0600 in a 0700 folder: only you can read it; no secret store was found)` };
}

function keepOnce(line: KeyLine, target: string, opts: FixOptions): Promise<Kept> {
  const s = runState(opts);
  const id = `${line.name}\0${line.secret}`;
  let p = s.kept.get(id);
  if (!p) s.kept.set(id, (p = keep(line.name, line.secret, target, opts)));
  return p;
}

/** What the dry run says the line would read from (nothing is stored). */
async function previewReader(line: KeyLine, target: string, opts: FixOptions): Promise<Kept> {
  const store = (await storesFor(opts))[0];
  if (store)
    return {
      reader: { kind: 'command', argv: store.preview(line.name) },
      where: `${store.name} (if it cannot keep the key, the next store or a private file)`,
    };
  const choice = await chooseSecretDir(target, opts.io.env, opts.io.platform);
  if (!choice.dir) return { reader: { kind: 'file', path: '<none>' }, where: 'nowhere: ' + choice.skipped.join('; ') };
  return {
    reader: { kind: 'file', path: `${choice.dir}/${line.name}` },
    where: `a file only you can read, ${choice.dir}/${line.name} (no secret store was found)`,
  };
}

function shownLine(text: string, secret: string, redacted: string): string {
  return shownText(text.split(secret).join(redacted));
}

const UTF16_BOMS = [Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])];

async function fix(absPath: string, findings: readonly Finding[], opts: FixOptions): Promise<void> {
  const say = opts.io.stderr;
  const target = await realpath(absPath);
  const shown = shownText(target === absPath ? absPath : `${absPath} (→ ${target})`);
  const redactedOf = new Map(findings.map((f) => [f.secret, f.redacted]));
  // a file keyguard will not change: in a dry run that is part of the plan, else the file is reported not fixed (exit 2)
  const refuseFile = (why: string): void => {
    if (!opts.dryRun) throw new Error(why);
    say(`keyguard: would not change ${shown}: ${why}\n`);
  };
  const shell = await shellOf(absPath, target, opts);
  if (!shell) return refuseFile('keyguard cannot tell which shell reads this file, so it cannot rewrite it: move the key to your secret store by hand');
  const st = await stat(target);
  if (!st.isFile()) return refuseFile('it is not a regular file');
  // its owner made it read-only: not ours to change (as for histories, in-place.ts)
  if ((st.mode & 0o200) === 0) {
    return refuseFile(`it is read-only (mode 0${(st.mode & 0o777).toString(8)}): make it writable (chmod u+w) and run --fix again, or edit it by hand`);
  }
  const original = await readFile(target);
  if (UTF16_BOMS.some((b) => original.subarray(0, 2).equals(b))) {
    return refuseFile('the file is UTF-16: keyguard does not rewrite it; move the key to your secret store by hand (e.g. Get-Secret)');
  }
  const whole = fileRefusal(shell, basename(target));
  if (whole && !opts.remove) return refuseFile(whole);
  const text = original.toString('latin1');
  const plan = planLines(
    text,
    target,
    shell,
    findings.map((f) => ({ line: f.location.line, secret: f.secret })),
  );
  const refuse = (r: LineRefusal): void => {
    const why = `${r.why}; the key stays in the file. Move it to your secret store by hand, or delete the line`;
    if (opts.dryRun) say(`keyguard: would not change ${shown} line ${r.line}: ${why}\n`);
    else opts.ctx.error(absPath, `line ${r.line} not fixed: ${why}`);
  };
  const before = (l: KeyLine): string => `  - ${shownLine(l.text, l.secret, redactedOf.get(l.secret) ?? '…')}\n`;

  if (opts.dryRun) {
    for (const l of plan.lines) {
      if (l.comment) {
        say(`keyguard: would delete ${shown} line ${l.line}, a comment that holds the key:\n${before(l)}`);
        continue;
      }
      if (opts.remove) {
        say(`keyguard: would delete ${shown} line ${l.line}; new shells would no longer set ${l.name}:\n${before(l)}`);
        continue;
      }
      const { reader, where } = await previewReader(l, target, opts);
      say(`keyguard: would rewrite ${shown} line ${l.line} to read ${l.name} at run time from ${shownText(where)}:\n`);
      say(`${before(l)}  + ${shownText(l.rewrite(reader).replace(/\r$/, ''))}\n`);
    }
    plan.refused.forEach(refuse);
    return;
  }

  const done: { line: KeyLine; after?: string; where?: string }[] = [];
  for (const l of plan.lines) {
    if (opts.remove || l.comment) {
      done.push({ line: l });
      continue;
    }
    const kept = await keepOnce(l, target, opts);
    done.push({ line: l, after: l.rewrite(kept.reader), where: kept.where });
  }
  if (done.length > 0) {
    const lines = text.split('\n');
    for (const d of [...done].sort((a, b) => b.line.line - a.line.line)) {
      if (d.after === undefined) lines.splice(d.line.line - 1, 1);
      else lines[d.line.line - 1] = d.after;
    }
    const backup = opts.backup ? await backupFile(target, backupDir(opts.io)) : undefined;
    // the profile may have been edited since it was read: then nothing is written
    if (!(await readFile(target)).equals(original)) {
      if (backup) await unlink(backup).catch(() => undefined);
      throw new Error('the file changed while keyguard worked; it was left as it is: run --fix again');
    }
    const links = st.nlink;
    await writeAtomic(target, Buffer.from(lines.join('\n'), 'latin1'));
    for (const d of done) {
      if (d.line.comment) say(`keyguard: deleted ${shown} line ${d.line.line}, a comment that held the key:\n${before(d.line)}`);
      else if (d.after === undefined) {
        say(`keyguard: deleted ${shown} line ${d.line.line}:\n${before(d.line)}`);
        say(
          `keyguard: new shells no longer set ${d.line.name} from this file: ${losers(d.line.name)} will not find the key there; ` +
            'set it another way where you need it\n',
        );
      } else {
        say(`keyguard: ${shown} line ${d.line.line} now reads ${d.line.name} at run time from ${shownText(d.where!)}:\n`);
        say(`${before(d.line)}  + ${shownText(d.after.replace(/\r$/, ''))}\n`);
      }
    }
    if (done.some((d) => !d.line.comment)) {
      say(`keyguard: shells already open keep what they had; new shells${opts.remove ? ' no longer get it' : ' read it the new way'}\n`);
    }
    if (shell === 'direnv') say(`keyguard: direnv blocks a changed .envrc until you allow it again: direnv allow ${shownText(shq(dirname(target)))}\n`);
    if (links > 1) say(`keyguard: note: the file had ${links} hard links; the others still name the old content, with the key\n`);
    if (backup) {
      say(
        `keyguard: the original is backed up (mode 0600) at ${shownText(backup)}; it still holds the key: ` +
          `check the result, then delete it: rm ${shownText(shq(backup))}\n`,
      );
    }
  }
  plan.refused.forEach(refuse);
}

function scanProfile(name: string): boolean {
  const shell = profileShellOf(name);
  return shell !== undefined && shell !== 'env';
}

export const profileRedactor: Redactor = {
  name: 'shell profiles',
  // `keyguard scan --fix ~/.bashrc` reads it as a plain file: the name says it is a profile (a project's
  // .env, which scan meets in every repository, stays a file the user edits by hand)
  applies: (absPath, findings) =>
    findings.length > 0 &&
    findings.every(
      (f) =>
        !f.location.path.includes('!') &&
        f.location.details?.table === undefined &&
        (f.kind === 'profile' || (f.kind === 'file' && scanProfile(basename(absPath)))),
    ),
  fix,
};
