// @synapse/executor-queue — runs on a pool of workers on many machines, through BullMQ and Redis.

// One run in one process: the body of a job-mode child, independent of the queue.
export { pluginHash } from './plugin-hash'
export { QUEUE_ERROR_CODES } from './queue-errors'
// The executor a submitter uses, and the worker that runs what it submits.
export {
  QueueExecutor,
  type QueueExecutorOptions,
  type RetryPolicy,
} from './queue-executor'
export type { PluginIdentity, QueueJobData } from './queue-job'
// Runs and their events in Redis, readable from any process.
export { QueueKeys } from './queue-keys'
export { defaultQueueFor } from './queue-names'
export { QueueWorker, type QueueWorkerOptions, type WorkerLogger } from './queue-worker'
export { RedisRunStore, type RedisRunStoreOptions } from './redis-run-store'
export { type RunSpecProcessOptions, readSpecText, runSpecProcess } from './run-spec-entry'
