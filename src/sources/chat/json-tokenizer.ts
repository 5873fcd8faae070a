// A streaming JSON tokenizer over byte views: the grammar (what may come next), the path to the
// current value, and strings and literals that run from one view into the next. It keeps none of the
// text and knows nothing of chats: it tells a listener what it meets, with file offsets, and the
// listener decides what to look at closely, what to keep and what to build (json-scan.ts). A syntax
// error stops it for good; the listener decides what the rest of the input is.
import { closingQuote, describeByte, endsEscaped, isBom, isLiteralByte, isWhitespace, literalValue } from './json-bytes.js';
import { decodeJsonString, type PathSeg } from './json-text.js';
import type { JsonValue } from './value-builder.js';

/** What may come next. */
type Expect = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'done';

interface Frame {
  array: boolean;
  /** the current property name (objects) */
  key: string | undefined;
  /** the current element (arrays) */
  index: number;
}

interface OpenString {
  key: boolean;
  /** file offset where the search for the closing quote started in the current view */
  scanFrom: number;
  /** the first byte of the next view is escaped */
  escaped: boolean;
}

/** Property names longer than this are named by their beginning. */
const NAME_BYTES = 1024;

/**
 * What the tokenizer reports. `view` is the bytes at hand and `vs` the file offset of view[0]; `s`,
 * `j` and `i` index the view, `at`, `end` and `after` are file offsets.
 */
export interface JsonListener {
  /** `{` or `[` at view[i] is about to be entered: true when the listener takes the whole value over (the tokenizer halts) */
  take(view: Buffer, vs: number, i: number): boolean;
  /** a container opens; the tokenizer enters it after this */
  open(array: boolean): void;
  /** the innermost container closed */
  close(): void;
  /** a string whose content view[s, j) lies in this view */
  string(view: Buffer, vs: number, s: number, j: number, key: boolean): void;
  /** a string whose content starts at view[s] runs past this view */
  stringStart(view: Buffer, vs: number, s: number, key: boolean): void;
  /**
   * The open string's content ends at `end` (undefined: the input ended inside it). Returns the bytes the
   * listener kept of its beginning, from which a property name is read.
   */
  stringEnd(view: Buffer, vs: number, end: number | undefined): Uint8Array;
  /** true, false, null or a number */
  literal(value: JsonValue): void;
  /** the root value ended just before `after`: true to halt there */
  rootEnd(after: number): boolean;
  /** something other than whitespace follows the root value, at view[i] (only when allowed); the tokenizer halts */
  trailing(view: Buffer, vs: number, i: number): void;
  /** not JSON at `at`: the tokenizer has dropped its state and halts for good */
  invalid(view: Buffer, vs: number, at: number, message: string): void;
  /** worth telling, not an error of the bytes read (the input ended inside a value) */
  problem(view: Buffer, vs: number, at: number, message: string): void;
}

export interface JsonTokenizerOptions {
  /** the path of the root value (a value read again on its own) */
  prefix: readonly PathSeg[];
  /** file offset of the first byte (where a byte-order mark may sit) */
  firstByte: number;
  /** text after the root value is handed to the listener instead of being an error */
  trailing: boolean;
}

export class JsonTokenizer {
  private expect: Expect = 'value';
  private readonly frames: Frame[] = [];
  private str: OpenString | undefined;
  private lit: string | undefined;
  private halted = false;

  constructor(
    private readonly listener: JsonListener,
    private readonly opts: JsonTokenizerOptions,
  ) {}

  /** Open containers. */
  get depth(): number {
    return this.frames.length;
  }

  /** The innermost object's current property name: where a value is attached. */
  get key(): string | undefined {
    return this.frames[this.frames.length - 1]?.key;
  }

  /** The path to the current value; `key`: to the property name being read (its own name left out). */
  path(key = false): PathSeg[] {
    const path: PathSeg[] = [...this.opts.prefix];
    const n = this.frames.length;
    for (let d = 0; d < n; d++) {
      const f = this.frames[d]!;
      if (f.array) path.push(f.index);
      else if (f.key !== undefined && (d < n - 1 || !key)) path.push(f.key);
    }
    return path;
  }

  /** Tokenize view[from, …) until the view ends or the tokenizer halts; returns where it stopped. */
  run(view: Buffer, vs: number, from: number): number {
    let i = from;
    const n = view.length;
    this.halted = false;
    if (vs + i === this.opts.firstByte && isBom(view, i)) i += 3;
    while (i < n && !this.halted) {
      if (this.str) {
        i = this.continueString(view, vs, i);
        continue;
      }
      if (this.lit !== undefined) {
        i = this.continueLiteral(view, vs, i);
        continue;
      }
      const c = view[i]!;
      if (isWhitespace(c)) {
        i++;
        continue;
      }
      switch (this.expect) {
        case 'value-or-close':
          i = c === 0x5d /* ] */ ? this.close(view, vs, i, true) : this.beginValue(view, vs, i, c);
          break;
        case 'value':
          i = this.beginValue(view, vs, i, c);
          break;
        case 'key-or-close':
          if (c === 0x7d /* } */) i = this.close(view, vs, i, false);
          else if (c === 0x22 /* " */) i = this.beginString(view, vs, i, true);
          else this.fail(view, vs, i, `not valid JSON: expected a property name, found ${describeByte(c)}`);
          break;
        case 'key':
          if (c === 0x22) i = this.beginString(view, vs, i, true);
          else this.fail(view, vs, i, `not valid JSON: expected a property name, found ${describeByte(c)}`);
          break;
        case 'colon':
          if (c === 0x3a /* : */) {
            this.expect = 'value';
            i++;
          } else this.fail(view, vs, i, `not valid JSON: expected ':', found ${describeByte(c)}`);
          break;
        case 'comma-or-close': {
          const top = this.frames[this.frames.length - 1]!;
          if (c === 0x2c /* , */) {
            if (top.array) {
              top.index++;
              this.expect = 'value';
            } else this.expect = 'key';
            i++;
          } else if (c === (top.array ? 0x5d : 0x7d)) i = this.close(view, vs, i, top.array);
          else this.fail(view, vs, i, `not valid JSON: expected ',' or '${top.array ? ']' : '}'}', found ${describeByte(c)}`);
          break;
        }
        case 'done':
          if (this.opts.trailing) {
            this.halted = true;
            this.listener.trailing(view, vs, i);
          } else this.fail(view, vs, i, `not valid JSON: unexpected ${describeByte(c)} after the end of the data`);
          return i;
      }
    }
    return i;
  }

