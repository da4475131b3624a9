import {
  CancelledError,
  ExecutionError,
  type ExecutorProtocol,
  type LogEventBody,
  PluginError,
  type RunOutcome,
  serializeError,
  toJsonValue,
} from '@synapse/core'
import { mergeResult } from './merge-result'
import type { PipelineJournal } from './pipeline-journal'
import { PipelineProgress } from './pipeline-progress'
import { type ActionStatus, PIPELINE_EVENT, PIPELINE_PROGRESS } from './pipeline-state'
import type { ResolvedStep } from './pipeline-step'

/** One attempt at a pipeline run: where it starts and what it starts with. */
export interface StepsAttempt {
  runId: string
  pipelineName: string
  steps: readonly ResolvedStep[]
  executor: ExecutorProtocol
  journal: PipelineJournal
  /** Part of each step's run id, so a resume never collides with a run the last attempt left. */
  attempt: number
  /** The first step to run; those before it completed in an earlier attempt. */
  startIndex: number
  /** The merged params the start step sees. */
  merged: Record<string, unknown>
  /** The result of the step before `startIndex` (the pipeline's result if nothing is left). */
  lastResult: unknown
  signal: AbortSignal
  /** Told which step run is going, so `cancel` can reach it. */
  onStepRun: (runId: string | undefined) => void
}

/** How often a completed step may write the pipeline's overall progress. */
const PROGRESS_INTERVAL_MS = 100

/** A log event of the pipeline's own vocabulary (see `PIPELINE_EVENT`). */
export function pipelineLog(event: string, data: Record<string, unknown>): LogEventBody {
  return { type: 'log', level: 'info', event, data, category: PIPELINE_PROGRESS }
}

function stepStatus(
  index: number,
  name: string,
  status: ActionStatus,
  extra: Record<string, unknown> = {},
): LogEventBody {
  return pipelineLog(PIPELINE_EVENT.step, { index, name, status, ...extra })
}

/**
 * Runs the steps of one attempt, each action as a run of its own on the executor (its parent the
 * pipeline run), each converter in this process. After each step its checkpoint is stored before
 * the next one starts, so a crash loses at most the step that was running. The outcome is the
 * pipeline's: its result is the last step's.
 */
export async function runSteps(attempt: StepsAttempt): Promise<RunOutcome> {
  const { journal, steps, runId, signal } = attempt
  const progress = new PipelineProgress(
    steps.map((s) => s.weight),
    attempt.startIndex,
  )
  let merged = attempt.merged
  let last = attempt.lastResult
  // Whether the step about to run was already written as running, in the last one's checkpoint.
  let announced = false
  let progressAt = -Infinity
  for (let index = attempt.startIndex; index < steps.length; index++) {
    const step = steps[index] as ResolvedStep
    const stepRunId = step.kind === 'action' ? stepRunIdOf(attempt, index) : undefined
    try {
      if (signal.aborted) throw new CancelledError(`Pipeline run '${runId}' was cancelled`)
      if (!announced) {
        journal.write(
          stepStatus(index, step.name, 'running', stepRunId ? { runId: stepRunId } : {}),
        )
      }
      let result: unknown
      let loss: unknown
      if (step.kind === 'converter') {
        const { adapter } = step
        const converted = await adapter.convert(merged, {
          from: adapter.from,
          to: adapter.to,
          signal,
        })
        result = converted.output
        loss = converted.loss
        merged = mergeResult(merged, result)
      } else {
        const input = step.mapParams === undefined ? merged : step.mapParams(merged)
        // Known before it starts, so a cancel arriving while it is being submitted reaches it.
        attempt.onStepRun(stepRunId)
        // `execute` rather than submit-and-follow: an in-process executor then hands the events
        // straight to the listener, with no stream to read per step.
        result = await attempt.executor.execute(
          { action: step.action, params: input, runId: stepRunId as string, parentRunId: runId },
          { onEvent: stepProgressListener(journal, progress, index, step.name) },
        )
        attempt.onStepRun(undefined)
        merged = mergeResult(input, result)
      }
      last = result
      const next = steps[index + 1]
      announced = next !== undefined && !signal.aborted
      // One event says it all: this step completed with this result, and the next one starts
      // (see `PipelineCheckpoint.next`). It is the pipeline's one write per step.
      journal.write(
        pipelineLog(PIPELINE_EVENT.checkpoint, {
          index,
          name: step.name,
          ...(stepRunId !== undefined && { runId: stepRunId }),
          params: toJsonValue(merged, 'params', 'PARAMS_NOT_ENCODABLE'),
          result: toJsonValue(result ?? null, 'result'),
          ...(loss !== undefined && { loss: toJsonValue(loss, 'loss') }),
          ...(next !== undefined &&
            announced && {
              next: {
                index: next.index,
                name: next.name,
                ...(next.kind === 'action' && { runId: stepRunIdOf(attempt, next.index) }),
              },
            }),
        }),
      )
      const percent = progress.complete(index)
      // Overall progress at most every 100 ms (as a run's own progress is), and always at the end.
      const now = performance.now()
      if (next === undefined || now - progressAt >= PROGRESS_INTERVAL_MS) {
        progressAt = now
        journal.write(progress.event(PIPELINE_PROGRESS, percent))
      }
      // The checkpoint is durable before the next step starts: a crash now loses nothing.
      await journal.flush()
    } catch (error) {
      attempt.onStepRun(undefined)
      return await endFailed(attempt, index, step.name, stepRunId, error)
    }
  }
  journal.write({ type: 'result', result: toJsonValue(last ?? null, 'result') })
  journal.write({ type: 'status', status: 'completed' })
  await journal.flush()
  return { runId, status: 'completed', result: last }
}

