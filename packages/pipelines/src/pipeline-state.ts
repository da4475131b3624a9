import type {
  JsonValue,
  LossReport,
  RunEvent,
  RunRecord,
  RunStatus,
  RunStore,
  SerializedError,
} from '@synapse/core'
import { RunNotFoundError } from '@synapse/core'
import type { PlanStep } from './pipeline-plan'

/** Where one step of a pipeline run stands (the spec's ActionStatus). */
export type ActionStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped'

/**
 * The events a pipeline run writes besides status, progress, result and error, as `log` events
 * of category `pipeline`: the store has no other place for them, and any reader of runs
 * (`synapse runs logs`) shows them as they are.
 */
export const PIPELINE_EVENT = {
  /** `{ steps: PlanStep[], source? }`, once, first. */
  plan: 'pipeline_plan',
  /** `{ attempt, startIndex }`: a start (attempt 1) or a resume. */
  attempt: 'pipeline_attempt',
  /** `{ index, name, status, runId?, error? }`: a step changed status. */
  step: 'pipeline_step',
  /** {@link PipelineCheckpoint}: a step completed (and the next one, if any, started). */
  checkpoint: 'pipeline_checkpoint',
} as const

/** The progress category of the pipeline's overall percent; each step's is `step:<name>`. */
export const PIPELINE_PROGRESS = 'pipeline'

/** What is kept after each completed step: enough to resume after it. */
export interface PipelineCheckpoint {
  index: number
  name: string
  /** The step's own run (actions only). */
  runId?: string
  /** The merged params after this step, as JSON. */
  params: JsonValue
  /** The step's result (an adapter's output), as JSON. */
  result: JsonValue
  /** Converters only: what the conversion lost. */
  loss?: LossReport
  /** The step that started as this one completed (a checkpoint doubles as its start event). */
  next?: { index: number; name: string; runId?: string }
}

/** One step of a pipeline run, as the store has it. */
export interface StepState {
  index: number
  name: string
  kind: PlanStep['kind']
  status: ActionStatus
  /** The step's own run in the store, once started (actions only). */
  runId?: string
  /** 0–100, from the step's own progress. */
  percent: number
  error?: SerializedError
  loss?: LossReport
}

/** A pipeline run read back from the store: the spec's PipelineProgress. */
export interface PipelineState {
  runId: string
  name: string
  status: RunStatus
  /** 0–100, weighted by step. */
  percent: number
  /** 1 for the first start, +1 for each resume. */
  attempt: number
  steps: StepState[]
  checkpoints: PipelineCheckpoint[]
  result?: JsonValue
  error?: SerializedError
  /** What the pipeline was built from, when it said (`ActionPipelineOptions.source`). */
  source?: JsonValue
  /** Set while another process has asked the run to stop and it has not yet. */
  cancelRequestedAt?: string
  createdAt: string
  startedAt?: string
  finishedAt?: string
}

/** Reads a pipeline run from the store. Throws `RunNotFoundError` for an unknown id. */
export async function readPipelineState(store: RunStore, runId: string): Promise<PipelineState> {
  const record = await store.getRun(runId)
  if (record === undefined) throw new RunNotFoundError(runId)
  const state = emptyPipelineState(record)
  for await (const event of store.readEvents(runId)) applyPipelineEvent(state, event)
  if (record.result !== undefined) state.result = record.result
  if (record.status === 'completed') state.percent = 100
  return state
}

/**
 * The state of a pipeline run before any of its events: fold them in with
 * {@link applyPipelineEvent} to follow a run live without reading it all again.
 */
export function emptyPipelineState(record: RunRecord): PipelineState {
  return {
    runId: record.runId,
    name: record.action,
    status: record.status,
    percent: 0,
    attempt: 0,
    steps: [],
    checkpoints: [],
    createdAt: record.createdAt,
    ...(record.startedAt !== undefined && { startedAt: record.startedAt }),
    ...(record.finishedAt !== undefined && { finishedAt: record.finishedAt }),
    ...(record.cancelRequestedAt !== undefined && { cancelRequestedAt: record.cancelRequestedAt }),
  }
}

/** Folds one event of a pipeline run into its state (status and result come from the record). */
export function applyPipelineEvent(state: PipelineState, event: RunEvent): void {
  if (event.type === 'status') {
    state.status = event.status
    return
  }
  if (event.type === 'result') {
    state.result = event.result as JsonValue
    if (state.status === 'completed') state.percent = 100
    return
  }
  if (event.type === 'progress') {
    if (event.category === PIPELINE_PROGRESS) state.percent = event.percent
    else if (event.category.startsWith('step:')) {
      const step = state.steps.find((s) => `step:${s.name}` === event.category)
      if (step !== undefined) step.percent = event.percent
    }
    return
  }
  if (event.type === 'error') {
    state.error = event.error
    return
  }
  if (event.type !== 'log' || event.category !== PIPELINE_PROGRESS) return
  const data = event.data
  switch (event.event) {
    case PIPELINE_EVENT.plan:
      if (data['source'] !== undefined) state.source = data['source'] as JsonValue
      state.steps = (data['steps'] as PlanStep[]).map((s) => ({
        index: s.index,
        name: s.name,
        kind: s.kind,
        status: 'pending',
        percent: 0,
      }))
      break
    case PIPELINE_EVENT.attempt: {
      state.attempt = Number(data['attempt'])
      delete state.error
      // A resume runs again every step from where it starts; those before keep their state.
      for (const step of state.steps.slice(Number(data['startIndex']))) {
        step.status = 'pending'
        step.percent = 0
        delete step.error
      }
      break
    }
    case PIPELINE_EVENT.step: {
      const step = state.steps[Number(data['index'])]
      if (step === undefined) break
      step.status = data['status'] as ActionStatus
      if (typeof data['runId'] === 'string') step.runId = data['runId']
      if (data['error'] !== undefined) step.error = data['error'] as SerializedError
      break
    }
    case PIPELINE_EVENT.checkpoint: {
      const checkpoint = data as unknown as PipelineCheckpoint
      state.checkpoints[checkpoint.index] = checkpoint
      const step = state.steps[checkpoint.index]
      if (step !== undefined) {
        step.status = 'completed'
        step.percent = 100
        if (checkpoint.loss !== undefined) step.loss = checkpoint.loss
      }
      const next = checkpoint.next === undefined ? undefined : state.steps[checkpoint.next.index]
      if (next !== undefined) {
        next.status = 'running'
        if (checkpoint.next?.runId !== undefined) next.runId = checkpoint.next.runId
      }
      break
    }
  }
}
