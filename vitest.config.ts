import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'bench/**/*.test.ts'],
    // Type tests (tests/**/*.test-d.ts) run under tsc as part of every run.
    typecheck: { enabled: true, include: ['tests/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    // Loading the jieba dictionary takes seconds; property tests run many cases.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
