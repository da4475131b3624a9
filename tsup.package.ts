import { defineConfig, type Options } from 'tsup'

/** What a package adds to the shared build: tsup's own options, and the dependencies it bundles. */
export interface PackageBuildOptions extends Options {
  /**
   * Third-party packages compiled into this package's dist instead of resolved at run time.
   * Each bundled package saves Node one module resolution per file it ships, which is most of
   * what a CLI start costs; only packages whose types and instances never cross this package's
   * API may be listed.
   */
  bundle?: string[]
}

/**
 * How every package builds: ESM for Node 22, declarations and source maps, a clean dist/.
 * A package adds what is its own (more entries, externals, bundled dependencies) through `options`.
 */
export function packageBuild({ bundle = [], ...options }: PackageBuildOptions = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'node22',
    dts: true,
    sourcemap: true,
    clean: true,
    ...(bundle.length > 0 && {
      noExternal: bundle,
      // Bundled CommonJS still calls require() for Node's built-ins, which ESM output lacks.
      banner: {
        js: "import { createRequire as __synapseCreateRequire } from 'node:module'; const require = __synapseCreateRequire(import.meta.url);",
      },
    }),
    ...options,
  })
}
