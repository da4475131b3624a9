import { type ErrorKind, registerErrorCodes } from '@synapse/core'

/**
 * Stable codes of `@synapse/steps` errors, with what each tells a caller. Every one is a
 * `failure`: a step that failed or timed out, or a workflow built wrongly (a plugin bug, not
 * bad input from the person running it). Cancellation uses core's `RUN_CANCELLED`.
 *
 * - `STEP_FAILED`: a step failed; the run's steps were rolled back.
 * - `STEP_TIMEOUT`: a step ran longer than its timeout.
 * - `STEP_NOT_FOUND`: a registry operation named a step that is not registered.
 * - `STEP_DUPLICATE`: a step name is registered twice (names key results and progress categories).
 * - `STEP_INVALID`: a step is malformed (empty name, negative or non-finite weight, bad retry policy).
 * - `STEP_CATEGORY_MISSING`: progress or metrics without a category outside a running step.
 * - `STEP_BUSY`: an orchestrator or context was asked to run while it is already running.
 */
export const STEP_ERROR_KINDS = {
  STEP_FAILED: 'failure',
  STEP_TIMEOUT: 'failure',
  STEP_NOT_FOUND: 'failure',
  STEP_DUPLICATE: 'failure',
  STEP_INVALID: 'failure',
  STEP_CATEGORY_MISSING: 'failure',
  STEP_BUSY: 'failure',
} as const satisfies Record<string, ErrorKind>

/** A code of {@link STEP_ERROR_KINDS}. */
export type StepErrorCode = keyof typeof STEP_ERROR_KINDS

registerErrorCodes(STEP_ERROR_KINDS)
