import type { RunSpec } from '@synapse/core'

/** The plugin a run was submitted with, as the worker checks its own copy against. */
export interface PluginIdentity {
  code: string
  version: string
  /** See `pluginHash`. */
  hash: string
}

/**
 * What a queue job carries: the run spec, with its params moved to Redis when they are large
 * (`paramsRef`), and the plugin it must run.
 */
export interface QueueJobData {
  spec: RunSpec
  /** The params are stored under the run's `params` key, not in the job. */
  paramsRef?: true
  plugin: PluginIdentity
  /** Hard timeout of the run in ms (job mode kills the process past it). */
  timeoutMs?: number
}

/** The job's BullMQ id: run ids may be all digits, which BullMQ refuses as custom ids. */
export function jobIdOf(runId: string): string {
  return `run-${runId}`
}
