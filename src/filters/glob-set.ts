// Many globs, compiled once into one NFA, matched as a lazily built DFA.
//
// Each step of a path moves from one set of NFA states to the next; a set met before is reused from a
// cache, so the usual cost is one map lookup per character, whatever the number of patterns. A new set
// costs at most the size of the NFA, and the cache is dropped when it grows past a bound, so one path
// always costs at most (its length × the size of the NFA): nothing a pattern does can make it worse.
import { MAX_ALTERNATIVES, expandBraces } from './glob-braces.js';
import { Nfa, compileGlob } from './glob-nfa.js';

const MAX_CACHED_SETS = 10_000;
const MAX_CACHED_MOVES = 200_000;

interface DState {
  /** the character-reading NFA states in this set */
  readonly reads: readonly number[];
  readonly accepts: boolean;
  readonly moves: Map<number, DState>;
}

export class GlobSet {
  private readonly nfa = new Nfa();
  private readonly starts: number[] = [];
  private cache = new Map<string, DState>();
  private cachedMoves = 0;
  private start: DState | undefined;

  /** `orBelow`: each glob also matches every path under what it matches. */
  constructor(globs: readonly string[], orBelow: boolean) {
    for (const glob of globs) {
      for (const alternative of expandBraces(glob, MAX_ALTERNATIVES)) this.starts.push(compileGlob(this.nfa, alternative, orBelow));
    }
  }

  get empty(): boolean {
    return this.starts.length === 0;
  }

  matches(path: string): boolean {
    if (this.starts.length === 0) return false;
    let at = this.startState();
    for (let i = 0; i < path.length;) {
      const code = path.codePointAt(i) as number;
      i += code > 0xffff ? 2 : 1;
      at = this.move(at, code);
      if (at.reads.length === 0) return i >= path.length && at.accepts;
    }
    return at.accepts;
  }

  private startState(): DState {
    this.start ??= this.intern(this.closure(this.starts));
    return this.start;
  }

  private move(from: DState, code: number): DState {
    const known = from.moves.get(code);
    if (known) return known;
    const seeds: number[] = [];
    for (const id of from.reads) {
      const state = this.nfa.states[id];
      if (state?.test?.(code)) seeds.push(state.out[0] as number);
    }
    if (this.cache.size > MAX_CACHED_SETS || this.cachedMoves > MAX_CACHED_MOVES) this.forget();
    const next = this.intern(this.closure(seeds));
    from.moves.set(code, next);
    this.cachedMoves++;
    return next;
  }

  /** Drop every cached set: memory stays bounded, matching stays correct (sets are rebuilt on demand). */
  private forget(): void {
    this.cache = new Map();
    this.cachedMoves = 0;
    this.start = undefined;
  }

  private closure(seeds: readonly number[]): { reads: number[]; accepts: boolean } {
    const seen = new Set<number>();
    const stack = [...seeds];
    const reads: number[] = [];
    let accepts = false;
    while (stack.length > 0) {
      const id = stack.pop() as number;
      if (seen.has(id)) continue;
      seen.add(id);
      if (id === 0) accepts = true;
      const state = this.nfa.states[id];
      if (!state) continue;
      if (state.test) reads.push(id);
      else stack.push(...state.out);
    }
    reads.sort((a, b) => a - b);
    return { reads, accepts };
  }

  private intern(set: { reads: number[]; accepts: boolean }): DState {
    const key = `${set.accepts ? 'A' : '-'}${set.reads.join(',')}`;
    let state = this.cache.get(key);
    if (!state) {
      state = { reads: set.reads, accepts: set.accepts, moves: new Map() };
      this.cache.set(key, state);
    }
    return state;
  }
}
