// Options every scanning command shares, parsed once.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';
import { printable } from '../report/printable.js';
import { didYouMean } from './suggest.js';

export type Format = 'text' | 'json' | 'sarif' | 'github';
const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'github'];

export interface OutputOptions {
  format: Format;
  output?: string;
  showSecrets: boolean;
  quiet: boolean;
  color: boolean;
}

export const OUTPUT_OPTIONS = {
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'show-secrets': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** `--fix` and its modifiers, shared by `scan` and `audit`. */
export const FIX_OPTIONS = {
  fix: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'no-backup': { type: 'boolean' },
  remove: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

export interface FixChoice {
  dryRun: boolean;
  backup: boolean;
  /** profiles: delete the line that sets the key instead of moving the key to a secret store */
  remove: boolean;
}

/** The --fix choice, or undefined without --fix; --dry-run and --no-backup alone are usage errors. */
export function fixChoice(values: { fix?: boolean; 'dry-run'?: boolean; 'no-backup'?: boolean; remove?: boolean }): FixChoice | undefined {
  if (!values.fix) {
    if (values['dry-run'] || values['no-backup'] || values.remove) throw new UsageError('--dry-run, --no-backup and --remove go with --fix');
    return undefined;
  }
  return { dryRun: values['dry-run'] === true, backup: values['no-backup'] !== true, remove: values.remove === true };
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** A mistyped or misused option: main adds where to find the command's options. */
export class OptionError extends UsageError {}

/** The option names a command knows, as typed (`--format`, `-o`). */
function optionNames(options: Options): string[] {
  return Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
}

/**
 * parseArgs's complaint in keyguard's words, one line. Node's own text names the option in quotes and
 * then explains positionals with an example whose quote is never closed.
 */
function optionMessage(err: unknown, options: Options): string {
  const code = (err as { code?: unknown }).code;
  const text = err instanceof Error ? err.message : String(err);
  const quoted = /'([^']*)'/.exec(text)?.[1] ?? '';
  // "-o, --output <value>" → "--output"
  const name = printable(/--[\w-]+/.exec(quoted)?.[0] ?? quoted.split(' ')[0] ?? quoted);
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${name}'${didYouMean(name, optionNames(options))}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(text) ? `${name} needs a value` : `${name} takes no value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${name}': this command takes no arguments`;
    default:
      return text.replace(/^TypeError \[\w+\]: /, '');
  }
}

/** parseArgs with usage errors instead of TypeErrors. */
export function parse<O extends Options>(args: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new OptionError(optionMessage(err, options));
  }
}

export function outputOptions(
  values: { format?: string; output?: string; 'show-secrets'?: boolean; quiet?: boolean; 'no-color'?: boolean; color?: boolean },
  env: NodeJS.ProcessEnv,
  isTTY: boolean,
): OutputOptions {
  const given = values.format ?? 'text';
  const format = FORMATS.find((f) => f === given);
  if (format === undefined) throw new UsageError(`--format must be text, json, sarif or github (got '${given}')${didYouMean(given, FORMATS)}`);
  const color = values['no-color'] || env.NO_COLOR ? false : values.color === true || (isTTY && values.output === undefined && env.TERM !== 'dumb');
  const out: OutputOptions = { format, showSecrets: values['show-secrets'] === true, quiet: values.quiet === true, color };
  if (values.output !== undefined) out.output = values.output;
  return out;
}
