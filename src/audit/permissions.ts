// A history or profile that holds a key and that other users can read is a problem of its own:
// anyone on the machine (or in the backup) can copy the key, whatever happens to it here.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Check, Finding } from '../types.js';
import { shq } from '../report/shell-quote.js';

export async function readableByOthers(findings: readonly Finding[], cwd: string, platform: NodeJS.Platform): Promise<Check[]> {
  if (platform === 'win32') return []; // modes do not describe Windows ACLs
  const checks: Check[] = [];
  const paths = [
    ...new Set(findings.filter((f) => f.kind === 'profile' || f.kind === 'shell-history' || f.kind === 'repl-history').map((f) => f.location.path)),
  ];
  for (const path of paths) {
    let mode: number;
    try {
      mode = (await stat(resolve(cwd, path))).mode & 0o777;
    } catch {
      continue;
    }
    if ((mode & 0o077) === 0) continue;
    const who = (mode & 0o007) !== 0 ? 'every user on this machine' : 'users in its group';
    const kind = findings.find((f) => f.location.path === path)!.kind;
    checks.push({
      id: kind === 'profile' ? 'profile-readable-by-others' : 'history-readable-by-others',
      severity: 'error',
      message: `holds a key and ${who} can read it (mode ${mode.toString(8).padStart(3, '0')})`,
      detail: 'Anyone who can read the file has the key, whatever you do to the file later: revoke the key as well.',
      path,
      fix: [`chmod 600 ${shq(resolve(cwd, path))}`],
    });
  }
  return checks;
}
