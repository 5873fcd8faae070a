// Where the prefilter's needles occur in raw bytes, for readers that build text only around them (chat
// exports, shell histories). `sess-` is looked for as the prefilter looks for it (engine/prefilter.ts):
// `sess` then `-` or the start of an escape (`%`, `\`, `&`), so a session key written `sess%2D…`,
// `sess\u002d…` or `sess&#45;…` is a hit like a plain one, at no extra pass over the bytes. The engine
// decides afterwards whether the text holds a key; a hit only says where to look.
import { SESSION_PREFIX } from '../engine/rules.js';
import { SESSION_ENDS, SESSION_STEM, needleStartsIn, sessionStartAt } from '../engine/prefilter.js';

const SESS = Buffer.from(SESSION_STEM, 'latin1');

export interface NeedleSet {
  /** the needles as the prefilter takes them (its SIMD pass for them is found by this array) */
  needles: readonly string[];
  /** needles searched as they are */
  plain: Buffer[];
  /** `sess-` is among the needles: searched as `sess` and its next byte */
  session: boolean;
  /** bytes a hit is judged on: a view must carry this many less one into the next */
  maxLength: number;
}

export function needleSet(needles: readonly string[]): NeedleSet {
  const plain = needles.filter((n) => n !== SESSION_PREFIX).map((n) => Buffer.from(n, 'latin1'));
  const session = needles.includes(SESSION_PREFIX);
  const maxLength = Math.max(1, ...plain.map((n) => n.length), session ? SESSION_PREFIX.length : 0);
  return { needles, plain, session, maxLength };
}

/**
 * The needles as plain substrings, for searches that cannot look at the next byte (SQL's `instr`):
 * `sess-` and `sess` followed by each escape's first character.
 */
export function needleStrings(needles: readonly string[]): string[] {
  return needles.includes(SESSION_PREFIX) ? [...needles, ...SESSION_ENDS.filter((c) => c !== '-').map((c) => SESSION_STEM + c)] : [...needles];
}

/**
 * Offsets (from `from` on) of every needle in `buf`: in one SIMD pass, sorted, each once; without
 * WebAssembly SIMD one native search per needle, not sorted.
 */
export function needleOffsets(buf: Buffer, set: NeedleSet, from = 0): number[] {
  return needleStartsIn(buf, set.needles, from) ?? needleOffsetsInJs(buf, set, from);
}

/** needleOffsets without WebAssembly SIMD; exported for its test. */
export function needleOffsetsInJs(buf: Buffer, set: NeedleSet, from = 0): number[] {
  const out: number[] = [];
  for (const n of set.plain) {
    for (let i = buf.indexOf(n, from); i !== -1; i = buf.indexOf(n, i + 1)) out.push(i);
  }
  if (set.session) {
    for (let i = buf.indexOf(SESS, from); i !== -1; i = buf.indexOf(SESS, i + SESS.length)) {
      if (sessionStartAt(buf, i)) out.push(i);
    }
  }
  return out;
}
