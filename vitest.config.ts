import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{domain,core,db,hardware,city-api,electron,renderer,test,scripts}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', 'dist/**', 'out/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Real SQLite files, real servers and a real browser: keep the two cores for them.
    pool: 'forks',
    maxWorkers: 2,
  },
});
