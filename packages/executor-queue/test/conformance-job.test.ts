import { describeExecutorConformance } from '@synapse/core/testing'
import { afterAll, beforeAll } from 'vitest'
import { QueueExecutor } from '../src/index'
import { type RedisTestServer, startRedisTestServer } from '../src/testing/index'
import { startWorkerProcess, type WorkerProcess } from './worker-processes'

// A short grace keeps the cancel checks fast; the suite is told what it is.
const cancelGraceMs = 150
let redis: RedisTestServer
let workers: WorkerProcess[] = []

beforeAll(async () => {
  redis = await startRedisTestServer()
  // Two worker processes, each starting a process per run: cancels must reach whichever holds it.
  workers = await Promise.all(
    [1, 2].map(() =>
      startWorkerProcess({
        redis: redis.url,
        queue: 'jobs',
        mode: 'job',
        concurrency: 8,
        cancelGraceMs,
      }),
    ),
  )
})

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()))
  await redis?.stop()
})

describeExecutorConformance(
  'QueueExecutor in job mode',
  () => new QueueExecutor({ redis: redis.url, name: 'job', queue: 'jobs', cancelGraceMs }),
  { cancelGraceMs },
)
