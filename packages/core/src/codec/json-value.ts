import type { ErrorCode } from '../errors/error-codes'
import { formatIssuePath } from '../errors/errors'
import { PluginError } from '../errors/plugin-error'

/** A value `JSON.stringify` writes and `JSON.parse` reads back as the same thing. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue }

/**
 * Turns a value into plain JSON by the wire's rules, or fails naming the path of the first value
 * that has no JSON form. `Date` → ISO string, `bigint` → decimal string, `Map` → `[key, value]`
 * pairs, `Set` → array, typed arrays → arrays of numbers, `undefined` object fields left out (as
 * JSON.stringify does). Functions, symbols, non-finite numbers, class instances and cycles have no
 * faithful form and fail. Values already plain are returned as they are, without a copy.
 *
 * @example
 * toJsonValue({ at: new Date(0), n: 10n })   // { at: '1970-01-01T00:00:00.000Z', n: '10' }
 * toJsonValue({ f: () => 1 }, 'result')       // throws RESULT_NOT_ENCODABLE: "… at f"
 */
export function toJsonValue(
  value: unknown,
  what = 'result',
  code: ErrorCode = 'RESULT_NOT_ENCODABLE',
): JsonValue {
  return encode(value, [], new Set(), { what, code, lenient: false }) as JsonValue
}

/**
 * {@link toJsonValue} for what a run reports along the way (log data, metrics): a diverged loss
 * (`NaN`, `Infinity`) or a hole in an array becomes `null`, as `JSON.stringify` writes it, instead
 * of failing the call in the middle of a long run. Values with no JSON form at all still fail.
 */
export function toReportedJsonValue(value: unknown, what: string): JsonValue {
  return encode(value, [], new Set(), {
    what,
    code: 'VALUE_NOT_ENCODABLE',
    lenient: true,
  }) as JsonValue
}

interface Failure {
  what: string
  code: ErrorCode
  /** Non-finite numbers and array holes become null instead of failing. */
  lenient: boolean
}

function encode(
  value: unknown,
  path: (string | number)[],
  seen: Set<object>,
  what: Failure,
): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      if (Number.isFinite(value)) return value
      return what.lenient ? null : fail(what, path, `${value} is not a JSON number`)
    case 'bigint':
      return value.toString()
    case 'undefined':
      // Only inside an object is undefined droppable; at the top or in an array it is a hole.
      return path.length === 0 || what.lenient
        ? null
        : fail(what, path, 'undefined has no JSON form here')
    case 'function':
    case 'symbol':
      return fail(what, path, `a ${typeof value} has no JSON form`)
  }
  if (value === null) return null
  const object = value as object
  if (seen.has(object)) return fail(what, path, 'the value refers to itself (a cycle)')
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return fail(what, path, 'an invalid Date has no JSON form')
    return value.toISOString()
  }
  seen.add(object)
  try {
    if (Array.isArray(value)) return encodeArray(value, path, seen, what)
    if (value instanceof Map) {
      return [...value].map(([k, v], i) => [
        encode(k, [...path, i, 0], seen, what),
        encode(v, [...path, i, 1], seen, what),
      ])
    }
    if (value instanceof Set) return encodeArray([...value], path, seen, what)
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      return Array.from(value as unknown as ArrayLike<number | bigint>, (n) =>
        typeof n === 'bigint' ? n.toString() : n,
      )
    }
    const proto = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) {
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object'
      return fail(what, path, `an instance of ${name} has no JSON form (return plain data)`)
    }
    const record = object as Record<string, unknown>
    let out: Record<string, unknown> | undefined
    for (const key of Object.keys(record)) {
      const item = record[key]
      if (item === undefined) {
        out ??= copyUpTo(record, key)
        continue
      }
      const next = encode(item, [...path, key], seen, what)
      if (next !== item) out ??= copyUpTo(record, key)
      if (out !== undefined) out[key] = next
    }
    return out ?? value
  } finally {
    seen.delete(object)
  }
}

function encodeArray(
  value: unknown[],
  path: (string | number)[],
  seen: Set<object>,
  what: Failure,
): unknown[] {
  let out: unknown[] | undefined
  for (let i = 0; i < value.length; i++) {
    const item = value[i]
    const next = encode(item, [...path, i], seen, what)
    if (next !== item) out ??= value.slice(0, i)
    if (out !== undefined) out[i] = next
  }
  return out ?? value
}

/** A fresh object with the keys of `value` that come before `stop`. */
function copyUpTo(value: Record<string, unknown>, stop: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    if (key === stop) break
    if (value[key] !== undefined) out[key] = value[key]
  }
  return out
}

function fail(failure: Failure, path: (string | number)[], reason: string): never {
  const where = formatIssuePath(path)
  throw new PluginError(`The ${failure.what} cannot be sent as JSON: ${reason} at ${where}`, {
    code: failure.code,
    details: { path, reason },
  })
}
