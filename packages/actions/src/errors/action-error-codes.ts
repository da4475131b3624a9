import { type ErrorKind, registerErrorCodes } from '@synapse/core'

/**
 * Stable codes of `@synapse/actions` errors. A checksum mismatch uses core's `CHECKSUM_MISMATCH`.
 *
 * - `WORKSPACE_DATASET_NOT_FOUND`: no dataset with that id in the workspace (input).
 * - `WORKSPACE_MODEL_NOT_FOUND`: no model with that id in the workspace (input).
 * - `WORKSPACE_ARTIFACT_NOT_FOUND`: no artifact of that kind and id in the workspace (input).
 * - `WORKSPACE_INVALID_INPUT`: what was given to the workspace cannot be stored: a missing file,
 *   a dataset folder that does not read in the format named, a bad name (input).
 * - `WORKSPACE_CORRUPT`: a record on disk cannot be read back (failure).
 * - `ACTION_MISCONFIGURED`: a category action was used in a way its base does not support, such
 *   as asking for a dataset when the params have none (failure: a plugin bug).
 */
export const ACTION_ERROR_KINDS = {
  WORKSPACE_DATASET_NOT_FOUND: 'input',
  WORKSPACE_MODEL_NOT_FOUND: 'input',
  WORKSPACE_ARTIFACT_NOT_FOUND: 'input',
  WORKSPACE_INVALID_INPUT: 'input',
  WORKSPACE_CORRUPT: 'failure',
  ACTION_MISCONFIGURED: 'failure',
} as const satisfies Record<string, ErrorKind>

/** A code of {@link ACTION_ERROR_KINDS}. */
export type ActionErrorCode = keyof typeof ACTION_ERROR_KINDS

registerErrorCodes(ACTION_ERROR_KINDS)
