import { randomUUID } from 'node:crypto'

/** A new run id: time-ordered prefix (sorts by start) plus randomness (unique across machines). */
export function newRunId(now: number = Date.now()): string {
  return `${now.toString(36).padStart(9, '0')}-${randomUUID().slice(0, 8)}`
}

/** Run ids become directory names and Redis keys: keep them to a safe alphabet. */
export function isValidRunId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id)
}
