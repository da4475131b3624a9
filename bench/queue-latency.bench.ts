// queue-latency: p50 and p99 submit-to-result of single task-mode runs through QueueExecutor
// (one run at a time, one worker process), against the floor of a raw BullMQ round trip in the
// same run (add a job, wait for it through QueueEvents, a worker process doing the same no-op).
import { QueueExecutor } from '@synapse/executor-queue'
import { startRedisTestServer } from '@synapse/executor-queue/testing'
import { Queue, QueueEvents } from 'bullmq'
import { Redis } from 'ioredis'
import { median, writeBenchResult } from './lib/bench-result'
import { noopPlugin, percentile, startBenchWorker, stopBenchWorker } from './lib/queue-bench'

const RUNS = Number(process.env['RUNS'] ?? 300)
const WARMUP = 30

const redis = await startRedisTestServer()
const { plugin, action, source } = await noopPlugin()
const workers = [
  await startBenchWorker('synapse', redis.url, 'lat-synapse', 1),
  await startBenchWorker('raw', redis.url, 'lat-raw', 1),
]
const executor = new QueueExecutor({ redis: redis.url, queue: 'lat-synapse' })
const connection = new Redis(redis.url, { maxRetriesPerRequest: null })
const queue = new Queue('lat-raw', { connection, prefix: 'synapse:bull' })
const eventsConnection = new Redis(redis.url, { maxRetriesPerRequest: null })
const events = new QueueEvents('lat-raw', { connection: eventsConnection, prefix: 'synapse:bull' })
await events.waitUntilReady()

async function synapseOnce(i: number): Promise<number> {
  const start = performance.now()
  const result = await executor.execute({ action, params: { i }, source })
  const ms = performance.now() - start
  if ((result as { i: number }).i !== i) throw new Error('wrong result')
  return ms
}

async function rawOnce(i: number): Promise<number> {
  const start = performance.now()
  const job = await queue.add('noop', { i }, { removeOnComplete: { count: 1000 } })
  const result = (await job.waitUntilFinished(events, 10_000)) as { i: number }
  const ms = performance.now() - start
  if (result.i !== i) throw new Error('wrong result')
  return ms
}

try {
  for (let i = 0; i < WARMUP; i++) {
    await rawOnce(i)
    await synapseOnce(i)
  }
  // Taking turns, so drift in machine load hits both alike.
  const raw: number[] = []
  const synapse: number[] = []
  for (let i = 0; i < RUNS; i++) {
    raw.push(await rawOnce(i))
    synapse.push(await synapseOnce(i))
  }
  const p50 = median(synapse)
  const floorP50 = median(raw)
  writeBenchResult({
    name: 'queue-latency',
    metric: 'p50 submit-to-result of a single task-mode no-op run through QueueExecutor',
    value: Number(p50.toFixed(2)),
    unit: 'ms',
    floor: Number(floorP50.toFixed(2)),
    // floor p50 / executor p50: 1.0 would be as fast as a raw BullMQ round trip.
    ratio: Number((floorP50 / p50).toFixed(3)),
    extra: {
      runs: RUNS,
      goalRatio: 0.5,
      p99Ms: Number(percentile(synapse, 99).toFixed(2)),
      floorP99Ms: Number(percentile(raw, 99).toFixed(2)),
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
