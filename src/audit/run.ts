// The audit from places to sections: read every place through the scan pipeline, then add what the
// findings imply (files others can read, dotfiles repositories, hardening advice, run-time fetches).
import { open } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { homeOf } from '../discover/home.js';
import { discoverProfiles, profileShellOf } from '../discover/profiles.js';
import type { ScanContext } from '../scan/context.js';
import { runScan } from '../scan/pipeline.js';
import { historyFormatOf, type HistoryFormat } from '../sources/shell-history/registry.js';
import { sniff } from '../sources/files/sniff.js';
import type { Check, Finding } from '../types.js';
import { discoverHistories } from '../discover/histories.js';
import { trackedProfiles } from './dotfiles.js';
import { hardeningAdvice } from './hardening.js';
import { readableByOthers } from './permissions.js';
import { SECTION_TITLES, sectionOf, type AuditPlace, type AuditSection, type SectionId } from './places.js';
import { profileNotes } from './profile-notes.js';
import { placesSource } from './read-places.js';

/** This user's profiles and histories. A missing HOME is an error (exit 2): most places hang off it. */
export async function discoverPlaces(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, ctx: ScanContext): Promise<AuditPlace[]> {
  if (!homeOf(env, platform)) {
    ctx.error('$HOME', 'HOME is not set: shell profiles and most histories cannot be found (set HOME, or pass the files: keyguard audit FILE…)');
  }
  const profiles: AuditPlace[] = (await discoverProfiles(env, platform)).map((p) => ({
    path: p.path,
    kind: 'profile',
    format: 'profile',
    shell: p.shell,
    tool: p.shell,
    ...(p.sourcedFrom ? { sourcedFrom: p.sourcedFrom } : {}),
  }));
  return [...profiles, ...(await discoverHistories(env, platform))];
}

const SHELL_FORMATS = new Set<HistoryFormat>(['bash', 'zsh', 'fish', 'pwsh', 'nushell', 'shell-lines']);

async function headOf(path: string): Promise<Buffer | undefined> {
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(8000);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    return undefined; // the source reports what cannot be read
  }
}

/** Files named on the command line: profiles by their name, histories by name or content, anything else like `scan`. */
export async function givenPlaces(paths: readonly string[], cwd: string): Promise<AuditPlace[]> {
  const out: AuditPlace[] = [];
  for (const path of paths) {
    const base = basename(path);
    const shell = profileShellOf(base);
    if (shell) {
      out.push({ path, kind: 'profile', format: 'profile', shell, tool: shell });
      continue;
    }
    const head = await headOf(resolve(cwd, path));
    const format = head ? historyFormatOf(base, sniff(head), head) : undefined;
    if (!format) {
      out.push({ path, kind: 'file' });
      continue;
    }
    const kind = SHELL_FORMATS.has(format) || (format === 'sqlite' && base !== 'history.sqlite') ? 'shell-history' : 'repl-history';
    out.push({ path, kind, format, ...(SHELL_FORMATS.has(format) && format !== 'shell-lines' ? { tool: format } : {}) });
  }
  return out;
}

export interface AuditOutcome {
  /** in section order, then by path and line */
  findings: Finding[];
  sections: AuditSection[];
}

const ORDER: SectionId[] = ['profiles', 'shell-histories', 'repl-histories', 'chats', 'codex', 'other'];

function sectionFor(check: Check, findings: readonly Finding[]): SectionId {
  if (check.id.startsWith('history-hardening')) return 'shell-histories';
  const f = check.path ? findings.find((x) => x.location.path === check.path) : undefined;
  if (f) return sectionOf(f.kind);
  return check.id.startsWith('profile') ? 'profiles' : 'other';
}

export async function runAudit(
  places: readonly AuditPlace[],
  ctx: ScanContext,
  opts: { env: NodeJS.ProcessEnv; cwd: string; platform: NodeJS.Platform },
): Promise<AuditOutcome> {
  const findings = await runScan(placesSource(places, opts.cwd), ctx);
  const section = (f: Finding): number => ORDER.indexOf(sectionOf(f.kind));
  findings.sort(
    (a, b) =>
      section(a) - section(b) || (a.location.path < b.location.path ? -1 : a.location.path > b.location.path ? 1 : 0) || a.location.line - b.location.line,
  );
  const notes = await profileNotes(places);
  const checks = [
    ...(await readableByOthers(findings, opts.cwd, opts.platform)),
    ...(await trackedProfiles(findings, opts.env, opts.platform)),
    ...notes.checks,
    ...hardeningAdvice(findings, places, notes.hardening),
  ];
  const sections = new Map<SectionId, AuditSection>(ORDER.map((id) => [id, { id, title: SECTION_TITLES[id], findings: [], checks: [], places: [] }]));
  for (const p of places) sections.get(sectionOf(p.kind))!.places.push(p.path);
  for (const f of findings) sections.get(sectionOf(f.kind))!.findings.push(f);
  for (const c of checks) sections.get(sectionFor(c, findings))!.checks.push(c);
  // a file given on the command line is counted where its reader placed it
  const other = sections.get('other')!;
  other.places = other.places.filter((p) => !findings.some((f) => f.location.path === p && sectionOf(f.kind) !== 'other'));
  for (const f of findings) {
    const s = sections.get(sectionOf(f.kind))!;
    if (!s.places.includes(f.location.path)) s.places.push(f.location.path);
  }
  return { findings, sections: [...sections.values()] };
}