  /** A value ended just before `after`; the listener calls this for a value it took over. */
  valueEnd(after: number): void {
    if (this.frames.length > 0) {
      this.expect = 'comma-or-close';
      return;
    }
    this.expect = 'done';
    if (this.listener.rootEnd(after)) this.halted = true;
  }

  /** The view ends (more follows): remember whether an open string's next byte is escaped. */
  viewEnds(view: Buffer, vs: number): void {
    if (this.str) this.str.escaped = endsEscaped(view, this.str.scanFrom - vs);
  }

  /** The input ended; `view` was the last. */
  end(view: Buffer, vs: number): void {
    const ve = vs + view.length;
    if (this.str) {
      const key = this.str.key;
      this.str = undefined;
      this.listener.stringEnd(view, vs, undefined);
      this.listener.problem(view, vs, ve, `the file ends inside a string at ${this.describePath(key)}`);
      return;
    }
    if (this.lit !== undefined) this.endLiteral(view, vs, ve);
    if (this.frames.length > 0) this.listener.problem(view, vs, ve, `the file ends inside ${this.describePath(false)} (truncated?)`);
    else if (this.expect !== 'done' && ve > this.opts.firstByte) this.listener.problem(view, vs, ve, 'no JSON value found');
  }

  private describePath(key: boolean): string {
    const p = this.path(key);
    return p.length === 0
      ? 'the top-level value'
      : p
          .map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`))
          .join('')
          .replace(/^\./, '');
  }

  private fail(view: Buffer, vs: number, i: number, message: string): void {
    this.frames.length = 0;
    this.str = undefined;
    this.lit = undefined;
    this.halted = true;
    this.listener.invalid(view, vs, vs + i, message);
  }

  private beginValue(view: Buffer, vs: number, i: number, c: number): number {
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (this.listener.take(view, vs, i)) {
        this.halted = true;
        return i;
      }
      const array = c === 0x5b;
      this.listener.open(array);
      this.frames.push({ array, key: undefined, index: 0 });
      this.expect = array ? 'value-or-close' : 'key-or-close';
      return i + 1;
    }
    if (c === 0x22) return this.beginString(view, vs, i, false);
    if (isLiteralByte(c)) {
      this.lit = '';
      return this.continueLiteral(view, vs, i);
    }
    this.fail(view, vs, i, `not valid JSON: expected a value, found ${describeByte(c)}`);
    return i;
  }

  private close(view: Buffer, vs: number, i: number, array: boolean): number {
    const f = this.frames.pop()!;
    if (f.array !== array) {
      this.fail(view, vs, i, 'not valid JSON: mismatched bracket');
      return i;
    }
    this.listener.close();
    this.valueEnd(vs + i + 1);
    return i + 1;
  }

  private setKey(name: string): void {
    const top = this.frames[this.frames.length - 1];
    if (top) top.key = name;
    this.expect = 'colon';
  }

  private beginString(view: Buffer, vs: number, i: number, key: boolean): number {
    const s = i + 1;
    const j = closingQuote(view, s);
    if (j !== -1) {
      // the common case: the whole string in this view
      this.listener.string(view, vs, s, j, key);
      if (key) this.setKey(decodeJsonString(view.subarray(s, Math.min(j, s + NAME_BYTES))));
      else this.valueEnd(vs + j + 1);
      return j + 1;
    }
    this.listener.stringStart(view, vs, s, key);
    this.str = { key, scanFrom: vs + s, escaped: false };
    return view.length;
  }

  private continueString(view: Buffer, vs: number, i: number): number {
    const s = this.str!;
    let from = i;
    if (s.escaped) {
      s.escaped = false;
      from++;
      if (from >= view.length) return view.length;
    }
    s.scanFrom = vs + from;
    const j = closingQuote(view, from);
    if (j === -1) return view.length;
    this.str = undefined;
    const kept = this.listener.stringEnd(view, vs, vs + j);
    if (s.key) this.setKey(decodeJsonString(kept.subarray(0, NAME_BYTES)));
    else this.valueEnd(vs + j + 1);
    return j + 1;
  }

  private continueLiteral(view: Buffer, vs: number, i: number): number {
    let j = i;
    while (j < view.length && isLiteralByte(view[j]!)) j++;
    this.lit += view.toString('latin1', i, j);
    if (j < view.length) this.endLiteral(view, vs, vs + j);
    return j;
  }

  private endLiteral(view: Buffer, vs: number, at: number): void {
    const text = this.lit ?? '';
    this.lit = undefined;
    const v = literalValue(text);
    if (v === undefined) {
      this.fail(view, vs, Math.max(0, at - vs - text.length), `not valid JSON: unexpected '${text.slice(0, 20)}'`);
      return;
    }
    this.listener.literal(v);
    this.valueEnd(at);
  }
}
