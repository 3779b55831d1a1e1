import { defineConfig } from 'vitest/config';

/** Unit tests of the app's stores and helpers (no browser, no gateway: the client is stubbed). */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
  },
});
