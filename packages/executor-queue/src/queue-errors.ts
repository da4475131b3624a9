import { registerErrorCodes } from '@synapse/core'

/** The codes this package raises, registered with core so callers know their kind. */
export const QUEUE_ERROR_CODES = {
  /** Redis did not answer within the connect timeout. */
  QUEUE_UNAVAILABLE: 'failure',
  /** The queue holds more waiting runs than the configured depth. */
  QUEUE_FULL: 'failure',
  /** The worker's copy of the plugin is not the one the run was submitted with. */
  PLUGIN_MISMATCH: 'failure',
  /** The run went over its hard timeout and was stopped. */
  RUN_TIMEOUT: 'failure',
  /** A worker died holding the run more often than the queue allows. */
  RUN_LOST: 'failure',
} as const

registerErrorCodes(QUEUE_ERROR_CODES)
