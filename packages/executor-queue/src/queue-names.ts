/** The queue runs go to when nothing routes them elsewhere. */
export const DEFAULT_QUEUE = 'synapse'

/** BullMQ's own keys, under the executor's prefix so one prefix holds everything of a deployment. */
export function bullPrefix(prefix: string): string {
  return `${prefix}:bull`
}
