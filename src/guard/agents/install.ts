// `keyguard install --codex|--claude-code` and their uninstall: which file, the merge, the notes.
import { dirname, join } from 'node:path';
import { HookError } from '../../errors.js';
import { agentHome } from '../../discover/home.js';
import { runGit } from '../../git/process.js';
import { addClaudeHooks, claudeBlockers, parseSettings, removeClaudeHooks, serialize } from './claude-settings.js';
import { addCodexHooks, codexBlockers, keepsHistory, parseToml, removeCodexHooks } from './codex-config.js';
import { setHistoryPersistence, type HistoryPersistence } from './codex-history.js';
import { readConfig, replaceConfig, type ConfigFile } from './config-file.js';
import type { AgentName } from './events.js';
import { HOOK_COMMAND, type AgentOutcome } from './outcome.js';
import { exists } from '../../exists.js';
import { onPath } from '../shell/detect.js';

export interface AgentTarget {
  cwd: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** the repository's .codex/ or .claude/ instead of the user's */
  project: boolean;
  /** `--codex-history none|save-all`: set Codex's [history] persistence too */
  codexHistory?: HistoryPersistence;
}

async function projectRoot(t: AgentTarget): Promise<string> {
  const r = await runGit(t.cwd, t.env, ['rev-parse', '--show-toplevel']).catch(() => undefined);
  const top = r && r.code === 0 ? r.stdout.toString('utf8').trim() : '';
  return top || t.cwd;
}

/** ~/.claude/settings.json (CLAUDE_CONFIG_DIR), $CODEX_HOME/config.toml, or the project's. */
export async function configPath(agent: AgentName, t: AgentTarget): Promise<string> {
  const [dir, file] = agent === 'codex' ? (['.codex', 'config.toml'] as const) : (['.claude', 'settings.json'] as const);
  if (t.project) return join(await projectRoot(t), dir, file);
  const home = agentHome(t.env, t.cwd, t.platform, agent === 'codex' ? 'CODEX_HOME' : 'CLAUDE_CONFIG_DIR', dir);
  if (!home) throw new HookError(`there is no home directory (HOME is not set) to find ${dir}/${file} in: set HOME, or use --project`);
  return join(home.path, file);
}

async function commonNotes(agent: AgentName, t: AgentTarget): Promise<string[]> {
  // (a relative PATH entry does not count: the agent runs its hooks from wherever it was started)
  if (await onPath('keyguard', t.env, t.platform)) return [];
  return [
    `'keyguard' is not on PATH here, and the hook runs '${HOOK_COMMAND[agent]}': until it is, the hook cannot start, and ` +
      `${agent === 'codex' ? 'Codex' : 'Claude Code'} then goes on without any check. Install keyguard for your user (see "Install" in the README)`,
  ];
}

/**
 * Codex runs a hook only once the user trusts it, and `codex exec` skips an untrusted one without a
 * word (reference/prevention.md A1 [EXP-CX t1]): the guard would be off while looking installed.
 */
function codexTrustNotes(project: boolean): string[] {
  const notes = [
    'Codex skips a new or changed hook until you trust it, and `codex exec` skips it without a word: until then keys go through. ' +
      "To trust keyguard's hooks: start `codex` (the interactive CLI), type /hooks, and trust the five 'keyguard hook codex' hooks " +
      '(UserPromptSubmit, PreToolUse, PostToolUse, Stop, SessionEnd). Codex saves the trust in config.toml ([hooks.state."…"] trusted_hash), ' +
      "tied to the hook's definition: installing keyguard again keeps it. For one `codex exec` run without trust: codex exec --dangerously-bypass-hook-trust",
  ];
  if (project)
    notes.push("Codex loads a project's .codex/ hooks only when that project is trusted (codex asks on first start in it; codex exec --trust saves it)");
  return notes;
}

function historyNote(value: HistoryPersistence, changed: boolean): string {
  const state = changed ? 'set' : 'already set';
  if (value === 'save-all')
    return `[history] persistence = "save-all" ${state}: Codex keeps prompts in $CODEX_HOME/history.jsonl (keyguard redacts blocked keys there)`;
  return (
    `[history] persistence = "none" ${state}: Codex no longer writes prompts to $CODEX_HOME/history.jsonl, so a blocked prompt is not kept there; ` +
    'the trade-off: no recall of earlier prompts (up arrow, Ctrl-R). Undo with --codex-history save-all'
  );
}

function outcome(agent: AgentName, file: ConfigFile, action: AgentOutcome['action'], notes: string[], backup?: string): AgentOutcome {
  return { agent, path: file.path, action, notes, ...(backup ? { backup } : {}) };
}

export async function installAgent(agent: AgentName, t: AgentTarget): Promise<AgentOutcome> {
  const file = await readConfig(await configPath(agent, t));
  const notes = await commonNotes(agent, t);
  let next: string | undefined;
  if (agent === 'claude-code') {
    const settings = parseSettings(file.path, file.text ?? '{}\n');
    notes.push(...claudeBlockers(settings));
    next = addClaudeHooks(settings) ? serialize(settings) : undefined;
    notes.push(
      'interactive sessions run hooks only in a folder whose trust dialog was accepted; `claude -p` runs them without it',
      'Claude Code still writes a blocked prompt (and a denied tool call, and withheld tool output) to its transcript: ' +
        'keyguard redacts the key there at the end of the turn or session, and at the next prompt',
    );
  } else {
    const edit = addCodexHooks(file.path, file.text);
    next = edit.text;
    notes.push(...edit.notes);
    const config = file.text === undefined ? {} : parseToml(file.path, file.text);
    notes.push(...codexBlockers(config));
    notes.push(...codexTrustNotes(t.project));
    if (await exists(join(dirname(file.path), 'hooks.json'))) {
      notes.push('hooks.json sits next to this config.toml: Codex runs the hooks of both and warns at start-up that a layer has both forms');
    }
    if (t.codexHistory) {
      const history = setHistoryPersistence(file.path, next ?? file.text ?? '', t.codexHistory);
      if (history.text !== undefined) next = history.text;
      notes.push(historyNote(t.codexHistory, history.text !== undefined));
    } else if (keepsHistory(config)) {
      notes.push(
        'Codex writes every prompt typed in its TUI, a blocked one too, to $CODEX_HOME/history.jsonl; keyguard redacts the key there ' +
          'at the end of the turn or session. To keep Codex from writing that file at all: keyguard install --codex --codex-history none ' +
          '(sets [history] persistence = "none" in config.toml; the trade-off: no recall of earlier prompts with the up arrow or Ctrl-R)',
      );
    }
  }
  if (next === undefined) return outcome(agent, file, 'unchanged', notes);
  const backup = await replaceConfig(file, next, t);
  return outcome(agent, file, file.text === undefined ? 'installed' : 'updated', notes, backup);
}

export async function uninstallAgent(agent: AgentName, t: AgentTarget): Promise<AgentOutcome> {
  const file = await readConfig(await configPath(agent, t));
  if (file.text === undefined) return outcome(agent, file, 'absent', []);
  let next: string | null | undefined;
  if (agent === 'claude-code') {
    const settings = parseSettings(file.path, file.text);
    next = removeClaudeHooks(settings) ? (Object.keys(settings.root).length === 0 ? null : serialize(settings)) : undefined;
  } else {
    parseToml(file.path, file.text);
    next = removeCodexHooks(file.path, file.text);
  }
  if (next === undefined) return outcome(agent, file, 'absent', []);
  const backup = await replaceConfig(file, next === null ? undefined : next, t);
  return outcome(agent, file, 'removed', [], backup);
}
