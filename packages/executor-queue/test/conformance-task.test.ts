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
  // Two worker processes: runs land on either, and cancels must reach whichever holds the run.
  workers = await Promise.all(
    [1, 2].map(() =>
      startWorkerProcess({ redis: redis.url, mode: 'task', concurrency: 8, cancelGraceMs }),
    ),
  )
})

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()))
  await redis?.stop()
})

describeExecutorConformance(
  'QueueExecutor in task mode',
  () => new QueueExecutor({ redis: redis.url, name: 'task', cancelGraceMs }),
  { cancelGraceMs },
)
