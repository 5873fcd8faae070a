// Checks on where Codex's files live: a CODEX_HOME that does not exist, and an auth.json that other
// users, a git repository or a sync client can reach.
import { relative } from 'node:path';
import type { Check } from '../types.js';
import { tildify } from './display.js';
import type { CheckInput } from './check-input.js';

export function homeMissingCheck(input: CheckInput): Check[] {
  const h = input.facts.home;
  if (h.exists || !h.fromEnv) return [];
  const shown = tildify(h.path, input.facts.homeDir);
  return [
    {
      id: 'codex-home-missing',
      severity: 'error',
      message: `CODEX_HOME points to ${shown}, which does not exist: every Codex command fails with "Error loading configuration"`,
      fix: [`mkdir -p ${shown}   # then: codex login`, 'or: unset CODEX_HOME   # and remove it from your shell profile, to use ~/.codex'],
    },
  ];
}

export function exposureChecks(input: CheckInput): Check[] {
  const { facts } = input;
  if (facts.auth.state === 'absent') return [];
  const home = facts.homeDir;
  const path = facts.auth.path;
  const shown = tildify(path, home);
  const ex = facts.exposure;
  const out: Check[] = [];
  if (ex.mode !== undefined && (ex.mode & 0o077) !== 0) {
    out.push({
      id: 'codex-auth-file-permissions',
      severity: 'warning',
      message: `auth.json is readable by other users (mode ${ex.mode.toString(8).padStart(3, '0')}); Codex creates it with 600`,
      path,
      fix: [`chmod 600 ${shown}`],
    });
  }
  if (ex.git) {
    const rel = relative(ex.git.root, path);
    const root = tildify(ex.git.root, home);
    if (ex.git.tracked) {
      out.push({
        id: 'codex-auth-file-in-git',
        severity: 'error',
        message: `auth.json is committed to the git repository at ${root}: anyone with the repository has your Codex login`,
        path,
        fix: [
          `git -C ${root} rm --cached -- ${rel} && echo '${rel}' >> ${root}/.gitignore`,
          'codex logout && codex login   # logout revokes the tokens; also revoke any API key it held at https://platform.openai.com/api-keys',
          'if the commit was pushed, remove it from history (git filter-repo) after revoking',
        ],
      });
    } else if (!ex.git.ignored) {
      out.push({
        id: 'codex-auth-file-in-git',
        severity: 'warning',
        message: `auth.json sits inside the git repository at ${root} and is not ignored: one \`git add -A\` commits your Codex login`,
        path,
        fix: [`echo '${rel}' >> ${root}/.gitignore`],
      });
    } else {
      out.push({
        id: 'codex-auth-file-in-git',
        severity: 'info',
        message: `auth.json sits inside the git repository at ${root} (ignored by git, so not committed)`,
        path,
        fix: [],
      });
    }
  }
  if (ex.synced) {
    out.push({
      id: 'codex-auth-file-synced',
      severity: 'warning',
      message: `auth.json is inside a ${ex.synced} folder: the sync client copies your Codex login to the cloud and to every linked device`,
      path,
      fix: [
        'codex logout   # revokes the tokens the synced copies hold',
        'export CODEX_HOME="$HOME/.codex-local" && mkdir -p "$CODEX_HOME"   # put the export in your shell profile too',
        'codex login',
      ],
    });
  }
  return out;
}
