import { packageBuild } from '../../tsup.package'

export default packageBuild({
  // One file per command (oclif loads only the one it runs, from the manifest's path), the hook
  // on its own, the oclif runtime for bin/run.js, and the library entry; what they share lands
  // in common chunks.
  entry: [
    'src/index.ts',
    'src/oclif.ts',
    'src/commands/*.ts',
    'src/commands/*/*.ts',
    'src/commands/*/*/*.ts',
    '!src/commands/dataset/dataset-flags.ts',
    '!src/commands/pipeline/pipeline-flags.ts',
    'src/hooks/*.ts',
  ],
  dts: { entry: 'src/index.ts' },
  // oclif and its ~160 CommonJS files become one chunk shared by bin/run.js and every command,
  // so a start resolves a handful of modules instead of hundreds. TypeScript is what oclif
  // requires only to run commands from sources; it stays outside.
  bundle: ['@oclif/core'],
  external: ['typescript'],
})
