// Are keyguard's Codex hooks installed, enabled and trusted? Codex skips a hook silently when any of
// these fails (`codex exec` says nothing at all), so each gets its own check and its fix.
import { CODEX_EVENTS } from '../guard/agents/codex-config.js';
import type { Check } from '../types.js';
import type { CheckInput } from './check-input.js';
import { tildify } from './display.js';
import type { HookHandlerFact, HooksFacts } from './facts.js';
import { editConfig } from './fixes.js';

export type TrustStatus = 'trusted' | 'untrusted' | 'modified' | 'disabled';

/** What Codex's hooks/list would say for this handler (0.171: trusted, untrusted, modified; enabled). */
export function trustOf(h: HookHandlerFact, state: HooksFacts['state']): TrustStatus {
  const rec = h.keys.map((k) => state[k]).find((r) => r !== undefined);
  if (rec?.enabled === false) return 'disabled';
  if (rec?.trustedHash === undefined) return 'untrusted';
  return rec.trustedHash === h.hash ? 'trusted' : 'modified';
}

const TRUST_FIX = "open codex, type /hooks and trust keyguard's hooks (Codex records it under [hooks.state] in config.toml)";
const BYPASS_FIX = 'for a single run instead: codex exec --dangerously-bypass-hook-trust …';

export function hooksChecks(input: CheckInput): Check[] {
  const { facts, rules } = input;
  const hooks = facts.hooks;
  if (!hooks) return [];
  const home = facts.homeDir;
  const ours = hooks.sources.flatMap((s) => s.handlers.filter((h) => h.ours).map((h) => ({ source: s, h })));
  if (ours.length === 0) {
    return [
      {
        id: 'codex-hooks-not-installed',
        severity: 'info',
        message: "keyguard's Codex hooks are not installed: a key pasted into a Codex prompt, or written by a tool call, is not stopped",
        fix: ['keyguard install --codex'],
      },
    ];
  }
  const out: Check[] = [];
  const loaded = ours.filter((o) => o.source.loaded);
  const skippedProject = ours.filter((o) => !o.source.loaded);
  const root = tildify(hooks.projectRoot, home);
  if (skippedProject.length > 0 && loaded.length < CODEX_EVENTS.length) {
    const path = skippedProject[0]?.source.path ?? '';
    out.push({
      id: 'codex-hooks-project-untrusted',
      severity: 'warning',
      message: `keyguard's hooks in ${tildify(path, home)} do not run: Codex loads a project's .codex/ only when the project is trusted`,
      path,
      fix: [
        `add [projects."${hooks.projectRoot}"] trust_level = "trusted" to ${tildify(hooks.userConfig, home)} (or trust ${root} when codex asks)`,
        'or: keyguard install --codex   # at user level, for every project',
      ],
    });
  }
  if (loaded.length === 0) return out;
  const missing = CODEX_EVENTS.filter((e) => !loaded.some((o) => o.h.event === e));
  if (missing.length > 0) {
    const path = loaded[0]?.source.path;
    out.push({
      id: 'codex-hooks-incomplete',
      severity: 'warning',
      message: `keyguard's Codex hooks are only partly installed: nothing runs keyguard on ${missing.join(', ')}`,
      ...(path ? { path } : {}),
      fix: [loaded.every((o) => o.source.layer === 'project') ? 'keyguard install --codex --project' : 'keyguard install --codex'],
    });
  }
  if (rules.hooks === 'none') {
    out.push({
      id: 'codex-hooks-unsupported',
      severity: 'warning',
      message: `Codex ${rules.version} runs no hooks: keyguard's hooks are installed but never run`,
      detail: 'Hooks arrived after 0.100 (behind [features] codex_hooks) and run by default from 0.124.',
      fix: ['npm i -g @openai/codex   # a current Codex runs them by default'],
    });
    return out;
  }
  if (hooks.managedOnly) {
    out.push({
      id: 'codex-hooks-managed-only',
      severity: 'warning',
      message: "Codex ignores keyguard's hooks: allow_managed_hooks_only = true lets only managed hooks run",
      detail: 'The setting comes from requirements.toml, which your administrator controls.',
      path: hooks.managedOnly.path,
      ...(hooks.managedOnly.line ? { line: hooks.managedOnly.line } : {}),
      fix: ["ask your administrator to ship keyguard's hooks as managed hooks (they are then trusted by policy)"],
    });
  }
  if (hooks.requirementsOff) {
    out.push({
      id: 'codex-hooks-disabled',
      severity: 'warning',
      message: "Codex runs no hooks, keyguard's included: requirements.toml turns the hooks feature off",
      path: hooks.requirementsOff.path,
      ...(hooks.requirementsOff.line ? { line: hooks.requirementsOff.line } : {}),
      fix: ['ask your administrator: requirements.toml is theirs'],
    });
  }
  const f = hooks.feature;
  if (rules.hooks === 'default' && f && !f.value) {
    out.push({
      id: 'codex-hooks-disabled',
      severity: 'warning',
      message: `Codex runs no hooks, keyguard's included: [features] ${f.key} = false`,
      path: f.source.path,
      ...(f.source.line ? { line: f.source.line } : {}),
      fix: [editConfig(f.source, `delete the ${f.key} = false line (hooks are on by default from Codex 0.124)`, home)],
    });
  }
  if (rules.hooks === 'opt-in' && !f?.value) {
    out.push({
      id: 'codex-hooks-disabled',
      severity: 'warning',
      message: `Codex ${rules.version} runs hooks only when [features] codex_hooks = true is set: keyguard's hooks do not run`,
      ...(f ? { path: f.source.path, ...(f.source.line ? { line: f.source.line } : {}) } : {}),
      fix: [
        f ? editConfig(f.source, `set ${f.key} = true`, home) : `add to ${tildify(hooks.userConfig, home)}: [features] codex_hooks = true`,
        'or: npm i -g @openai/codex   # hooks run by default from 0.124',
      ],
    });
  }
  const statuses = loaded.map((o) => ({ ...o, status: trustOf(o.h, hooks.state) }));
  const notTrusted = statuses.filter((s) => s.status === 'untrusted' || s.status === 'modified');
  const disabled = statuses.filter((s) => s.status === 'disabled');
  const list = (xs: typeof statuses): string => [...new Set(xs.map((x) => x.h.event))].join(', ');
  if (notTrusted.length > 0) {
    const changed = notTrusted.some((s) => s.status === 'modified');
    out.push({
      id: 'codex-hooks-untrusted',
      severity: 'warning',
      message:
        `Codex skips keyguard's hooks until you trust them: ${list(notTrusted)} ` +
        (changed ? 'not trusted, or changed since you trusted them' : 'not trusted'),
      detail: '`codex exec` skips an untrusted hook without a word, so a key in a prompt or tool call goes through. Trust is kept per hook definition.',
      path: notTrusted[0]?.source.path ?? hooks.userConfig,
      fix: [TRUST_FIX, BYPASS_FIX],
    });
  }
  if (disabled.length > 0) {
    out.push({
      id: 'codex-hooks-disabled',
      severity: 'warning',
      message: `keyguard's hooks for ${list(disabled)} are turned off in Codex (enabled = false under [hooks.state])`,
      path: hooks.userConfig,
      fix: ["open codex, type /hooks and turn keyguard's hooks on"],
    });
  }
  if (out.length === 0) {
    const where = [...new Set(loaded.map((o) => tildify(o.source.path, home)))].join(', ');
    out.push({
      id: 'codex-hooks',
      severity: 'info',
      message: `keyguard's Codex hooks are installed (${where}), enabled and trusted`,
      fix: [],
    });
  }
  return out;
}
