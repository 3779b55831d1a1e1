import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Real argon2 and real databases: generous per-test limits, never timing assertions.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file owns its databases, so files run side by side. Much of the
    // time is spent waiting (PostgreSQL, sign-in throttle delays), so two
    // workers pay off even on a two-core machine, where vitest would pick one.
    pool: 'forks',
    maxWorkers: 2,
  },
});
