// Files on disk. In a git work tree: what git tracks plus untracked files it does not ignore (git
// decides, we never re-implement .gitignore). Outside git: every file. Symbolic links are never
// followed while walking (no escapes from the tree, no loops); FIFOs and devices are never opened
// while walking, and read only when named on the command line (special-file.ts).
// Synchronous fs calls on purpose: for thousands of small files a thread-pool round trip per call
// costs more than the read itself (measured: 3 s → under 1 s on 10,000 files).
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Chunk } from '../../types.js';
import type { ScanContext } from '../../scan/context.js';
import type { Source } from '../../scan/source.js';
import type { PathFilter } from '../../filters/ignore-paths.js';
import { GitError, errorMessage } from '../../errors.js';
import { diskRef } from './file-ref.js';
import { gitFailure, refusal, runGit } from '../../git/process.js';
import { certainlyOutsideGit } from '../../git/outside.js';
import { mayContainKey } from '../../engine/prefilter.js';
import { readAny } from './read-any.js';
import { readSpecialFile } from './special-file.js';
import { takePlain } from './quick-read.js';
import { poolPlan, readAll, type FileList, type PoolFile } from './read-pool.js';

export interface FilesOptions {
  paths: string[];
  cwd: string;
  ignore?: PathFilter;
  /** directory .keyguardignore patterns are relative to */
  ignoreRoot: string;
  /** the environment git lists files in (GIT_DIR and friends) */
  env: NodeJS.ProcessEnv;
  /** --no-gitignore: in a work tree, read the files git ignores too */
  noGitignore?: boolean;
  /** count what git ignores and say so in the summary (`scan` of a directory; costs one more git listing) */
  countIgnored?: boolean;
  /** threads that read files (`--jobs`); default KEYGUARD_JOBS, else the number of cores */
  jobs?: number;
  /** the location shown for `-` (stdin); default `stdin` */
  stdinName?: string;
  /** git's listings, started early by startListings (by absolute path) */
  listings?: Map<string, DirectoryListing>;
}

/** git's listings of one directory, running: what it tracks or leaves untracked, and what it ignores. */
export interface DirectoryListing {
  /** undefined outside a work tree; rejects when git refuses the repository or fails */
  listed: Promise<string[] | undefined>;
  ignored?: Promise<string[] | undefined>;
}

function startListing(abs: string, opts: Pick<FilesOptions, 'env' | 'noGitignore' | 'countIgnored'>): DirectoryListing {
  if (certainlyOutsideGit(abs, opts.env)) return { listed: Promise.resolve(undefined) };
  // the two listings are independent: side by side, the count adds little to the wait
  const counting = opts.countIgnored === true && opts.noGitignore !== true;
  const ignored = counting ? ignoredListing(abs, opts.env).catch(() => undefined) : undefined;
  const listed = gitListing(abs, opts.env, opts.noGitignore === true);
  // (awaited, and its failure handled, when the directory's turn comes)
  listed.catch(() => undefined);
  return { listed, ...(ignored ? { ignored } : {}) };
}

/**
 * Start git's listings of the directories among `opts.paths` now, so they run while the scan sets up
 * (the root, the ignore file, own keys): a tree scan then starts reading as soon as set-up ends.
 */
export function startListings(opts: Pick<FilesOptions, 'paths' | 'cwd' | 'env' | 'noGitignore' | 'countIgnored'>): Map<string, DirectoryListing> {
  const listings = new Map<string, DirectoryListing>();
  for (const given of opts.paths) {
    if (given === STDIN_ARG) continue;
    const abs = resolve(opts.cwd, given);
    let isDirectory = false;
    try {
      isDirectory = statSync(abs, { throwIfNoEntry: false })?.isDirectory() === true;
    } catch {
      // reported when its turn comes
    }
    if (isDirectory && !listings.has(abs)) listings.set(abs, startListing(abs, opts));
  }
  return listings;
}

/** The path `keyguard scan -` reads. */
export const STDIN_ARG = '-';
const STDIN_PATH = '/dev/stdin';

/** Ignored files that typically hold credentials: named in the note, since a key there was not looked for. */
const SECRET_LIKE = /(^|\/)(\.env(\.[^/]*)?|[^/]*\.env|\.envrc|\.netrc|\.npmrc|\.pypirc|[^/]*\.(pem|key|p12|pfx)|credentials(\.[^/]*)?|secrets?(\.[^/]*)?)\/?$/;

function toPosix(p: string): string {
  return sep === '\\' ? p.split(sep).join('/') : p;
}

/**
 * git's answer outside a work tree (no repository, inside a .git directory, or a bare repository,
 * which git is told never to use unless named): walk instead, silently.
 */
const NOT_A_WORK_TREE = /not a git repository|must be run in a work tree|cannot use bare repository/;

/** git refused the repository (another user's): its files are not listed, nor walked. */
class Refused extends GitError {}

