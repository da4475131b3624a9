import { defineConfig } from 'vitest/config'

// One run over every package. Tests import sibling packages by name; the
// `@synapse/source` condition points them at `src/`, so no test waits on a build.
export default defineConfig({
  resolve: { conditions: ['@synapse/source'] },
  ssr: { resolve: { conditions: ['@synapse/source'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/*/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    restoreMocks: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
