// A worker process for the queue benchmarks: `synapse` runs a QueueWorker in task mode; `raw` a
// plain BullMQ worker whose processor does the same no-op, on the same Redis and key prefix.
import { QueueWorker } from '@synapse/executor-queue'
import { Worker } from 'bullmq'
import { Redis } from 'ioredis'

const [kind, redis = '', queue = '', concurrency = '1'] = process.argv.slice(2)
let close: () => Promise<unknown>
if (kind === 'synapse') {
  const worker = new QueueWorker({ redis, queue, concurrency: Number(concurrency) })
  await worker.start()
  close = () => worker.close()
} else {
  const connection = new Redis(redis, { maxRetriesPerRequest: null })
  const worker = new Worker(queue, async (job) => ({ i: (job.data as { i: number }).i }), {
    connection,
    concurrency: Number(concurrency),
    prefix: 'synapse:bull',
  })
  await worker.waitUntilReady()
  close = async () => {
    await worker.close()
    await connection.quit()
  }
}
process.once('SIGTERM', () => void close().then(() => process.exit(0)))
process.stdout.write('ready\n')