/** What git lists under `dir`, or undefined outside a work tree. One git process, no separate probe. */
async function gitListing(dir: string, env: NodeJS.ProcessEnv, withIgnored = false): Promise<string[] | undefined> {
  const r = await runGit(dir, env, ['ls-files', '-z', '--cached', '--others', ...(withIgnored ? [] : ['--exclude-standard']), '--', '.']);
  if (r.code !== 0) {
    if (NOT_A_WORK_TREE.test(r.stderr)) return undefined;
    const refused = refusal(r.stderr);
    if (refused) throw new Refused(refused);
    throw gitFailure(['ls-files'], r);
  }
  return [
    ...new Set(
      r.stdout
        .toString('utf8')
        .split('\0')
        .filter((p) => p !== ''),
    ),
  ];
}

/**
 * Every non-directory under `dir`, added to `out`; those the directory entry does not call regular files
 * go in `unusual` too. Synchronous: a generator step per file cost more than the listing itself.
 */
function walk(dir: string, rel: string, ctx: ScanContext, unusual: Set<string>, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(join(dir, rel), { withFileTypes: true });
  } catch (err) {
    ctx.error(join(dir, rel), `cannot list directory: ${errorMessage(err)}`);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const child = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) {
      if (e.name === '.git') continue;
      walk(dir, child, ctx, unusual, out);
    } else {
      if (!e.isFile()) unusual.add(child);
      out.push(child);
    }
  }
}

/**
 * What git ignores under `dir`, an ignored folder as one entry (`node_modules/`), so the count costs
 * one directory walk, not one entry per file under it. Undefined when git cannot say.
 */
async function ignoredListing(dir: string, env: NodeJS.ProcessEnv): Promise<string[] | undefined> {
  const args = ['ls-files', '-z', '--others', '--ignored', '--exclude-standard'];
  let r = await runGit(dir, env, [...args, '--directory', '--', '.']);
  // git fails with --directory below an ignored folder's top ("directory entry not superset of prefix"): list the files
  if (r.code !== 0 && /not superset of prefix/.test(r.stderr)) r = await runGit(dir, env, [...args, '--', '.']);
  if (r.code !== 0) return undefined;
  const entries = r.stdout
    .toString('utf8')
    .split('\0')
    .filter((p) => p !== '');
  // a folder whose own .gitignore says `*` (husky's .husky/_/) is listed and then each file in it
  // too: count the folder once
  const folders = entries.filter((p) => p.endsWith('/'));
  return entries.filter((p) => !folders.some((f) => f !== p && p.startsWith(f)));
}

/** The summary's account of what git ignored: counted as skipped, and a note naming credential-like files. */
function reportIgnored(ignored: readonly string[], given: string, scanned: number, ctx: ScanContext): void {
  if (ignored.length === 0) return;
  const shown = (p: string) => (given === '.' ? p : toPosix(join(given, p)));
  if (ignored.length === 1 && ignored[0] === './') {
    ctx.skip('gitignored folders');
    ctx.note(`${given} is ignored by git (.gitignore): nothing in it was scanned; run with --no-gitignore to scan it`);
    return;
  }
  for (const p of ignored) ctx.skip(p.endsWith('/') ? 'gitignored folders' : 'gitignored files');
  if (scanned === 0) {
    const all = ignored.length === 1 ? 'the one file or folder' : `all ${ignored.length} files and folders`;
    ctx.note(`nothing in ${given} was scanned: git ignores ${all} in it; run with --no-gitignore to scan ${ignored.length === 1 ? 'it' : 'them'}`);
    return;
  }
  const secretLike = ignored.filter((p) => SECRET_LIKE.test(p)).map(shown);
  if (secretLike.length === 0) return;
  if (ignored.length === 1) {
    ctx.note(`${secretLike[0]} is gitignored and was not scanned; run with --no-gitignore to include it`);
    return;
  }
  const names = secretLike.slice(0, 5).join(', ') + (secretLike.length > 5 ? ` and ${secretLike.length - 5} more` : '');
  ctx.note(`${ignored.length} gitignored files and folders were not scanned, including ${names}; run with --no-gitignore to include them`);
}

export function filesSource(opts: FilesOptions): Source {
  return async function* files(ctx: ScanContext): AsyncGenerator<Chunk> {
    for (const given of opts.paths) {
      if (given === STDIN_ARG) {
        yield* scanStdin(opts.stdinName ?? 'stdin', ctx);
        continue;
      }
      const abs = resolve(opts.cwd, given);
      let st;
      try {
        st = statSync(abs);
      } catch (err) {
        ctx.error(given, errorMessage(err));
        continue;
      }
      if (!st.isDirectory()) {
        yield* scanOne(abs, given, ctx, opts, true);
        continue;
      }
      yield* scanDirectory(abs, given, ctx, opts);
    }
  };
}

/** `keyguard scan -`: stdin, read once like a named FIFO (special-file.ts), shown as `name`. */
async function* scanStdin(name: string, ctx: ScanContext): AsyncGenerator<Chunk> {
  try {
    yield* readSpecialFile(STDIN_PATH, name, ctx);
  } catch (err) {
    ctx.error(name, errorMessage(err));
  }
}

