import type { z } from 'zod'
import { DatasetError } from '../errors'
import { jsonPath } from './text-location'

/**
 * Checks `value` against `schema`; on failure throws a `DATASET_SCHEMA_ERROR` naming the file and
 * the JSON path of the first issue (`$.annotations[12].bbox[2]`), all issues in `details.issues`.
 */
export function parseWith<T extends z.ZodType>(
  schema: T,
  value: unknown,
  file: string,
  basePath: readonly (string | number)[] = [],
): z.output<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues = result.error.issues.slice(0, 10).map((i) => ({
    path: jsonPath([...basePath, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))]),
    message: i.message,
  }))
  const first = issues[0]!
  throw new DatasetError('DATASET_SCHEMA_ERROR', first.message, {
    file,
    jsonPath: first.path,
    details: { issues },
  })
}
