// How paths, keys and sources read in messages. Keys only ever appear redacted.
import { redact } from '../engine/redact.js';
import type { Assignment, SourceRef } from './facts.js';

export function tildify(path: string, homeDir: string | undefined): string {
  if (!homeDir) return path;
  const h = homeDir.replace(/[\\/]+$/, '');
  if (path === h) return '~';
  if (path.startsWith(`${h}/`) || path.startsWith(`${h}\\`)) return `~${path.slice(h.length)}`;
  return path;
}

export function at(ref: SourceRef, homeDir: string | undefined): string {
  return `${tildify(ref.path, homeDir)}${ref.line ? ` line ${ref.line}` : ''}`;
}

/** The source line as written, with the value redacted (it may be a key). */
export function redactedLine(a: Assignment): string {
  const raw = a.raw.trim();
  // URLs and organization/project ids are not secrets, and the user needs to see which line it is.
  if (!a.value || a.value.length < 8 || /^(https?:\/\/|org-|proj_)/.test(a.value)) return raw;
  return raw.split(a.value).join(redact(a.value));
}

export function planName(plan: string | undefined): string | undefined {
  if (!plan) return undefined;
  return plan.charAt(0).toUpperCase() + plan.slice(1);
}

export { redact };
