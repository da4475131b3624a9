import { randomBytes } from 'node:crypto'

// A random prefix per process and a counter: unique, sortable within a process, and much
// cheaper than a UUID per run on the hot path of many small local runs.
const prefix = `local-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
let counter = 0

export function newLocalRunId(): string {
  counter += 1
  return `${prefix}-${counter.toString(36)}`
}
