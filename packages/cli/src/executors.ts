import { ExecutorRegistry, type RunEventSink } from '@synapse/core'
import { LocalExecutor } from '@synapse/executor-local'

/** The executors this CLI ships, by mode. Remote executors join here as their packages land. */
export function createExecutors(
  options: { sinks?: (runId: string) => RunEventSink[] } = {},
): ExecutorRegistry {
  return new ExecutorRegistry().register(
    'local',
    () => new LocalExecutor(options.sinks === undefined ? {} : { sinks: options.sinks }),
  )
}
