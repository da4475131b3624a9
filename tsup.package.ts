import { defineConfig, type Options } from 'tsup'

/**
 * How every package builds: ESM for Node 22, declarations and source maps, a clean dist/.
 * A package adds what is its own (more entries, externals) through `options`.
 */
export function packageBuild(options: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'node22',
    dts: true,
    sourcemap: true,
    clean: true,
    ...options,
  })
}
