// Formats where a line ending in a marker byte goes on to the next line: zsh and irb (`\`),
// PowerShell (backtick), Python's pyrepl (CR before the LF). The marker is dropped from the text.
import { MORE, NEW, type LineParser, type Role, type StepOut } from './entries.js';

export interface ContinuationOptions {
  marker: number;
  /** look at the byte before the LF itself (the marker is a CR), not at the CR-trimmed end */
  rawEnd?: boolean;
  /** for a line that starts an entry: strip a prefix, read a timestamp */
  prefix?(buf: Buffer, start: number, out: StepOut): void;
}

export function continuationParser(opts: ContinuationOptions): () => LineParser {
  return () => {
    let continued = false;
    return {
      next(buf: Buffer, start: number, end: number, out: StepOut): Role {
        const role = continued ? MORE : NEW;
        if (!continued && opts.prefix) opts.prefix(buf, start, out);
        const last = opts.rawEnd ? end : out.to;
        continued = last > out.from && buf[last - 1] === opts.marker;
        if (continued) out.to = last - 1;
        else if (opts.rawEnd) out.to = end;
        return role;
      },
    };
  };
}
