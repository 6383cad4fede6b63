import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Workbooks, LibreOffice and Chromium are heavy: two workers on a two-core machine.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
