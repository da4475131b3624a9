import { packageBuild } from '../../tsup.package'

export default packageBuild({
  // `install` is its own entry: what a run by code@version loads, without the rest.
  entry: { index: 'src/index.ts', install: 'src/install.ts' },
})
