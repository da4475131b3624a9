// @synapse/pipelines — the public API, read as a table of contents.

// The pipeline: checks at construction, plan, run, resume, status, wait, cancel.
export {
  ActionPipeline,
  type ActionPipelineOptions,
  type PipelineRunOptions,
  type PipelineWaitOptions,
} from './action-pipeline'
// A cancel from any process, through the store.
export { requestPipelineCancel } from './cancel-request'
// Its steps, and the data-flow rule between them.
export { mergeResult } from './merge-result'
// Named mappings for edges defined in a file, where a function cannot live.
export {
  composeMappings,
  PARAM_MAPPING_NAMES,
  type ParamMapping,
  ParamMappingSchema,
} from './param-mappings'
// What the checks say, and the plan they build.
export type { PipelineDiagnostic } from './pipeline-diagnostic'
// Errors of its own.
export { PipelineAlreadyCompletedError, PipelineMismatchError } from './pipeline-errors'
// Pipeline files: YAML checked with file:line:col errors, and the pipeline they describe.
export {
  type BuildPipelineOptions,
  buildPipeline,
  definitionOf,
  type LoadedPipelineFile,
  loadPipelineFile,
  type PipelineDefinition,
  type PipelineDefinitionStep,
  PipelineFileSchema,
  parsePipelineFile,
} from './pipeline-file'
export { type PipelinePlan, type PlanStep, renderPlan } from './pipeline-plan'
// A run in the store: its state, checkpoints and event vocabulary.
export {
  type ActionStatus,
  applyPipelineEvent,
  emptyPipelineState,
  PIPELINE_EVENT,
  PIPELINE_PROGRESS,
  type PipelineCheckpoint,
  type PipelineState,
  readPipelineState,
  type StepState,
} from './pipeline-state'
export type { PipelineStepInput, PipelineStepSpec } from './pipeline-step'
