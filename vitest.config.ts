import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Unit and component tests: pure cores, fakeBrowser, fake-indexeddb, happy-dom. No real browser.
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', 'tests/browser/**', '.output*/**'],
    setupFiles: ['tests/setup.ts'],
    testTimeout: 30_000,
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine (CI's), which
    // ran every file in turn. The main process mostly waits, so both cores run test files.
    maxWorkers: 2,
  },
});
