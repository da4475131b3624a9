import { toJsonValue } from '@synapse/core'

/**
 * What makes two submits of one run id the same request: the action's name and the params as
 * JSON with object keys sorted (`{ a, b }` and `{ b, a }` are one request). `undefined` when
 * the params have no JSON form: such a request can only match itself.
 */
export function requestKey(action: string, params: unknown): string | undefined {
  try {
    return `${action}\n${stableJson(toJsonValue(params ?? {}, 'params'))}`
  } catch {
    return undefined
  }
}

/** JSON with every object's keys in sorted order, so equal values give equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    const fields = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson(record[key])}`)
    return `{${fields.join(',')}}`
  }
  return JSON.stringify(value)
}