/** A step's run id: the attempt is part of it, so a resume never collides with a dead run. */
function stepRunIdOf(attempt: StepsAttempt, index: number): string {
  return `${attempt.runId}.${attempt.attempt}.${index}`
}

/** Feeds a step run's progress into the pipeline's, writing only when a figure moves. */
function stepProgressListener(
  journal: PipelineJournal,
  progress: PipelineProgress,
  index: number,
  name: string,
): (event: { type: string; category?: string; percent?: number }) => void {
  const byCategory = new Map<string, number>()
  let written = -1
  return (event) => {
    if (event.type !== 'progress' || event.category === undefined) return
    byCategory.set(event.category, event.percent ?? 0)
    let sum = 0
    for (const p of byCategory.values()) sum += p
    const stepPercent = sum / byCategory.size
    // Whole points only: a hot loop in the action must not become a write per call here.
    if (Math.floor(stepPercent) === written) return
    written = Math.floor(stepPercent)
    journal.write(progress.event(`step:${name}`, Math.round(stepPercent * 100) / 100))
    journal.write(progress.event(PIPELINE_PROGRESS, progress.percent(index, stepPercent)))
  }
}

async function endFailed(
  attempt: StepsAttempt,
  index: number,
  name: string,
  stepRunId: string | undefined,
  error: unknown,
): Promise<RunOutcome> {
  const { journal, runId } = attempt
  const cause = PluginError.from(error)
  const cancelled = cause.code === 'RUN_CANCELLED' || attempt.signal.aborted
  const details = { runId, step: name, index, ...(stepRunId && { stepRunId }) }
  const failure = cancelled
    ? new CancelledError(`Pipeline run '${runId}' was cancelled at step ${index + 1} '${name}'`, {
        cause,
        details,
      })
    : new ExecutionError(
        `Pipeline '${attempt.pipelineName}' failed at step ${index + 1} '${name}': ${cause.message}`,
        { cause, details },
      )
  const status = cancelled ? 'cancelled' : 'failed'
  journal.write(
    stepStatus(index, name, cancelled ? 'pending' : 'failed', {
      ...(stepRunId && { runId: stepRunId }),
      error: serializeError(cause),
    }),
  )
  journal.write({ type: 'error', error: serializeError(failure) })
  journal.write({ type: 'status', status })
  await journal.flush()
  return { runId, status, error: failure }
}
