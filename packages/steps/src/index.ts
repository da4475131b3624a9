// @synapse/steps — multi-stage actions, read as a table of contents.

// Errors: stable codes, the failure with its rollback errors, the timeout, misuse.
export { STEP_ERROR_KINDS, type StepErrorCode } from './errors/step-error-codes'
export {
  type RollbackFailure,
  StepFailedError,
  type StepFailedErrorOptions,
} from './errors/step-failed-error'
export { StepTimeoutError } from './errors/step-timeout-error'
export { StepUsageError } from './errors/step-usage-error'
// Running them: order, skip, rollback, retries, timeouts, cancellation, weighted progress.
export {
  Orchestrator,
  type OrchestratorOptions,
  type OrchestratorSummary,
  OVERALL_CATEGORY,
  type StepRunRecord,
} from './orchestrator'
export type { RetryPolicy } from './retry-policy'
// A step, what it returns, and the context a workflow's steps share.
export type { Step } from './step'
export { StepContext } from './step-context'
// The ordered steps of a workflow.
export { StepRegistry } from './step-registry'
export { type StepResult, type StepResultInit, stepResult } from './step-result'
export { WeightedProgress } from './weighted-progress'
// Wrapper steps.
export { LoggingStep } from './wrappers/logging-step'
export { TimingStep } from './wrappers/timing-step'
export {
  type ValidationOutcome,
  ValidationStep,
  type ValidationStepOptions,
} from './wrappers/validation-step'
export { WrappedStep } from './wrappers/wrapped-step'
