// How far a key in history has travelled: the refs that contain its commit (a remote-tracking ref
// means it was pushed) and whether the key is still in the tree at HEAD.
import { detect } from '../../engine/detect.js';
import { fingerprint } from '../../engine/fingerprint.js';
import type { OwnKeyIndex } from '../../engine/own-keys.js';
import type { Exposure } from '../../types.js';
import type { RepoFacts } from '../../git/repo-facts.js';
import { readBlobs } from '../../git/blobs.js';
import { runGit } from '../../git/process.js';
import { refsContainingEach } from './ref-reach.js';

export type RefExposure = Omit<Exposure, 'atHead'> & {
  /** refs outside heads/tags/remotes that hold the commit (refs/stash, refs/notes, refs/original …) */
  otherRefs: string[];
};

/** Refs containing each commit (branches, tags, remote-tracking refs and the rest), exactly, in one go. */
export async function refsOfCommits(shas: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Map<string, RefExposure>> {
  const out = new Map<string, RefExposure>();
  for (const [sha, refs] of await refsContainingEach(shas, cwd, env)) out.set(sha, classify(refs));
  return out;
}

export function classify(refs: readonly string[]): RefExposure {
  const e: RefExposure = { branches: [], tags: [], pushed: false, remoteRefs: [], otherRefs: [] };
  for (const ref of refs) {
    if (ref.startsWith('refs/heads/')) e.branches.push(ref.slice(11));
    else if (ref.startsWith('refs/tags/')) e.tags.push(ref.slice(10));
    else if (ref.startsWith('refs/remotes/')) {
      // origin/HEAD is a pointer to another remote ref, not a place of its own
      if (!ref.endsWith('/HEAD')) e.remoteRefs.push(ref.slice(13));
    } else e.otherRefs.push(ref);
  }
  e.pushed = e.remoteRefs.length > 0;
  return e;
}

/**
 * Fingerprints of every key in the tree at HEAD. git grep finds the files holding a prefilter
 * needle (given on stdin: own-key prefixes never appear in a process list), then the engine reads
 * them, so a key counts as present in whatever form it was found (base64 included).
 */
export async function headFingerprints(facts: RepoFacts, env: NodeJS.ProcessEnv, needles: readonly string[], ownKeys?: OwnKeyIndex): Promise<Set<string>> {
  const found = new Set<string>();
  if (!facts.head) return found;
  const grep = await runGit(
    facts.cwd,
    env,
    ['grep', '-l', '-z', '-F', '--no-color', '--no-textconv', '-f', '-', facts.head, '--', ':/'],
    `${needles.join('\n')}\n`,
  );
  if (grep.code !== 0) return found;
  // `<sha>:<path>` names; a path with a newline cannot go through --batch and is left out
  const names = grep.stdout
    .toString('latin1')
    .split('\0')
    .filter((s) => s !== '' && !s.includes('\n'));
  if (names.length === 0) return found;
  try {
    for await (const blob of readBlobs(facts.cwd, env, names)) {
      const text = blob.content.toString('latin1');
      for (const m of detect(text, { bytes: true, ...(ownKeys ? { ownKeys } : {}) })) found.add(fingerprint(m.secret));
    }
  } catch {
    // a blob git could not give: the keys found so far still count, the rest read as not at HEAD
  }
  return found;
}
