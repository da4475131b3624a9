import { describeExecutorConformance, MemoryRunStore } from '@synapse/core/testing'
import { LocalExecutor } from '../src/local-executor'

// A short grace keeps the cancel checks fast; the suite is told what it is.
const cancelGraceMs = 150

describeExecutorConformance('LocalExecutor', () => new LocalExecutor({ cancelGraceMs }), {
  cancelGraceMs,
})

describeExecutorConformance(
  'LocalExecutor with a run store',
  () => new LocalExecutor({ cancelGraceMs, store: new MemoryRunStore() }),
  { cancelGraceMs },
)