async function* scanDirectory(abs: string, given: string, ctx: ScanContext, opts: FilesOptions): AsyncGenerator<Chunk> {
  const listing = opts.listings?.get(abs) ?? startListing(abs, opts);
  opts.listings?.delete(abs);
  const listed = await listing.listed.catch((err: unknown) => {
    if (err instanceof Refused) {
      ctx.error(given, err.message);
      return [];
    }
    ctx.note(`git could not list ${given} (${errorMessage(err)}); walking the directory instead`);
    return undefined;
  });
  const rels = listed ?? [];
  // links, FIFOs, devices and entries of unknown type met by the walk are never opened by the quick
  // reader (git lists none but links, which it refuses to follow): the full reader looks at them
  const unusual = new Set<string>();
  if (!listed) walk(abs, '', ctx, unusual, rels);
  // outside a work tree nothing is ignored (everything was walked)
  const ignored = listed ? await listing.ignored : undefined;
  if (ignored) reportIgnored(ignored, given, rels.length, ctx);
  // .keyguardignore first; the rest is read (on several threads for a large tree) and taken in order.
  // Only the relative paths are held for the whole tree; each file's absolute and shown paths are made
  // a batch at a time, by plain concatenation (path.join builds a path out of many small pieces: a
  // tree of 240,000 files held 200 MB of them). Listed paths are already normalised.
  const base = abs.endsWith(sep) ? abs : abs + sep;
  const shown = toPosix(join(given, '.'));
  const displayOf = (rel: string): string => (shown === '.' ? rel : `${shown}/${rel}`);
  // the quick reader opens a file of the working directory by its relative path: the kernel then
  // walks its few components, not the folders above too (every thread shares the working directory)
  const openBase = base === workingDirectory() + sep ? '' : base;
  const fileOf = (rel: string): PoolFile => ({ path: openBase + rel, display: displayOf(rel) });
  const kept: string[] = [];
  for (const rel of rels) {
    if (ignoredByKeyguard(base + rel, ctx, opts)) continue;
    // (links and the like yield nothing but skips and errors: taking them first changes no finding's
    // order; the set is nearly always empty, and a lookup would hash every path)
    if (unusual.size > 0 && unusual.has(rel)) yield* scanOne(base + rel, displayOf(rel), ctx, opts, false);
    else kept.push(rel);
  }
  rels.length = 0;
  const files: FileList = { length: kept.length, slice: (from, to) => kept.slice(from, to).map(fileOf) };
  let i = 0;
  for await (const batch of readAll(files, ctx.needles, poolPlan(opts.jobs, opts.env))) {
    // (the shown paths only: the absolute one is made when the full reader needs it)
    const shownPaths = batch.map((_, k) => displayOf(kept[i + k]!));
    // keys in names: one look at the batch's names together, each name on its own only when that finds something
    const names = mayContainKey(shownPaths.join('\n'), ctx.needles);
    for (let k = 0; k < batch.length; k++) {
      const plain = batch[k]!;
      const rel = kept[i++]!;
      const display = shownPaths[k]!;
      const chunks = takePlain(plain, display, ctx, names);
      if (!chunks) yield* scanOne(base + rel, display, ctx, opts, false);
      // (nearly always empty: no async step for a file without a key's trace)
      else if (chunks.length > 0) for (const chunk of chunks) yield chunk;
    }
  }
}

/** The process's working directory, or undefined when it is gone (deleted while keyguard runs). */
function workingDirectory(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

/** True (and counted as skipped) when .keyguardignore excludes the file. */
function ignoredByKeyguard(abs: string, ctx: ScanContext, opts: FilesOptions): boolean {
  if (!opts.ignore) return false;
  const rel = toPosix(relative(opts.ignoreRoot, abs));
  if (rel.startsWith('../') || !opts.ignore.ignores(rel)) return false;
  ctx.skip('ignored by .keyguardignore');
  return true;
}

async function* scanOne(abs: string, display: string, ctx: ScanContext, opts: FilesOptions, explicit: boolean): AsyncGenerator<Chunk> {
  if (ignoredByKeyguard(abs, ctx, opts)) return;
  let st;
  try {
    st = explicit ? statSync(abs) : lstatSync(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !explicit) {
      ctx.skip('deleted in the working tree');
      return;
    }
    ctx.error(display, errorMessage(err));
    return;
  }
  if (st.isSymbolicLink()) {
    ctx.skip('symbolic links (not followed)');
    return;
  }
  if (st.isDirectory()) {
    // a submodule (gitlink) or a nested repository: scanned with its own git listing
    yield* scanDirectory(abs, display, ctx, opts);
    return;
  }
  if (!st.isFile()) {
    if (!explicit) {
      ctx.skip('special files (FIFO, socket, device)');
      return;
    }
    // named on the command line (a FIFO, /dev/stdin): read, once
    try {
      yield* readSpecialFile(abs, display, ctx);
    } catch (err) {
      ctx.error(display, errorMessage(err));
    }
    return;
  }
  try {
    yield* readAny(diskRef(abs, display, st.size), ctx);
  } catch (err) {
    ctx.error(display, errorMessage(err));
  }
}
