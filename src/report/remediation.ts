// What to do, in order: revoke, remove from where it sits, prevent. Per kind of place.
import type { OriginKind } from '../types.js';

export const REVOKE_URL = 'https://platform.openai.com/api-keys';

const REMOVE: Record<OriginKind, string> = {
  file: 'Remove the key from the file and load it from the environment or a secrets manager instead. If the file was ever committed, the key is in git history too: run `keyguard scan --history`.',
  staged:
    'Remove the key from the file (read it from the environment or a secrets manager instead) and re-stage it with `git add <file>`, or unstage the file with `git restore --staged <file>`; then commit again.',
  commit:
    'Purge it from every commit: `git filter-repo --replace-text FILE` in a fresh clone, with the replacements file keyguard writes into the git dir (it holds patterns, not keys; see the notes below). Only in the latest commit and never pushed? Remove it, `git add` and `git commit --amend` instead.',
  profile:
    'Delete the literal key from the profile; fetch it at run time instead (`export OPENAI_API_KEY="$(op read op://vault/openai/key)"`, `security find-generic-password -w …`, `secret-tool lookup …`).',
  'shell-history':
    'Redact it with `keyguard audit --fix` (a backup is kept), then clear the history held in memory by running shells (`history -c` in bash, `fc -p` in zsh) or close them.',
  'repl-history': 'Redact it with `keyguard audit --fix` (a backup is kept); close running REPLs first, as they write their history back on exit.',
  'chat-export':
    'Delete the conversation in the service: open the `link:` shown with the finding (ChatGPT, Claude.ai, Discord), or find it by its title and time; deleting the export does not remove it there. Then delete the local export, or keep only the redacted copy `keyguard scan --fix` writes beside it.',
  'agent-transcript':
    'Redact the transcript with `keyguard audit --fix` or `keyguard scan --fix FILE` (a backup is kept), and keep keys out of prompts: agents copy what they read into their logs.',
  codex:
    'Run `codex logout && codex login` to replace a stored API key with your ChatGPT sign-in, or move the key to the OS keyring (`cli_auth_credentials_store = "keyring"`).',
};

const PREVENT: Partial<Record<OriginKind, string>> = {
  file: 'Install the pre-commit hook: `keyguard install`.',
  staged:
    'Not a real key? Add a `keyguard:allow` comment on that line, or record it with `keyguard baseline`. To commit anyway, once: `git commit --no-verify`. Bypassing does not un-leak anything: the key goes into the commit and into every clone and push of it.',
  commit:
    'Force-push every rewritten branch and tag (`git push --force --all && git push --force --tags`) and tell collaborators to re-clone: an old clone pushes the key right back. Then install the pre-commit hook (`keyguard install`) so the next key is stopped before it is committed.',
  'shell-history':
    'Keep keys out of history: bash `HISTCONTROL=ignorespace`, zsh `setopt HIST_IGNORE_SPACE` (then start the command with a space), fish `fish --private`, PowerShell PSReadLine `Set-PSReadLineOption -AddToHistoryHandler`.',
  'repl-history': 'Read keys from the environment inside the REPL (`os.environ["OPENAI_API_KEY"]`) instead of pasting them.',
  profile: 'Keep profiles free of secrets; dotfiles get synced and published.',
};

/** What the advice may assume about where the keys were found. */
export interface AdviceContext {
  /** the repository has a remote (false: none, so a history rewrite has nothing to force-push); unknown when undefined */
  remote?: boolean;
  /** --fix has just redacted what it could (the steps must not tell the user to run it) */
  fixed?: boolean;
  /** how many distinct keys the steps are about */
  keys?: number;
}

/** After --fix: what is left to do where the redaction happened. */
const REMOVE_AFTER_FIX: Partial<Record<OriginKind, string>> = {
  profile:
    'The key was moved out of the profile by --fix (see above: the line now reads it at run time from your secret store or a private file, ' +
    'or with --remove it was deleted; a backup was kept unless --no-backup). Lines --fix refused still hold it: edit them by hand.',
  'shell-history':
    'The history was redacted by --fix (see above; a backup was kept unless --no-backup). ' +
    'Clear the history held in memory by running shells (`history -c` in bash, `fc -p` in zsh) or close them.',
  'repl-history': 'The history was redacted by --fix (see above); quit running REPLs without saving, as they write their history back on exit.',
  'agent-transcript': 'The transcript was redacted by --fix (see above). Keep keys out of prompts: agents copy what they read into their logs.',
};

const NO_REMOTE_COMMIT =
  'This repository has no remote, so nothing needs a force-push: once rewritten, the key is gone from it ' +
  '(clones or backups made earlier still hold it). Then install the pre-commit hook (`keyguard install`) so the next key is stopped before it is committed.';

function revokeStep(kind: OriginKind, keys: number): string {
  const what = keys > 1 ? `these ${keys} keys (listed above)` : 'the key';
  if (kind === 'staged') {
    const they = keys > 1 ? { are: 'these keys are', were: 'they were' } : { are: 'the key is', were: 'it was' };
    return (
      `The commit was blocked, so ${they.are} not in git history. Revoke ${what} at ${REVOKE_URL} only if ${they.were} shared elsewhere ` +
      '(pasted into a chat, pushed from another clone, kept in a file others read).'
    );
  }
  const fresh = keys > 1 ? 'new ones' : 'a new one';
  const copied = keys > 1 ? 'them is not enough once they have' : 'it is not enough once it has';
  return `Revoke ${what} now at ${REVOKE_URL} (or the project's API keys page) and create ${fresh}: removing ${copied} been copied.`;
}

export function remediationSteps(kind: OriginKind, advice: AdviceContext = {}): string[] {
  const keys = advice.keys ?? 1;
  const remove = (advice.fixed ? REMOVE_AFTER_FIX[kind] : undefined) ?? REMOVE[kind];
  // a blocked commit: taking the key out of the change comes first, revoking only if it went elsewhere
  const steps = kind === 'staged' ? [remove, revokeStep(kind, keys)] : [revokeStep(kind, keys), remove];
  const prevent = kind === 'commit' && advice.remote === false ? NO_REMOTE_COMMIT : PREVENT[kind];
  if (prevent) steps.push(prevent);
  return steps;
}
