import type { RunEvent, RunEventBody, RunStatus } from '@synapse/core'

/**
 * Makes a run's events the way a run logger does: `seq` from 1 with no gaps, an ISO time each.
 * Shared by the tests and the child processes they spawn.
 */
export class EventMaker {
  readonly runId: string
  #seq: number
  #clock: number

  constructor(runId: string, options: { startSeq?: number; startTime?: number } = {}) {
    this.runId = runId
    this.#seq = options.startSeq ?? 0
    this.#clock = options.startTime ?? Date.parse('2026-12-04T10:00:00.000Z')
  }

  /** Any event body, stamped with the next seq and a time 1 ms after the last. */
  next(body: RunEventBody): RunEvent {
    this.#clock += 1
    return {
      runId: this.runId,
      seq: ++this.#seq,
      time: new Date(this.#clock).toISOString(),
      ...body,
    } as RunEvent
  }

  status(status: RunStatus): RunEvent {
    return this.next({ type: 'status', status })
  }

  log(message: string, data: Record<string, unknown> = {}): RunEvent {
    return this.next({ type: 'log', level: 'info', event: 'message', data: { message, ...data } })
  }

  progress(current: number, total: number): RunEvent {
    return this.next({
      type: 'progress',
      category: 'train',
      current,
      total,
      percent: Math.round((current / total) * 10_000) / 100,
      etaSeconds: null,
      elapsedSeconds: current / 10,
    })
  }

  metrics(values: Record<string, unknown>): RunEvent {
    return this.next({ type: 'metrics', category: 'train', values })
  }

  result(result: unknown): RunEvent {
    return this.next({ type: 'result', result })
  }

  error(message: string): RunEvent {
    return this.next({
      type: 'error',
      error: { name: 'ExecutionError', code: 'EXECUTION_FAILED', message },
    })
  }

  /** `count` log, progress and metrics events in turn: the bulk of a real run. */
  work(count: number): RunEvent[] {
    const events: RunEvent[] = []
    for (let i = 1; i <= count; i++) {
      if (i % 3 === 0) events.push(this.metrics({ loss: 1 / i, step: i }))
      else if (i % 3 === 1) events.push(this.progress(i, count))
      else events.push(this.log(`step ${i}`, { step: i }))
    }
    return events
  }
}
