// `keyguard scan`: files (default), --staged, or --history.
import { ExitCode, UsageError } from '../errors.js';
import { filterStage } from '../filters/stage.js';
import { runScan } from '../scan/pipeline.js';
import type { Source } from '../scan/source.js';
import type { Io } from './io.js';
import { FIX_OPTIONS, OUTPUT_OPTIONS, fixChoice, outputOptions, parse } from './options.js';
import { emit, loadBaseline, loadIgnore, newContext, rootOf } from './setup.js';

export const SCAN_HELP = `Usage: keyguard scan [PATH...] [options]
       keyguard scan --staged [PATH...] [options]
       keyguard scan --history [RANGE] [--since DATE] [options]
       keyguard scan - [--stdin-name NAME] [options]          (what is piped in)
       keyguard scan --pre-push [REMOTE [URL]] | --pre-receive   (git hooks: ref updates on stdin)

Scan for OpenAI keys. PATH defaults to '.'. In a git work tree the tracked files and the untracked
files git does not ignore are read; outside git, every file. Zip archives, chat exports, agent
transcripts and shell histories are recognised by content and name. Binary files are skipped.
Files git ignores are counted in the summary and named when they look like credentials (.env, *.pem).

Options:
  --staged               scan exactly what the next commit will contain (index blobs); with
                         PATHs, only those, and a listed file with no staged change is scanned
                         whole as it is in the index (pre-commit run --all-files)
  --history              scan every commit reachable from any ref (or RANGE, e.g. main..feature)
  --since DATE           with --history: only commits after DATE
  -                      read stdin (\`pbpaste | keyguard scan -\`, \`kubectl get secret -o yaml | keyguard scan -\`)
  --stdin-name NAME      the location shown for stdin (default 'stdin'); its extension picks the reader
  --no-gitignore         in a git work tree, scan the files git ignores too
  --jobs N               read files (or, with --history, walk history) on N threads (default: the
                         number of cores, or KEYGUARD_JOBS); findings are the same whatever N
  --pre-push             git's pre-push hook: scan only the commits being pushed (not on the remote yet)
  --pre-receive          git's pre-receive hook (bare repository): scan only the pushed commits it lacks
  --fix                  redact keys in agent transcripts and histories in place (with a backup);
                         write a redacted copy beside an export archive; in a shell profile
                         (.bashrc, .envrc …), move the key to your secret store, as audit --fix does
  --remove               with --fix: delete a profile's line that sets a key instead
  --dry-run              with --fix: show what would change
  --no-backup            with --fix: do not keep a backup (the backup holds the key)
  --verify               ask OpenAI whether each key is live (sends each key to api.openai.com only)
  --baseline FILE        suppress findings listed in FILE (default .keyguard-baseline.json)
  --no-baseline          ignore the baseline file
  --ignore-file FILE     path globs to skip (default .keyguardignore)
  --format text|json|sarif|github   output format (default text; github: workflow annotations)
  -o, --output FILE      write the report to FILE
  --show-secrets         print full keys (never do this in CI logs)
  -q, --quiet            print nothing when nothing is found
  --no-color             no colours even on a terminal

Exit codes: 0 nothing found and everything read; 1 findings; 2 usage error or something unreadable.
`;

const OPTIONS = {
  ...OUTPUT_OPTIONS,
  staged: { type: 'boolean' },
  history: { type: 'boolean' },
  'pre-push': { type: 'boolean' },
  'pre-receive': { type: 'boolean' },
  since: { type: 'string' },
  ...FIX_OPTIONS,
  verify: { type: 'boolean' },
  baseline: { type: 'string' },
  'no-baseline': { type: 'boolean' },
  'ignore-file': { type: 'string' },
  'no-gitignore': { type: 'boolean' },
  'stdin-name': { type: 'string' },
  jobs: { type: 'string' },
} as const;

/** `--jobs N`: a whole number from 1 to 64. */
function jobsOption(given: string | undefined): number | undefined {
  if (given === undefined) return undefined;
  const n = Number(given);
  if (!/^\d+$/.test(given) || n < 1 || n > 64) throw new UsageError(`--jobs takes a whole number from 1 to 64 (got '${given}')`);
  return n;
}

