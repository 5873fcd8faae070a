// The files keyguard ships beside its code: the POSIX hook scripts (hooks/pre-commit, pre-push,
// pre-receive), and the version the pre-commit framework entry pins (package.json's, through
// src/version.ts).
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERSION } from '../version.js';

export type HookName = 'pre-commit' | 'pre-push' | 'pre-receive';

/** dist/hook/ or dist/bundle/ (or src/hook/ under the test runner) → the package root. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The first comment line of each shipped script: how an installed hook is recognised as keyguard's. */
export function hookMark(name: HookName): string {
  return `# keyguard ${name} hook`;
}

export async function hookScript(name: HookName): Promise<string> {
  // a checkout with core.autocrlf may have given the script CRLF endings, which sh cannot run
  return (await readFile(join(PACKAGE_ROOT, 'hooks', name), 'utf8')).replace(/\r\n/g, '\n');
}

/** The placeholder line in hooks/pre-commit and hooks/pre-push that `withInstalledKeyguard` fills in. */
const INSTALLED_AT = /^installed_keyguard=''$/m;

/**
 * The script with where install found keyguard written into it (a line of the installed copy, so the
 * hook stays one self-contained file that uninstall removes whole, and a reinstall from elsewhere shows
 * as "updated"). Without a location, the shipped script unchanged.
 */
export function withInstalledKeyguard(script: string, at: string | undefined): string {
  if (at === undefined) return script;
  return script.replace(INSTALLED_AT, () => `installed_keyguard='${at.replace(/'/g, "'\\''")}'`);
}

export function isKeyguardHook(name: HookName, content: string): boolean {
  return content.split('\n', 3).some((l) => l.startsWith(hookMark(name)));
}

export async function packageVersion(): Promise<string> {
  return VERSION;
}
