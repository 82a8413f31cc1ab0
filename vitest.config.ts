import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    pool: 'forks',
    // Generous ceilings so a slow CI machine fails loudly instead of hanging; not timing assertions.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
