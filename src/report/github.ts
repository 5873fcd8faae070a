// GitHub Actions workflow commands: one `::error` annotation per finding, shown on the pull request's
// diff at the key's line, and the summary as a `::notice`. The key is always redacted here, even with
// --show-secrets: workflow logs are kept and shared. Names pass through the same redaction and
// control-character escaping as the text report, then GitHub's own escaping, so a file name can
// neither forge a second workflow command nor end the annotation early.
import type { Check, Finding, ScanSummary } from '../types.js';
import { nameView } from './names.js';
import { REVOKE_URL } from './remediation.js';
import { summaryLine } from './text.js';

const shown = nameView(false).text;

/** The message part of a workflow command (after `::`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value (`file=`, `title=`): also `:` and `,`, which would end the property or the command. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(level: 'error' | 'warning' | 'notice', props: Record<string, string | number | undefined>, message: string): string {
  const list = Object.entries(props)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`);
  return `::${level}${list.length > 0 ? ` ${list.join(',')}` : ''}::${escapeData(message)}`;
}

function findingLine(f: Finding): string {
  const commit = f.location.commit;
  const where = commit ? ` in commit ${shown(commit.sha).slice(0, 12)}` : '';
  const message = `${f.familyLabel} ${f.redacted} (fingerprint ${f.fingerprint})${where}. Revoke it at ${REVOKE_URL}, then remove it.`;
  // a key in a file or author name has no line (0): the annotation is on the file
  const line = f.location.line > 0 ? f.location.line : undefined;
  const col = line !== undefined ? f.location.column : undefined;
  return command('error', { file: shown(f.location.path), line, col, title: `keyguard: ${f.familyLabel}` }, message);
}

function checkLine(ch: Check): string {
  const level = ch.severity === 'info' ? 'notice' : ch.severity;
  const message = [ch.message, ch.detail, ...ch.fix.map((x) => `fix: ${x}`)]
    .filter((x): x is string => x !== undefined)
    .map(shown)
    .join('\n');
  return command(level, { file: ch.path === undefined ? undefined : shown(ch.path), line: ch.line, title: `keyguard: ${shown(ch.id)}` }, message);
}

export function renderGithub(findings: readonly Finding[], summary: ScanSummary, checks: readonly Check[] = [], noun?: string): string {
  const out = [
    ...findings.map(findingLine),
    ...checks.map(checkLine),
    ...summary.errors.map((e) => command('error', { file: shown(e.path), title: 'keyguard: could not read' }, shown(e.message))),
    ...summary.notes.map((n) => command('notice', { title: 'keyguard' }, shown(n))),
    command('notice', { title: 'keyguard' }, summaryLine(summary, noun, { findings, checks })),
  ];
  return `${out.join('\n')}\n`;
}
