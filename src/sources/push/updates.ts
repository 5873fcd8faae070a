// The ref updates git hands a push hook on stdin, read strictly: a line keyguard does not understand
// means it cannot say what is being pushed, and the hook must then block (fail closed).
import { SourceError } from '../../errors.js';

export interface RefUpdate {
  /** the ref as the receiving side names it (pre-push: the remote ref; pre-receive: the ref) */
  ref: string;
  /** what the receiving side has now; all zeros when the ref is new there */
  old: string;
  /** what it is to become; all zeros when the ref is deleted */
  new: string;
  /** pre-push only: the local ref being pushed (`(delete)` for a deletion, a sha for `git push origin <sha>:ref`) */
  localRef?: string;
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** An object id of all zeros: no object (a new ref on one side, a deletion on the other). */
export function isZero(sha: string): boolean {
  return /^0+$/.test(sha);
}

function sha(value: string | undefined, what: string, line: string): string {
  if (value === undefined || !SHA.test(value)) throw new SourceError(`cannot read the ${what} in git's hook input line ${JSON.stringify(line)}`);
  return value;
}

function lines(input: string): string[] {
  return input
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '');
}

/**
 * pre-push: `<local ref> SP <local sha> SP <remote ref> SP <remote sha>` per line (githooks(5)). Ref
 * names cannot hold spaces, so splitting on spaces is exact.
 */
export function parsePrePush(input: string): RefUpdate[] {
  return lines(input).map((line) => {
    const parts = line.split(' ');
    if (parts.length !== 4) {
      throw new SourceError(`cannot read git's pre-push input line ${JSON.stringify(line)} (expected: local ref, local sha, remote ref, remote sha)`);
    }
    const [localRef, localSha, remoteRef, remoteSha] = parts as [string, string, string, string];
    return { localRef, new: sha(localSha, 'local sha', line), ref: remoteRef, old: sha(remoteSha, 'remote sha', line) };
  });
}

/** pre-receive: `<old sha> SP <new sha> SP <ref name>` per line (githooks(5)). */
export function parsePreReceive(input: string): RefUpdate[] {
  return lines(input).map((line) => {
    const parts = line.split(' ');
    if (parts.length !== 3 || parts[2] === '') {
      throw new SourceError(`cannot read git's pre-receive input line ${JSON.stringify(line)} (expected: old sha, new sha, ref name)`);
    }
    const [old, now, ref] = parts as [string, string, string];
    return { old: sha(old, 'old sha', line), new: sha(now, 'new sha', line), ref };
  });
}
