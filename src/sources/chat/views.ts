// The bytes written to a scanner, handed out as views: each view begins with the end of the one before
// (the scanner says how much to carry), so that a needle or a key cut by a write boundary is whole in one.

const EMPTY = Buffer.alloc(0);

export class Views {
  private pending: Buffer[] = [];
  private tail: Buffer = EMPTY;
  pendingBytes = 0;
  /** file offset after the last byte handed out */
  private consumed: number;

  constructor(start: number) {
    this.consumed = start;
  }

  add(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
  }

  /** The next view: the tail kept, then everything written since. */
  next(): { view: Buffer; vs: number } {
    const view = this.tail.length === 0 && this.pending.length === 1 ? this.pending[0]! : Buffer.concat([this.tail, ...this.pending]);
    const vs = this.consumed - this.tail.length;
    this.consumed += this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    return { view, vs };
  }

  /** Carry view[from, …) into the next view. */
  keep(view: Buffer, from: number): void {
    this.tail = view.subarray(from);
  }
}
