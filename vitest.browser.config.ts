import { defineConfig } from 'vitest/config';

// Browser tests: the built extension in Debian's Chromium (Playwright) and Firefox ESR (puppeteer-core).
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.spec.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
