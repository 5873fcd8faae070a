// What to do, in order: revoke, remove from where it sits, prevent. Per kind of place.
import type { OriginKind } from '../types.js';

export const REVOKE_URL = 'https://platform.openai.com/api-keys';

const REMOVE: Record<OriginKind, string> = {
  file: 'Remove the key from the file and load it from the environment or a secrets manager instead. If the file was ever committed, the key is in git history too: run `keyguard scan --history`.',
  staged: 'Remove the key from the file and re-stage it (`git add`), or unstage the file (`git restore --staged <file>`).',
  commit: 'Purge it from history (`git filter-repo --replace-text`), force-push, and tell collaborators to re-clone; for an unpushed latest commit, `git commit --amend` is enough.',
  profile: 'Delete the literal key from the profile; fetch it at run time instead (`export OPENAI_API_KEY="$(op read op://vault/openai/key)"`, `security find-generic-password -w …`, `secret-tool lookup …`).',
  'shell-history': 'Redact it with `keyguard audit --fix` (a backup is kept), then clear the history held in memory by running shells (`history -c` in bash, `fc -p` in zsh) or close them.',
  'repl-history': 'Redact it with `keyguard audit --fix` (a backup is kept); close running REPLs first, as they write their history back on exit.',
  'chat-export': 'Delete the conversation in the service (the copy there is not removed by deleting the export), then delete or redact the local export (`keyguard scan --fix` writes a redacted copy).',
  'agent-transcript': 'Redact the transcript with `keyguard audit --fix` or `keyguard scan --fix FILE` (a backup is kept), and keep keys out of prompts: agents copy what they read into their logs.',
  codex: 'Run `codex logout && codex login` to replace a stored API key with your ChatGPT sign-in, or move the key to the OS keyring (`cli_auth_credentials_store = "keyring"`).',
};

const PREVENT: Partial<Record<OriginKind, string>> = {
  file: 'Install the pre-commit hook: `keyguard install`.',
  staged: 'Mark a false positive with a `keyguard:allow` comment on the line or `keyguard baseline`; bypassing once with `git commit --no-verify` does not un-leak anything.',
  commit: 'Install the pre-commit hook (`keyguard install`) so the next key is stopped before it is committed.',
  'shell-history': 'Keep keys out of history: bash `HISTCONTROL=ignorespace`, zsh `setopt HIST_IGNORE_SPACE` (then start the command with a space), fish `fish --private`, PowerShell PSReadLine `Set-PSReadLineOption -AddToHistoryHandler`.',
  'repl-history': 'Read keys from the environment inside the REPL (`os.environ["OPENAI_API_KEY"]`) instead of pasting them.',
  profile: 'Keep profiles free of secrets; dotfiles get synced and published.',
};

export function remediationSteps(kind: OriginKind): string[] {
  const steps = [`Revoke the key now at ${REVOKE_URL} (or the project's API keys page) and create a new one: removing it is not enough once it has been copied.`, REMOVE[kind]];
  const prevent = PREVENT[kind];
  if (prevent) steps.push(prevent);
  return steps;
}
