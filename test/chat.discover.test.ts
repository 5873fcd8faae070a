// Where `keyguard audit` looks for agent transcripts and downloaded exports.
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverChatPlaces, isExportName } from '../src/discover/chats.js';
import { tempDir, writeFiles } from './helpers/tmp.js';

const where = (env: NodeJS.ProcessEnv) => ({ env, cwd: env.HOME ?? '/', platform: 'linux' as const });
const failOnUnreadable = (path: string, message: string) => {
  throw new Error(`unexpected unreadable ${path}: ${message}`);
};

const chatgptZip = `${'ab12'.repeat(16)}-2024-05-01-12-34-56.zip`;

describe('discoverChatPlaces', () => {
  it('finds Codex and Claude Code transcripts and export archives in ~/Downloads', async () => {
    const home = tempDir();
    writeFiles(home, {
      '.codex/sessions/2025/01/02/rollout-2025-01-02T10-00-00-a.jsonl': '{}\n',
      '.codex/sessions/2025/01/02/notes.txt': 'no',
      '.codex/archived_sessions/rollout-2024-12-01T10-00-00-b.jsonl': '{}\n',
      '.codex/history.jsonl': '{}\n',
      '.codex/config.toml': '',
      '.claude/projects/-home-me-app/3f1c.jsonl': '{}\n',
      '.claude/projects/-home-me-app/3f1c/subagents/agent-1.jsonl': '{}\n',
      '.claude/history.jsonl': '{}\n',
      '.claude/settings.json': '{}',
      [`Downloads/${chatgptZip}`]: 'PK',
      'Downloads/data-2024-11-20-16-01-29-batch-0000.zip': 'PK',
      'Downloads/Acme Slack export Jan 1 2024 - Feb 1 2024.zip': 'PK',
      'Downloads/holiday-photos.zip': 'PK',
      'Downloads/conversations.json': '[]',
    });
    mkdirSync(join(home, 'elsewhere'));
    writeFiles(home, { 'elsewhere/rollout-x.jsonl': '{}\n' });
    symlinkSync(join(home, 'elsewhere'), join(home, '.codex/sessions/linked'));

    const places = await discoverChatPlaces(where({ HOME: home }), failOnUnreadable);
    expect(places.map((p) => [p.path.slice(home.length + 1), p.kind])).toEqual([
      ['.codex/sessions/2025/01/02/rollout-2025-01-02T10-00-00-a.jsonl', 'agent-transcript'],
      ['.codex/archived_sessions/rollout-2024-12-01T10-00-00-b.jsonl', 'agent-transcript'],
      ['.codex/history.jsonl', 'agent-transcript'],
      ['.claude/projects/-home-me-app/3f1c/subagents/agent-1.jsonl', 'agent-transcript'],
      ['.claude/projects/-home-me-app/3f1c.jsonl', 'agent-transcript'],
      ['.claude/history.jsonl', 'agent-transcript'],
      ['Downloads/Acme Slack export Jan 1 2024 - Feb 1 2024.zip', 'chat-export'],
      [`Downloads/${chatgptZip}`, 'chat-export'],
      ['Downloads/conversations.json', 'chat-export'],
      ['Downloads/data-2024-11-20-16-01-29-batch-0000.zip', 'chat-export'],
    ]);
  });

  it('honours CODEX_HOME and CLAUDE_CONFIG_DIR; a machine without any of it yields nothing', async () => {
    const home = tempDir();
    writeFiles(home, {
      'cx/history.jsonl': '{}\n',
      'cc/projects/p/s.jsonl': '{}\n',
      '.codex/history.jsonl': '{}\n',
    });
    const places = await discoverChatPlaces(where({ HOME: home, CODEX_HOME: join(home, 'cx'), CLAUDE_CONFIG_DIR: join(home, 'cc') }), failOnUnreadable);
    expect(places.map((p) => p.path.slice(home.length + 1))).toEqual(['cx/history.jsonl', 'cc/projects/p/s.jsonl']);
    expect(await discoverChatPlaces(where({ HOME: tempDir() }), failOnUnreadable)).toEqual([]);
  });

  it('a relative CODEX_HOME is resolved against the working directory, as Codex does', async () => {
    const home = tempDir();
    const work = tempDir();
    writeFiles(work, { 'cx/history.jsonl': '{}\n' });
    const places = await discoverChatPlaces({ env: { HOME: home, CODEX_HOME: 'cx' }, cwd: work, platform: 'linux' }, failOnUnreadable);
    expect(places.map((p) => p.path)).toEqual([join(work, 'cx', 'history.jsonl')]);
  });

  it('a transcript directory that exists but cannot be listed is reported, not passed over', async () => {
    const home = tempDir();
    mkdirSync(join(home, '.claude'), { recursive: true });
    // a symbolic link loop cannot be listed even by root (ELOOP), unlike a chmod 000 directory
    symlinkSync('projects', join(home, '.claude', 'projects'));
    const problems: string[] = [];
    await discoverChatPlaces(where({ HOME: home }), (path) => problems.push(path));
    expect(problems).toEqual([join(home, '.claude', 'projects')]);
  });

  it('recognises export names, not any zip', () => {
    expect(isExportName(chatgptZip)).toBe(true);
    expect(isExportName('data-2025-01-15-18-48-23.zip')).toBe(true);
    expect(isExportName('chatgpt-export.zip')).toBe(true);
    expect(isExportName('project.zip')).toBe(false);
    expect(isExportName('data.zip')).toBe(false);
  });
});
