// Replace byte strings in a stream of any length: a match split between two pieces is whole in
// the carried tail, so output never depends on how the input was cut.

export class StreamReplacer {
  private readonly from: Buffer[];
  private readonly to: Buffer[];
  private readonly keep: number;
  private carry: Buffer = Buffer.alloc(0);
  /** replacements made so far */
  count = 0;

  /** `pairs`: strings (as Latin-1 bytes) or byte strings, each to be replaced by its value. */
  constructor(pairs: ReadonlyMap<string, string> | readonly (readonly [Buffer, Buffer])[]) {
    const list =
      pairs instanceof Map
        ? [...pairs].map(([k, v]) => [Buffer.from(k, 'latin1'), Buffer.from(v, 'latin1')] as const)
        : [...(pairs as readonly (readonly [Buffer, Buffer])[])];
    this.from = list.map(([k]) => k);
    this.to = list.map(([, v]) => v);
    this.keep = Math.max(0, ...this.from.map((f) => f.length - 1));
  }

  /** Bytes that are final; the last few are held back until the next piece or `end`. */
  push(piece: Buffer): Buffer {
    return this.run(this.carry.length > 0 ? Buffer.concat([this.carry, piece]) : piece, false);
  }

  end(): Buffer {
    return this.run(this.carry, true);
  }

  private run(buf: Buffer, final: boolean): Buffer {
    const hits: { at: number; i: number }[] = [];
    this.from.forEach((f, i) => {
      if (f.length === 0) return;
      for (let at = buf.indexOf(f); at !== -1; at = buf.indexOf(f, at + f.length)) hits.push({ at, i });
    });
    hits.sort((a, b) => a.at - b.at);
    const safe = final ? buf.length : Math.max(0, buf.length - this.keep);
    const out: Buffer[] = [];
    let pos = 0;
    for (const h of hits) {
      if (h.at < pos) continue;
      if (h.at >= safe) break;
      out.push(buf.subarray(pos, h.at), this.to[h.i]!);
      pos = h.at + this.from[h.i]!.length;
      this.count++;
    }
    const cut = Math.max(pos, safe);
    out.push(buf.subarray(pos, cut));
    this.carry = Buffer.from(buf.subarray(cut));
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }
}
