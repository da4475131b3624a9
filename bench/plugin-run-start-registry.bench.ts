// plugin-run-start-registry: plugin-run-start's trivial TypeScript action, run by `code@version`
// from the plugin cache (`synapse plugin run --plugin ticker@0.1.0`), against `node -e 0`. The
// release is published and unpacked once before timing: this is the cost of every later run.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalRegistry, prepareRelease, publishRelease, RegistryInstaller } from '@synapse/registry'
import { writeBenchResult } from './lib/bench-result'
import { measureStart } from './lib/process-start'

const root = join(import.meta.dirname, '..')
const bin = join(root, 'packages', 'cli', 'bin', 'run.js')
const plugin = join(root, 'packages', 'cli', 'test', 'fixtures', 'ticker')
const dir = mkdtempSync(join(tmpdir(), 'synapse-bench-start-registry-'))
try {
  // The project the cache lives in lends @synapse/core to the unpacked plugin.
  symlinkSync(join(root, 'packages', 'cli', 'node_modules'), join(dir, 'node_modules'), 'dir')
  const registry = new LocalRegistry(join(dir, 'registry'))
  const cache = join(dir, '.synapse', 'plugins')
  await publishRelease(registry, await prepareRelease(plugin))
  await new RegistryInstaller(registry, cache).install('ticker', '0.1.0')
  const { valueMs, floorMs, rounds } = measureStart(
    [
      bin,
      'plugin',
      'run',
      'size',
      '--plugin',
      'ticker@0.1.0',
      '--registry',
      registry.dir,
      '--params',
      '{"n": 1}',
      '--json',
    ],
    { env: { SYNAPSE_STORE: join(dir, 'synapse.db'), SYNAPSE_PLUGIN_CACHE: cache } },
  )
  writeBenchResult({
    name: 'plugin-run-start-registry',
    metric: 'trivial TypeScript action by code@version from the plugin cache vs node -e 0',
    value: Math.round(valueMs),
    unit: 'ms',
    floor: Math.round(floorMs),
    ratio: Number((floorMs / valueMs).toFixed(3)),
    extra: { rounds },
  })
} finally {
  rmSync(dir, { recursive: true, force: true })
}
