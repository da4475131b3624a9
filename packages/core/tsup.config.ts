import { packageBuild } from '../../tsup.package'

export default packageBuild({
  // `testing` is its own entry so the runtime never loads test helpers; the shared code lands in
  // common chunks, so both entries see one PluginError registry.
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
  // The conformance suite registers its tests with the caller's vitest (an optional peer).
  external: ['vitest'],
  // Every run reads config.yaml and may read a TOML env file: compiled in, these parsers cost
  // no module resolutions at start (yaml alone ships 72 files). Neither's types are in core's API.
  bundle: ['yaml', 'smol-toml'],
})
