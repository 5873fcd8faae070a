import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    // real git repositories and child processes: slower than unit tests, never flaky-fast
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
