// atuin's guard: a top-level `history_filter` in its config.toml. atuin records a command when it
// starts (before any shell's own filter), and its built-in secrets filter has no OpenAI rule, so the
// shell guards do not cover it. TOML has two traps: a key appended after a `[table]` lands inside that
// table, and a second `history_filter` is a parse error. So the block goes before the first table,
// the result is parsed to prove only `history_filter` was added, and a config that already has a
// history_filter of its own is left for the user to extend by hand.
import { isAbsolute, join } from 'node:path';
import { parse } from 'smol-toml';
import { homeOf, xdgDir } from '../../discover/home.js';
import { HookError } from '../../errors.js';
import { MARKER, SESSION_PREFIX, SESSION_SHAPE } from '../../engine/rules.js';
import { hasBlock, withBlock, type BlockEdit } from './profile-block.js';

/** atuin's patterns are Rust regular expressions, unanchored. */
export const ATUIN_PATTERNS = [MARKER, `${SESSION_PREFIX}[A-Za-z0-9]{${SESSION_SHAPE.body}}`];

export function atuinSnippet(): string[] {
  return [
    '# Commands holding an OpenAI key are not recorded (atuin records a command before the shell guard sees it).',
    `history_filter = [${ATUIN_PATTERNS.map((p) => JSON.stringify(p)).join(', ')}]`,
  ];
}

/** $ATUIN_CONFIG_DIR/config.toml, else $XDG_CONFIG_HOME/atuin/config.toml (as atuin looks). */
export function atuinConfigPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  if (env.ATUIN_CONFIG_DIR && isAbsolute(env.ATUIN_CONFIG_DIR)) return join(env.ATUIN_CONFIG_DIR, 'config.toml');
  const home = homeOf(env, platform);
  return home ? join(xdgDir(env, 'XDG_CONFIG_HOME', home), 'atuin', 'config.toml') : undefined;
}

function tomlOf(text: string, path: string, what: string): Record<string, unknown> {
  try {
    // the text is the file's bytes as latin1 (byte-exact editing); TOML is UTF-8
    return parse(Buffer.from(text, 'latin1').toString('utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new HookError(`${path}: ${what} is not valid TOML (${err instanceof Error ? err.message.split('\n')[0] : String(err)}): nothing was changed`);
  }
}

/** The config with everything but `history_filter`, as comparable text. */
function rest(toml: Record<string, unknown>): string {
  const { history_filter: _ignored, ...others } = toml;
  return JSON.stringify(others);
}

/** Place keyguard's block in atuin's config: before the first table, proven by parsing the result. */
export function withAtuinBlock(text: string, body: readonly string[], path: string): BlockEdit {
  const before = tomlOf(text, path, 'the config');
  const had = hasBlock(text, path);
  if (!had && before.history_filter !== undefined) {
    throw new HookError(
      `${path} already has a history_filter of its own: nothing was changed. Add ${ATUIN_PATTERNS.map((p) => JSON.stringify(p)).join(' and ')} ` +
        'to that list by hand (atuin reads one history_filter only)',
    );
  }
  const lines = text.split('\n');
  const firstTable = lines.findIndex((l) => /^\s*\[/.test(l));
  const next = withBlock(text, body, path, firstTable === -1 ? undefined : firstTable);
  if (next.action === 'unchanged') return next;
  const after = tomlOf(next.text, path, "the config with keyguard's history_filter");
  const filter = after.history_filter;
  const ours = Array.isArray(filter) && ATUIN_PATTERNS.every((p) => filter.includes(p));
  if (!ours || rest(after) !== rest(before)) {
    throw new HookError(
      `${path}: keyguard could not find a place for a top-level history_filter that leaves the rest of the config as it is: nothing was changed. ` +
        `Add at the top level (before the first [table]): history_filter = [${ATUIN_PATTERNS.map((p) => JSON.stringify(p)).join(', ')}]`,
    );
  }
  return next;
}
