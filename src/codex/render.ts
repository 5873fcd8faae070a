// `keyguard codex` for people (text) and for scripts (JSON). Keys appear only redacted: every key
// in the report went through redact() when the resolver wrote it.
import pc from 'picocolors';
import { renderChecks } from '../report/text.js';
import { tildify } from './display.js';
import type { Effective } from './effective.js';
import type { CodexReport } from './report.js';

export const CODEX_JSON_VERSION = 1;

function versionLine(r: CodexReport): string {
  if (r.version.raw && r.resolution && !r.resolution.rules.assumed) return `Codex ${r.version.raw} (from \`codex --version\`)`;
  return `Codex version unknown (${r.version.problem ?? 'codex --version gave none'}): assuming the rules of ${r.resolution?.rules.version ?? 'the newest known release'}, the newest release keyguard knows`;
}

function counts(r: CodexReport): string {
  const n = (sev: string): number => r.checks.filter((c) => c.severity === sev).length;
  const parts = [
    [n('error'), 'error'],
    [n('warning'), 'warning'],
    [n('info'), 'note'],
  ] as const;
  return (
    parts
      .filter(([k]) => k > 0)
      .map(([k, w]) => `${k} ${w}${k === 1 ? '' : 's'}`)
      .join(', ') || 'no checks'
  );
}

function closing(r: CodexReport): string {
  if (r.problem) return `keyguard codex: ${r.problem}`;
  const errs = r.facts?.readErrors ?? [];
  if (errs.length > 0) return `keyguard codex: could not read ${errs.map((e) => `${e.path} (${e.message})`).join(', ')}; the answer above may be incomplete`;
  if (r.notSetUp) return 'keyguard codex: Codex is not set up here; nothing to check';
  const e = r.resolution?.effective;
  if (r.status === 0 && e?.interactive.kind === 'chatgpt' && e.exec.kind === 'chatgpt')
    return `keyguard codex: Codex uses your ChatGPT login and nothing overrides it (${counts(r)})`;
  return `keyguard codex: ${counts(r)}`;
}

export function renderCodexText(r: CodexReport, color: boolean): string {
  const c = pc.createColors(color);
  const out: string[] = [];
  const home = r.facts?.homeDir;
  out.push(c.dim(versionLine(r)));
  if (r.facts && r.resolution) {
    const h = r.facts.home;
    if (r.notSetUp) {
      out.push(
        '',
        `Codex is not set up on this machine: ${tildify(h.path, home)} does not exist (no login, no config). Nothing overrides or endangers a ChatGPT login.`,
      );
    } else {
      out.push(c.dim(`CODEX_HOME ${tildify(h.path, home)}${h.fromEnv ? ' (from $CODEX_HOME)' : ''}${h.exists ? '' : ' (missing)'}`));
      const eff = r.resolution.effective;
      const line = (label: string, e: Effective): string =>
        `  ${c.bold(label)}  ${e.kind === 'chatgpt' ? c.green(e.summary) : e.kind === 'api-key' || e.kind === 'provider-key' ? c.yellow(e.summary) : e.summary}`;
      out.push('', line('interactive CLI (codex):', eff.interactive), line('codex exec:             ', eff.exec));
    }
  }
  // Paths read better as ~/… on a terminal; JSON keeps them absolute.
  const shown = r.checks.map((ch) => (ch.path ? { ...ch, path: tildify(ch.path, home) } : ch));
  if (shown.length > 0) out.push('', ...renderChecks(shown, color));
  out.push('', closing(r));
  return `${out.join('\n')}\n`;
}

function effectiveJson(e: Effective): Record<string, unknown> {
  const o: Record<string, unknown> = { kind: e.kind, billing: e.billing, summary: e.summary, provider: e.provider };
  if (e.from) o.from = e.from;
  if (e.source) {
    o.path = e.source.path;
    if (e.source.line) o.line = e.source.line;
  }
  if (e.key) o.key = e.key;
  if (e.plan) o.plan = e.plan;
  if (e.email) o.email = e.email;
  if (e.baseUrl) o.baseUrl = e.baseUrl;
  return o;
}

export function codexJson(r: CodexReport): Record<string, unknown> {
  const codex: Record<string, unknown> = {
    version: r.resolution?.rules.version ?? null,
    versionAssumed: r.resolution?.rules.assumed ?? true,
  };
  if (r.version.problem) codex.versionProblem = r.version.problem;
  if (r.facts) {
    codex.home = r.facts.home.path;
    codex.homeFromEnv = r.facts.home.fromEnv;
    codex.homeExists = r.facts.home.exists;
    codex.authFile = r.facts.auth.path;
  }
  codex.setUp = !r.notSetUp && r.facts !== undefined;
  if (r.resolution) {
    codex.store = r.resolution.stored.store;
    codex.storedLogin = r.resolution.stored.kind;
  }
  const doc: Record<string, unknown> = { version: CODEX_JSON_VERSION, tool: 'keyguard', command: 'codex', codex };
  if (r.resolution) doc.effective = { interactive: effectiveJson(r.resolution.effective.interactive), exec: effectiveJson(r.resolution.effective.exec) };
  doc.checks = r.checks;
  doc.errors = [...(r.facts?.readErrors ?? []), ...(r.problem ? [{ path: '', message: r.problem }] : [])];
  doc.status = r.status;
  return doc;
}
