// The value of what a scanner read, built as it streams so that a reader can name the conversation and
// message a key sits in. Containers are attached to their parent when opened, not when closed: a file
// that ends inside one still shows what was read. Bounded: past NODE_MAX nodes nothing more is built.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

type Container = JsonValue[] | { [key: string]: JsonValue };

const NODE_MAX = 1_000_000;

export class ValueBuilder {
  private readonly enabled: boolean;
  private nodes = 0;
  /** one entry per open container; undefined where nothing is built */
  private readonly stack: (Container | undefined)[] = [];
  private root: JsonValue | undefined;
  private rootDone = false;

  constructor(enabled: boolean) {
    this.enabled = enabled;
  }

  /** Whether values are built now: scalars are worth decoding only then. */
  get building(): boolean {
    return this.enabled && this.nodes < NODE_MAX;
  }

  /** A container opens; `key` is the parent's current property name. */
  open(array: boolean, key: string | undefined): void {
    const value = this.building ? (array ? [] : (Object.create(null) as { [key: string]: JsonValue })) : undefined;
    this.nodes++;
    if (value) this.attach(value, key);
    this.stack.push(value);
  }

  close(): void {
    const value = this.stack.pop();
    if (this.stack.length === 0) this.setRoot(value);
  }

  /** A scalar (undefined when not built) at the parent's property `key`. */
  add(value: JsonValue | undefined, key: string | undefined): void {
    if (value !== undefined) this.nodes++;
    if (this.stack.length === 0) this.setRoot(value);
    else if (value !== undefined) this.attach(value, key);
  }

  /** A value stepped over without being built (a unit). */
  skipped(): void {
    if (this.stack.length === 0) this.setRoot(undefined);
  }

  /** The input stopped being JSON: what was open is dropped. */
  reset(): void {
    this.stack.length = 0;
  }

  /** The value built so far (partial when the input ended early). */
  value(): JsonValue | undefined {
    return this.rootDone ? this.root : this.stack[0];
  }

  private setRoot(value: JsonValue | undefined): void {
    this.root = value;
    this.rootDone = true;
  }

  private attach(value: JsonValue, key: string | undefined): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) return;
    if (Array.isArray(top)) top.push(value);
    else if (key !== undefined) top[key] = value;
  }
}
