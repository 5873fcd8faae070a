// Replace byte strings in a stream of any length: a match split between two pieces is whole in
// the carried tail, so output never depends on how the input was cut.

/** Bytes an anchor holds: every needle's first ANCHOR bytes are searched for, the needle checked where they are. */
const ANCHOR = 3;
/** Bytes of a needle that pick its candidates at an anchor's place (at most). */
const PICK = 16;

/** Needles that start with the same bytes: searched as one. */
interface Group {
  anchor: Buffer;
  /** bytes of the place that pick the candidates (the group's shortest needle, at most PICK) */
  pick: number;
  /** needle indexes by their first `pick` bytes (as Latin-1), in the order given */
  byStart: Map<string, number[]>;
}

export class StreamReplacer {
  private readonly from: Buffer[];
  private readonly to: Buffer[];
  private readonly keep: number;
  /**
   * The needles grouped by their first bytes. A redacted export copy replaces every key in three
   * encodings (hundreds of needles) in hundreds of megabytes: one search per needle took 53 s of a
   * 96 MB zip's 86 s, while keys share a few starts (`sk-`, `sess`, in each encoding).
   */
  private readonly groups: Group[] = [];
  /** needles shorter than an anchor: searched one by one */
  private readonly short: number[] = [];
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
    const byAnchor = new Map<string, number[]>();
    this.from.forEach((f, i) => {
      if (f.length === 0) return;
      if (f.length < ANCHOR) {
        this.short.push(i);
        return;
      }
      const key = f.toString('latin1', 0, ANCHOR);
      const list = byAnchor.get(key);
      if (list) list.push(i);
      else byAnchor.set(key, [i]);
    });
    for (const [key, members] of byAnchor) {
      const pick = Math.min(PICK, ...members.map((i) => this.from[i]!.length));
      const byStart = new Map<string, number[]>();
      for (const i of members) {
        const start = this.from[i]!.toString('latin1', 0, pick);
        const list = byStart.get(start);
        if (list) list.push(i);
        else byStart.set(start, [i]);
      }
      this.groups.push({ anchor: Buffer.from(key, 'latin1'), pick, byStart });
    }
  }

  /** Bytes that are final; the last few are held back until the next piece or `end`. */
  push(piece: Buffer): Buffer {
    return this.run(this.carry.length > 0 ? Buffer.concat([this.carry, piece]) : piece, false);
  }

  end(): Buffer {
    return this.run(this.carry, true);
  }

  /** Every place a needle starts in `buf`, with the needle (several at one place: in the order given). */
  private hitsIn(buf: Buffer): { at: number; i: number }[] {
    const hits: { at: number; i: number }[] = [];
    for (const g of this.groups) {
      for (let at = buf.indexOf(g.anchor); at !== -1; at = buf.indexOf(g.anchor, at + 1)) {
        if (at + g.pick > buf.length) break;
        for (const i of g.byStart.get(buf.toString('latin1', at, at + g.pick)) ?? []) {
          const f = this.from[i]!;
          if (at + f.length <= buf.length && buf.compare(f, 0, f.length, at, at + f.length) === 0) hits.push({ at, i });
        }
      }
    }
    for (const i of this.short) {
      const f = this.from[i]!;
      for (let at = buf.indexOf(f); at !== -1; at = buf.indexOf(f, at + 1)) hits.push({ at, i });
    }
    return hits.sort((a, b) => a.at - b.at || a.i - b.i);
  }

  private run(buf: Buffer, final: boolean): Buffer {
    const hits = this.hitsIn(buf);
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
