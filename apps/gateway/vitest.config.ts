import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Real argon2 and real databases: generous per-test limits, never timing assertions.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file owns its databases, so files run side by side.
    pool: 'forks',
  },
});