export async function scanCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS);
  if (values.help) {
    io.stdout(SCAN_HELP);
    return ExitCode.clean;
  }
  const out = outputOptions(values, io.env, io.stdoutIsTTY);
  if (values.staged && values.history) throw new UsageError('--staged and --history cannot be combined');
  if (values.since && !values.history) throw new UsageError('--since goes with --history');
  if (values.history && positionals.length > 1) throw new UsageError('--history takes at most one revision range');
  const fix = fixChoice(values);
  const stdin = (positionals as string[]).includes('-');
  if (values['stdin-name'] !== undefined && !stdin) throw new UsageError("--stdin-name goes with '-' (scan stdin)");
  if (stdin && (values.staged || values.history)) throw new UsageError("'-' (stdin) cannot be combined with --staged or --history");
  if (stdin && fix) throw new UsageError('--fix cannot rewrite stdin: scan a file to redact it');
  if (values['no-gitignore'] && (values.staged || values.history)) throw new UsageError('--no-gitignore goes with a scan of files, not --staged or --history');
  const jobs = jobsOption(values.jobs);
  if (jobs !== undefined && (values.staged || stdin)) throw new UsageError('--jobs goes with a scan of files or --history');
  const hook = values['pre-push'] ? 'pre-push' : values['pre-receive'] ? 'pre-receive' : undefined;
  if (hook) {
    if (values['pre-push'] && values['pre-receive']) throw new UsageError('--pre-push and --pre-receive cannot be combined');
    if (values.staged || values.history || values.since || fix || values.verify) {
      throw new UsageError(`--${hook} goes alone (not with --staged, --history, --since, --fix or --verify)`);
    }
    const { scanPush } = await import('./scan-push.js');
    const files = { ...(values['ignore-file'] ? { ignoreFile: values['ignore-file'] } : {}), ...(values.baseline ? { baselineFile: values.baseline } : {}) };
    return scanPush({ hook, positionals, out, noBaseline: values['no-baseline'] === true, ...files }, io);
  }

  // independent set-up runs side by side: every pre-commit hook waits for it, and for git's diff of
  // the index, which starts first; a tree scan's git listings start first too
  const early = values.staged ? await import('../sources/staged/source.js') : undefined;
  const stagedOpts = { cwd: io.cwd, env: io.env, ...(positionals.length > 0 ? { paths: positionals } : {}) };
  const started = early?.startStagedDiff(stagedOpts);
  const files = values.staged || values.history ? undefined : await import('../sources/files/source.js');
  const paths = positionals.length > 0 ? positionals : ['.'];
  const filesOpts = { paths, cwd: io.cwd, env: io.env, noGitignore: values['no-gitignore'] === true, countIgnored: true };
  const listings = files?.startListings(filesOpts);
  try {
    const [root, ctx] = await Promise.all([rootOf(io), newContext(io)]);
    const [ignore, baseline] = await Promise.all([
      loadIgnore(root, values['ignore-file']),
      values['no-baseline'] ? undefined : loadBaseline(root, values.baseline),
    ]);
    // staged and history paths are git's (relative to the top); files are shown relative to cwd
    const pathsFrom = values.staged || values.history ? root : io.cwd;
    const filters = filterStage({ ...(ignore ? { ignore: { filter: ignore, scope: { root, pathsFrom } } } : {}), ...(baseline ? { baseline } : {}) });

    let source: Source;
    let noun = 'files';
    if (values.staged) {
      source = early!.stagedSource({ ...stagedOpts, ...(started ? { started } : {}) });
      noun = 'staged files';
    } else if (values.history) {
      const { historySource } = await import('../sources/git-history/source.js');
      const range = positionals[0];
      const env = jobs !== undefined ? { ...io.env, KEYGUARD_HISTORY_JOBS: String(jobs) } : io.env;
      source = historySource({ cwd: io.cwd, env, ...(range ? { range } : {}), ...(values.since ? { since: values.since } : {}) });
      noun = 'file changes';
    } else {
      const stdinName = values['stdin-name'] !== undefined ? { stdinName: values['stdin-name'] } : {};
      const extra = { ...stdinName, ...(jobs !== undefined ? { jobs } : {}), ...(listings ? { listings } : {}) };
      source = files!.filesSource({ ...filesOpts, ignoreRoot: root, ...(ignore ? { ignore } : {}), ...extra });
    }

    const findings = await runScan(source, ctx, filters);
    const { adviceContext, textReport } = await import('./scan-advice.js');
    const advice = await adviceContext(findings, { cwd: io.cwd, env: io.env, fixed: fix !== undefined && !fix.dryRun });
    if (values.history) {
      const { annotateExposure } = await import('../sources/git-history/source.js');
      await annotateExposure(findings, { cwd: io.cwd, env: io.env, ...(advice.remote !== undefined ? { remote: advice.remote } : {}) }, ctx);
    }
    if (values.verify) {
      const { verifyFindings } = await import('../verify/verify.js');
      await verifyFindings(findings, { env: io.env, stderr: io.stderr });
    }
    if (fix) {
      const { fixFindings } = await import('../fix/dispatch.js');
      await fixFindings(findings, { io, ...fix, ctx });
    }
    return emit(io, ctx, findings, out, { noun, ...(out.format === 'text' ? { text: await textReport(findings, out, noun, advice) } : {}) });
  } finally {
    // (harmless once the source has ended it; ends it when set-up failed before the scan)
    started?.end();
  }
}
