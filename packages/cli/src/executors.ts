import {
  ExecutorRegistry,
  PluginRunError,
  type RunEventSink,
  type RunStore,
  registerErrorCodes,
} from '@synapse/core'
import { LocalExecutor } from '@synapse/executor-local'

// Raised here, before the queue package is loaded (it is not, without a Redis): bad input.
registerErrorCodes({ QUEUE_NOT_CONFIGURED: 'input' })

/** Where the queue modes (`task`, `job`) submit: the Redis every worker reaches. */
export interface QueueTarget {
  /** `redis://host:port`; without it the queue modes say how to give one. */
  redis?: string | undefined
  /** A queue other than the mode's default. */
  queue?: string | undefined
}

/**
 * The executors this CLI ships, by mode. Remote executors join here as their packages land.
 * The queue executor (BullMQ, ioredis: a few hundred modules) is loaded only when a Redis is
 * given, so a local run starts without it.
 */
export async function createExecutors(
  options: {
    sinks?: (runId: string) => RunEventSink[]
    store?: RunStore
    queue?: QueueTarget
  } = {},
): Promise<ExecutorRegistry> {
  const redis = options.queue?.redis
  const queueModule =
    redis === undefined || redis === '' ? undefined : await import('@synapse/executor-queue')
  const registry = new ExecutorRegistry().register(
    'local',
    () =>
      new LocalExecutor({
        ...(options.sinks !== undefined && { sinks: options.sinks }),
        ...(options.store !== undefined && { store: options.store }),
      }),
  )
  for (const mode of ['task', 'job'] as const) {
    registry.register(mode, () => {
      if (queueModule === undefined || redis === undefined) {
        throw new PluginRunError(
          `Mode '${mode}' runs on queue workers and needs their Redis: give --redis redis://HOST:PORT or set SYNAPSE_REDIS_URL`,
          { code: 'QUEUE_NOT_CONFIGURED', details: { mode } },
        )
      }
      const queue = options.queue?.queue
      return new queueModule.QueueExecutor({
        redis,
        name: mode,
        ...(queue !== undefined && { queue }),
      })
    })
  }
  return registry
}
