import { packageBuild } from '../../tsup.package'

export default packageBuild({
  // One file per command (oclif loads only the one it runs, from the manifest's path), the hook
  // on its own, and the library entry; what they share lands in common chunks.
  entry: [
    'src/index.ts',
    'src/commands/*.ts',
    'src/commands/*/*.ts',
    '!src/commands/dataset/dataset-flags.ts',
    'src/hooks/*.ts',
  ],
  dts: { entry: 'src/index.ts' },
})
