// @synapse/pipelines — the public API, read as a table of contents.

// The pipeline: checks at construction, plan, run, resume, status, wait, cancel.
export {
  ActionPipeline,
  type ActionPipelineOptions,
  type PipelineRunOptions,
  type PipelineWaitOptions,
} from './action-pipeline'
// Its steps, and the data-flow rule between them.
export { mergeResult } from './merge-result'
// What the checks say, and the plan they build.
export type { PipelineDiagnostic } from './pipeline-diagnostic'
// Errors of its own.
export { PipelineAlreadyCompletedError, PipelineMismatchError } from './pipeline-errors'
export { type PipelinePlan, type PlanStep, renderPlan } from './pipeline-plan'
// A run in the store: its state, checkpoints and event vocabulary.
export {
  type ActionStatus,
  PIPELINE_EVENT,
  PIPELINE_PROGRESS,
  type PipelineCheckpoint,
  type PipelineState,
  readPipelineState,
  type StepState,
} from './pipeline-state'
export type { PipelineStepInput, PipelineStepSpec } from './pipeline-step'
