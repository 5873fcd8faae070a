// Which refs contain each of a set of commits, for all of them at once: the answer of
// `git for-each-ref --contains <sha>` per commit, without a git process (and a walk of history) per
// commit. Real repositories have thousands of refs (tags, remote branches, pull-request refs) and keys
// introduced at tens of commits, so the per-commit question grew with findings × refs.
//
// Two git processes in all: the ref tips (tags peeled to their commits), and the commit graph of
// everything reachable from a ref (`rev-list --all --parents`). A ref contains a commit when its tip is
// the commit or one of its descendants, so a walk down the child edges from each commit finds them.
import { createInterface } from 'node:readline';
import { gitStream, runGit } from '../../git/process.js';

/** Ref tips as commit ids: a tag is peeled to the commit it names; refs to trees or blobs contain no commit. */
export async function refTips(cwd: string, env: NodeJS.ProcessEnv): Promise<Map<string, string[]>> {
  const r = await runGit(cwd, env, ['for-each-ref', '--format=%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)%00%(refname)']);
  if (r.code !== 0) throw new Error(`git for-each-ref failed: ${r.stderr.trim()}`);
  const tips = new Map<string, string[]>();
  const nested: string[] = [];
  const add = (sha: string, ref: string): void => {
    const refs = tips.get(sha);
    if (refs) refs.push(ref);
    else tips.set(sha, [ref]);
  };
  for (const line of r.stdout.toString('utf8').split('\n')) {
    if (line === '') continue;
    const [type, sha, peeledType, peeled, ref] = line.split('\0') as [string, string, string, string, string];
    if (type === 'commit') add(sha, ref);
    else if (type === 'tag' && peeledType === 'commit') add(peeled, ref);
    else if (type === 'tag' && peeledType === 'tag') nested.push(ref);
  }
  // a tag of a tag (rare): let git peel it all the way
  if (nested.length > 0) {
    const p = await runGit(cwd, env, ['rev-parse', '--verify', '--quiet', '--end-of-options', ...nested.map((ref) => `${ref}^{commit}`)]);
    const shas = p.stdout.toString('utf8').split('\n');
    nested.forEach((ref, i) => {
      const sha = shas[i]?.trim();
      if (p.code === 0 && sha) add(sha, ref);
    });
  }
  return tips;
}

/** The commit graph as child lists over dense ids. */
class Graph {
  readonly ids = new Map<string, number>();
  private from: number[] = [];
  private to: number[] = [];
  private start: Int32Array | undefined;
  private children: Int32Array | undefined;

  id(sha: string): number {
    let id = this.ids.get(sha);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(sha, id);
    }
    return id;
  }

  edge(parent: number, child: number): void {
    this.from.push(parent);
    this.to.push(child);
  }

  /** Compressed child lists, built once all edges are in. */
  seal(): void {
    const n = this.ids.size;
    const start = new Int32Array(n + 1);
    for (const p of this.from) start[p + 1]!++;
    for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
    const fill = start.slice(0, n);
    const children = new Int32Array(this.from.length);
    for (let e = 0; e < this.from.length; e++) children[fill[this.from[e]!]!++] = this.to[e]!;
    this.start = start;
    this.children = children;
    this.from = [];
    this.to = [];
  }

  /** Calls `visit` for `root` and every descendant of it, once each. */
  descendants(root: number, seen: Int32Array, stamp: number, visit: (id: number) => void): void {
    const start = this.start!;
    const children = this.children!;
    const stack = [root];
    seen[root] = stamp;
    while (stack.length > 0) {
      const id = stack.pop()!;
      visit(id);
      for (let e = start[id]!; e < start[id + 1]!; e++) {
        const c = children[e]!;
        if (seen[c] !== stamp) {
          seen[c] = stamp;
          stack.push(c);
        }
      }
    }
  }
}

async function commitGraph(cwd: string, env: NodeJS.ProcessEnv): Promise<Graph> {
  const graph = new Graph();
  const lines = createInterface({ input: gitStream(cwd, env, ['rev-list', '--all', '--parents']), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    const shas = line.split(' ');
    const child = graph.id(shas[0]!);
    for (let i = 1; i < shas.length; i++) graph.edge(graph.id(shas[i]!), child);
  }
  graph.seal();
  return graph;
}

/** For each of `shas`, the full names of the refs that contain it (empty when none does). */
export async function refsContainingEach(shas: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Map<string, string[]>> {
  const [tips, graph] = await Promise.all([refTips(cwd, env), commitGraph(cwd, env)]);
  const tipRefs: Array<string[] | undefined> = [];
  for (const [sha, refs] of tips) {
    const id = graph.ids.get(sha);
    if (id !== undefined) tipRefs[id] = refs;
  }
  const seen = new Int32Array(graph.ids.size);
  const out = new Map<string, string[]>();
  let stamp = 0;
  for (const sha of new Set(shas)) {
    const refs: string[] = [];
    const id = graph.ids.get(sha);
    // a commit no ref reaches (a dangling one named by a range) is in no ref
    if (id !== undefined) {
      graph.descendants(id, seen, ++stamp, (d) => {
        const at = tipRefs[d];
        if (at) refs.push(...at);
      });
    }
    out.set(sha, refs.sort());
  }
  return out;
}
