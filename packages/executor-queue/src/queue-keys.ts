/**
 * Where the queue executor keeps things in Redis, under one prefix so several deployments can
 * share a server. Every key of one run shares a hash tag, so a cluster keeps a run on one slot.
 */
export class QueueKeys {
  readonly prefix: string

  constructor(prefix = 'synapse') {
    this.prefix = prefix
  }

  /** The run's record (a hash). */
  run(runId: string): string {
    return `${this.prefix}:run:{${runId}}`
  }

  /** The run's events (a sorted set scored by seq). */
  events(runId: string): string {
    return `${this.prefix}:run:{${runId}}:events`
  }

  /** Published to with the last seq whenever events are appended. */
  eventsChannel(runId: string): string {
    return `${this.prefix}:run:{${runId}}:appended`
  }

  /** Set once a cancel is asked for, so a worker that picks the run up later still sees it. */
  cancelFlag(runId: string): string {
    return `${this.prefix}:run:{${runId}}:cancel`
  }

  /** Params or a result stored by reference, out of the job. */
  blob(runId: string, what: 'params' | 'result'): string {
    return `${this.prefix}:run:{${runId}}:${what}`
  }

  /** Every run, scored by creation time. */
  runs(): string {
    return `${this.prefix}:runs`
  }

  /** Every worker listens here for cancels of the runs it holds. */
  cancelChannel(): string {
    return `${this.prefix}:cancel`
  }
}
