import { defineConfig } from 'vitest/config'

// The unit-level tests StrykerJS runs against each mutant (`npm run mutate`): everything in
// tests/ except the suites that spawn processes, build dist/ or run for minutes.
export default defineConfig({
  test: {
    include: ['tests/*.test.ts'],
    exclude: ['tests/cli.test.ts', 'tests/dist.test.ts', 'tests/parallel.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
