import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'bench/**/*.test.ts'],
    // Loading the jieba dictionary takes seconds; property tests run many cases.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
