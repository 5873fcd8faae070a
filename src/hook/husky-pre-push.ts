// The pre-push check in husky's form: one line in .husky/pre-push, which husky's wrapper runs with
// git's arguments and stdin (and node_modules/.bin on PATH). The line goes first, after a shebang:
// git writes the refs being pushed on stdin once, and a command before keyguard's could read them.
// Uninstall removes that line and nothing else (text-lines.ts gives back the user's exact bytes).
import { addHuskyLine, removeHuskyLine, type HuskyLine } from './husky.js';
import type { PushHookOutcome } from './push-hooks.js';
import type { HookRepo } from './repo.js';

const PRE_PUSH: HuskyLine = {
  file: 'pre-push',
  args: 'scan --pre-push "$@"',
  runs: /(?:^|[\s/])(?:keyguard|cli\.js)\s+scan\s+--pre-push\b/,
  first: true,
};

/** `keyguardAt` as for the pre-commit line (husky.ts). */
export async function installHuskyPrePush(repo: HookRepo, keyguardAt?: string): Promise<PushHookOutcome> {
  const outcome = await addHuskyLine(repo, PRE_PUSH, keyguardAt);
  if (outcome.action === 'updated') {
    outcome.notes.push("keyguard's line runs first in .husky/pre-push: it reads the refs git writes on stdin, which a command before it could consume");
  }
  return { hook: 'pre-push', ...outcome };
}

export async function uninstallHuskyPrePush(repo: HookRepo): Promise<PushHookOutcome> {
  return { hook: 'pre-push', ...(await removeHuskyLine(repo, PRE_PUSH)) };
}
