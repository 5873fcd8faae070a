// What goes between keyguard's markers, per shell. Each snippet matches keys in the shell's own
// pattern language (the marker every `sk-` key carries, and the `sess-` session key shape), so no
// program is started per command line. The traps each one avoids are in the README's shell-guard
// section and in the comments below.
import { MARKER, SESSION_PREFIX, SESSION_SHAPE } from '../../engine/rules.js';

const BODY = SESSION_SHAPE.body;

export type GuardedShell = 'zsh' | 'bash' | 'fish' | 'pwsh';

export function zshSnippet(): string[] {
  return [
    '# Lines holding an OpenAI key are not saved to the history. Return 1, not 2: 2 keeps the line in the',
    "# shell's own history, which tools such as McFly export; the hook goes first, since the first non-zero status wins.",
    '_keyguard_zshaddhistory() {',
    '  emulate -L zsh',
    '  setopt extended_glob',
    `  [[ $1 == *${MARKER}* || $1 == *${SESSION_PREFIX}[[:alnum:]](#c${BODY})* ]] && return 1`,
    '  return 0',
    '}',
    'typeset -ga zshaddhistory_functions',
    'zshaddhistory_functions=(_keyguard_zshaddhistory ${zshaddhistory_functions:#_keyguard_zshaddhistory})',
  ];
}

/** bash globs have no repeat count: the session key's body spelled out, in ASCII ranges (no ':' for HISTIGNORE). */
const BASH_SESSION = `*${SESSION_PREFIX}${'[a-zA-Z0-9]'.repeat(BODY)}*`;

export function bashSnippet(): string[] {
  return [
    '# Lines holding an OpenAI key are not saved to the history. HISTIGNORE never tests the second and later lines',
    '# of a multi-line command, so a PROMPT_COMMAND scrubber (bash >= 5.0) also drops the last entry when it holds a key;',
    '# it puts itself first in PROMPT_COMMAND, before `history -a` and other history tools, and keeps $? for the rest.',
    `case ":\${HISTIGNORE-}:" in *":*${MARKER}*:"*) ;; *) HISTIGNORE="\${HISTIGNORE:+$HISTIGNORE:}*${MARKER}*:${BASH_SESSION}" ;; esac`,
    '__keyguard_history_scrub() {',
    '  local s=$? l',
    '  case ${PROMPT_COMMAND-} in',
    '    __keyguard_history_scrub\\;*) ;;',
    '    *) PROMPT_COMMAND="__keyguard_history_scrub;${PROMPT_COMMAND//__keyguard_history_scrub;/}" ;;',
    '  esac',
    '  l=$(HISTTIMEFORMAT= builtin history 1)',
    `  [[ $l == *${MARKER}* || $l == ${BASH_SESSION} ]] && builtin history -d -1`,
    '  return $s',
    '}',
    'if (( BASH_VERSINFO[0] >= 5 )); then',
    '  PROMPT_COMMAND=${PROMPT_COMMAND-}   # set -u: an unset PROMPT_COMMAND cannot be edited',
    '  PROMPT_COMMAND="__keyguard_history_scrub;${PROMPT_COMMAND//__keyguard_history_scrub;/}"',
    'fi',
  ];
}

export function fishSnippet(): string[] {
  return [
    '# Lines holding an OpenAI key are not saved to the history (fish >= 4.0 asks fish_should_add_to_history).',
    "# A function of the user's own is kept and asked after this check; without one, fish's rule that a",
    '# command starting with a space is not saved is kept too (defining this function would otherwise drop it).',
    'if not set -q __keyguard_shell_guard',
    '    set -g __keyguard_shell_guard 1',
    '    if functions -q fish_should_add_to_history',
    '        functions -c fish_should_add_to_history __keyguard_user_should_add_to_history',
    '    end',
    'end',
    'function fish_should_add_to_history',
    `    string match -qr -- '${MARKER}|${SESSION_PREFIX}[A-Za-z0-9]{${BODY}}' $argv[1]; and return 1`,
    '    if functions -q __keyguard_user_should_add_to_history',
    '        __keyguard_user_should_add_to_history $argv',
    '        return',
    '    end',
    "    string match -qr -- '^\\s' $argv[1]; and return 1",
    '    return 0',
    'end',
  ];
}

/**
 * PowerShell's pattern: a .NET regular expression, tested with -cmatch (-match ignores case, and a
 * lower-case marker is no key). The same text means the same in JavaScript: literals, ASCII classes, {n}.
 */
export const PWSH_PATTERN = `${MARKER}|${SESSION_PREFIX}[A-Za-z0-9]{${BODY}}`;

export function pwshSnippet(): string[] {
  return [
    '# Lines holding an OpenAI key are not saved to the history (PSReadLine 2.0 or later: AddToHistoryHandler).',
    "# The handler set before this one is kept and asks about every other line: PSReadLine's default one keeps lines",
    '# with password, token, apikey or secret out of the history file, and a handler of your own stays in charge.',
    '# Without PSReadLine (or before 2.0) nothing is set; sourced again, it keeps the handler it chained, not itself.',
    "if ((Get-Module PSReadLine) -and ('Microsoft.PowerShell.AddToHistoryOption' -as [type]) -and",
    "    (Get-Command Set-PSReadLineOption -ErrorAction Ignore).Parameters.ContainsKey('AddToHistoryHandler')) {",
    '  & {',
    '    $previous = (Get-PSReadLineOption).AddToHistoryHandler',
    '    $guard = Get-Variable -Scope Global -Name __keyguard_history_guard -ValueOnly -ErrorAction Ignore',
    '    if ($guard -and [object]::ReferenceEquals($previous, $guard.Handler)) { $previous = $guard.Previous }',
    '    $handler = {',
    '      param([string]$line)',
    `      if ($line -cmatch '${PWSH_PATTERN}') { return [Microsoft.PowerShell.AddToHistoryOption]::SkipAdding }`,
    '      if ($previous) { return $previous.Invoke($line) }',
    '      [Microsoft.PowerShell.PSConsoleReadLine]::GetDefaultAddToHistoryOption($line)',
    '    }.GetNewClosure()',
    '    Set-PSReadLineOption -AddToHistoryHandler $handler',
    '    $global:__keyguard_history_guard = @{ Handler = (Get-PSReadLineOption).AddToHistoryHandler; Previous = $previous }',
    '  }',
    '}',
  ];
}

export const SNIPPETS: Record<GuardedShell, () => string[]> = { zsh: zshSnippet, bash: bashSnippet, fish: fishSnippet, pwsh: pwshSnippet };
