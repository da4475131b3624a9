import { defineConfig } from 'tsup'

export default defineConfig({
  // One file per command (oclif loads only the one it runs, from the manifest's path), the hook
  // on its own, and the library entry; what they share lands in common chunks.
  entry: [
    'src/index.ts',
    'src/commands/*/*.ts',
    '!src/commands/dataset/dataset-flags.ts',
    'src/hooks/*.ts',
  ],
  format: ['esm'],
  target: 'node22',
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
})
