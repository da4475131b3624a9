import type { ProgressEventBody, RunEvent } from '@synapse/core'

/** Where a run's categories stand: the last progress and the last metrics of each. */
export interface RunSummary {
  progress: Record<string, Omit<ProgressEventBody, 'type' | 'category'>>
  metrics: Record<string, Record<string, unknown>>
}

/** Folds a run's events into the last progress and metrics per category, in first-seen order. */
export function summarizeEvents(events: Iterable<RunEvent>): RunSummary {
  const summary: RunSummary = { progress: {}, metrics: {} }
  for (const event of events) {
    if (event.type === 'progress') {
      const { runId: _r, seq: _s, time: _t, type: _type, category, ...progress } = event
      summary.progress[category] = progress
    } else if (event.type === 'metrics') {
      summary.metrics[event.category] = event.values
    }
  }
  return summary
}
