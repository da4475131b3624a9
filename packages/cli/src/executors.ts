import { ExecutorRegistry, type RunEventSink, type RunStore } from '@synapse/core'
import { LocalExecutor } from '@synapse/executor-local'

/** The executors this CLI ships, by mode. Remote executors join here as their packages land. */
export function createExecutors(
  options: { sinks?: (runId: string) => RunEventSink[]; store?: RunStore } = {},
): ExecutorRegistry {
  return new ExecutorRegistry().register(
    'local',
    () =>
      new LocalExecutor({
        ...(options.sinks !== undefined && { sinks: options.sinks }),
        ...(options.store !== undefined && { store: options.store }),
      }),
  )
}
