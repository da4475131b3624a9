// queue-throughput: no-op runs per second through QueueExecutor with one task-mode worker
// process at concurrency 50, against the floor of raw BullMQ doing the same no-op with one worker
// process at concurrency 50 in the same run (jobs added, completions awaited through QueueEvents).
import { QueueExecutor } from '@synapse/executor-queue'
import { startRedisTestServer } from '@synapse/executor-queue/testing'
import { Queue, QueueEvents } from 'bullmq'
import { Redis } from 'ioredis'
import { writeBenchResult } from './lib/bench-result'
import { interleavedMedians } from './lib/interleaved'
import { noopPlugin, startBenchWorker, stopBenchWorker } from './lib/queue-bench'

const N = Number(process.env['N'] ?? 2000)
const ROUNDS = Number(process.env['ROUNDS'] ?? 5)
const CONCURRENCY = 50

const redis = await startRedisTestServer()
const { plugin, action, source } = await noopPlugin()
const workers = [
  await startBenchWorker('synapse', redis.url, 'tp-synapse', CONCURRENCY),
  await startBenchWorker('raw', redis.url, 'tp-raw', CONCURRENCY),
]
const executor = new QueueExecutor({ redis: redis.url, queue: 'tp-synapse' })
const connection = new Redis(redis.url, { maxRetriesPerRequest: null })
const queue = new Queue('tp-raw', { connection, prefix: 'synapse:bull' })
// From the stream's start: reading from '$' begins only once the reader's first XREAD is sent,
// and completions before it would be missed.
const eventsConnection = new Redis(redis.url, { maxRetriesPerRequest: null })
const events = new QueueEvents('tp-raw', {
  connection: eventsConnection,
  prefix: 'synapse:bull',
  lastEventId: '0-0',
})
await events.waitUntilReady()
const range = Array.from({ length: N }, (_, i) => i)

async function synapseRound(): Promise<number> {
  const start = performance.now()
  const ids = await Promise.all(
    range.map((i) => executor.submit({ action, params: { i }, source })),
  )
  const outcomes = await Promise.all(ids.map((id) => executor.wait(id)))
  const ms = performance.now() - start
  if (outcomes.some((o) => o.status !== 'completed')) throw new Error('a run did not complete')
  return ms
}

// One listener for the whole run, attached before anything is added: a round waits until the
// count of completions reaches its own end.
let completed = 0
let wake: (() => void) | undefined
events.on('completed', () => {
  completed++
  wake?.()
})

async function rawRound(): Promise<number> {
  const target = completed + N
  const start = performance.now()
  await Promise.all(
    range.map((i) =>
      queue.add(
        'noop',
        { i },
        { removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } },
      ),
    ),
  )
  while (completed < target) {
    await new Promise<void>((resolve) => {
      wake = resolve
    })
  }
  return performance.now() - start
}

try {
  const ms = await interleavedMedians(ROUNDS, { floor: rawRound, executor: synapseRound })
  const floorRate = N / (ms.floor.median / 1000)
  const executorRate = N / (ms.executor.median / 1000)
  writeBenchResult({
    name: 'queue-throughput',
    metric:
      'no-op runs per second through QueueExecutor, one task worker process at concurrency 50',
    value: Math.round(executorRate),
    unit: 'runs/s',
    floor: Math.round(floorRate),
    ratio: Number((executorRate / floorRate).toFixed(3)),
    extra: {
      runsPerRound: N,
      rounds: ROUNDS,
      concurrency: CONCURRENCY,
      goalRatio: 0.7,
      floorMsMedian: ms.floor.median,
      executorMsMedian: ms.executor.median,
    },
  })
} finally {
  await executor.close()
  await events.close()
  await eventsConnection.quit()
  await queue.close()
  await connection.quit()
  await Promise.all(workers.map(stopBenchWorker))
  plugin.remove()
  await redis.stop()
}
