// Every string in a JSON value, wherever it sits: a key can hide in any argument of any tool (a
// notebook cell, a MultiEdit's third edit, an MCP tool's nested options), and in an object's keys.

export interface Leaf {
  /** where it is, for the reason: `tool_input.edits[2].new_string` */
  path: string;
  text: string;
}

const PLAIN_NAME = /^[A-Za-z_$][\w$-]*$/;

function child(path: string, name: string): string {
  return PLAIN_NAME.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name.slice(0, 40))}]`;
}

/** All string leaves (and object key names) under `value`, depth first. */
export function stringLeaves(value: unknown, path: string, out: Leaf[] = []): Leaf[] {
  if (typeof value === 'string') {
    out.push({ path, text: value });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => stringLeaves(v, `${path}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push({ path: `${path} (a field name)`, text: k });
      stringLeaves(v, child(path, k), out);
    }
  }
  return out;
}

/** A copy of `value` with every string (values and key names) passed through `f`. */
export function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [f(k), mapStrings(v, f)]));
  }
  return value;
}
