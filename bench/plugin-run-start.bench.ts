// plugin-run-start: a trivial TypeScript action through `synapse plugin run --json`, end to end
// (start, discovery, loading the TypeScript, the run, the store, exit), against `node -e 0`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeBenchResult } from './lib/bench-result'
import { measureStart } from './lib/process-start'

const root = join(import.meta.dirname, '..')
const bin = join(root, 'packages', 'cli', 'bin', 'run.js')
const plugin = join(root, 'packages', 'cli', 'test', 'fixtures', 'ticker')
const storeDir = mkdtempSync(join(tmpdir(), 'synapse-bench-start-'))
try {
  const { valueMs, floorMs, rounds } = measureStart(
    [bin, 'plugin', 'run', 'size', '--path', plugin, '--params', '{"n": 1}', '--json'],
    { env: { SYNAPSE_STORE: join(storeDir, 'synapse.db') } },
  )
  writeBenchResult({
    name: 'plugin-run-start',
    metric: 'trivial TypeScript action through synapse plugin run --json vs node -e 0',
    value: Math.round(valueMs),
    unit: 'ms',
    floor: Math.round(floorMs),
    ratio: Number((floorMs / valueMs).toFixed(3)),
    extra: { rounds },
  })
} finally {
  rmSync(storeDir, { recursive: true, force: true })
}
