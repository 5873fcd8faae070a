import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run e2e`: the real agent CLIs against loopback mocks. One file at a time: the mock is per file
// and the agents are heavy.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 6 * 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
