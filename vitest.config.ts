import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests start child processes; a busy 2-core machine can be slow.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
