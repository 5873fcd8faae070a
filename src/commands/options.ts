// Options every scanning command shares, parsed once.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';

export type Format = 'text' | 'json' | 'sarif';

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

/** `--fix` and its two modifiers, shared by `scan` and `audit`. */
export const FIX_OPTIONS = {
  fix: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'no-backup': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

export interface FixChoice {
  dryRun: boolean;
  backup: boolean;
}

/** The --fix choice, or undefined without --fix; --dry-run and --no-backup alone are usage errors. */
export function fixChoice(values: { fix?: boolean; 'dry-run'?: boolean; 'no-backup'?: boolean }): FixChoice | undefined {
  if (!values.fix) {
    if (values['dry-run'] || values['no-backup']) throw new UsageError('--dry-run and --no-backup go with --fix');
    return undefined;
  }
  return { dryRun: values['dry-run'] === true, backup: values['no-backup'] !== true };
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with usage errors instead of TypeErrors. */
export function parse<O extends Options>(args: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.replace(/^TypeError \[\w+\]: /, '') : String(err));
  }
}

export function outputOptions(
  values: { format?: string; output?: string; 'show-secrets'?: boolean; quiet?: boolean; 'no-color'?: boolean; color?: boolean },
  env: NodeJS.ProcessEnv,
  isTTY: boolean,
): OutputOptions {
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') {
    throw new UsageError(`--format must be text, json or sarif (got '${format}')`);
  }
  const color = values['no-color'] || env.NO_COLOR ? false : values.color === true || (isTTY && values.output === undefined && env.TERM !== 'dumb');
  const out: OutputOptions = { format, showSecrets: values['show-secrets'] === true, quiet: values.quiet === true, color };
  if (values.output !== undefined) out.output = values.output;
  return out;
}
