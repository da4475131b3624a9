// cli-start: wall time of `synapse --help` against a bare `node -e 0` on the same Node, both as
// fresh processes: what a person waits for before the CLI says anything.
import { join } from 'node:path'
import { writeBenchResult } from './lib/bench-result'
import { measureStart } from './lib/process-start'

const bin = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'run.js')
const { valueMs, floorMs, rounds } = measureStart([bin, '--help'])
writeBenchResult({
  name: 'cli-start',
  metric: 'synapse --help wall time vs node -e 0',
  value: Math.round(valueMs),
  unit: 'ms',
  floor: Math.round(floorMs),
  ratio: Number((floorMs / valueMs).toFixed(3)),
  extra: { rounds },
})
