import type { RunEvent, RunEventSink, RunEventType } from '../run-event'

/** Keeps every event in memory: for tests, and for callers that want the whole log at the end. */
export class MemorySink implements RunEventSink {
  readonly events: RunEvent[] = []

  write(event: RunEvent): void {
    this.events.push(event)
  }

  /** The events of one type, typed. */
  ofType<TType extends RunEventType>(type: TType): Extract<RunEvent, { type: TType }>[] {
    return this.events.filter((e): e is Extract<RunEvent, { type: TType }> => e.type === type)
  }

  clear(): void {
    this.events.length = 0
  }
}
