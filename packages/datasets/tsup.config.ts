import { packageBuild } from '../../tsup.package'

export default packageBuild({ entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' } })
