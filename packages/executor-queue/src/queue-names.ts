/**
 * The queue a mode's runs go to when nothing routes them elsewhere: task-mode and job-mode workers
 * take from different queues, so a submitter's mode decides how its run is run.
 */
export function defaultQueueFor(mode: 'task' | 'job'): string {
  return mode === 'job' ? 'synapse-job' : 'synapse'
}

/** BullMQ's own keys, under the executor's prefix so one prefix holds everything of a deployment. */
export function bullPrefix(prefix: string): string {
  return `${prefix}:bull`
}
