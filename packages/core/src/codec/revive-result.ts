import type { z } from 'zod'
import type { AnyActionDefinition } from '../action/action-definition'

/**
 * The waiting side of a result that crossed a process: the JSON form (see `toJsonValue`) turned
 * back into what the action returned, guided by its result schema (ISO strings under `z.date()`
 * become `Date`s, strings under `z.bigint()` become `bigint`s, pairs under `z.map()` a `Map`,
 * arrays under `z.set()` a `Set`), then validated again. Without a result schema the JSON is the
 * result. A value the schema rejects comes back as revived, unvalidated: the sending side already
 * applied the action's result validation.
 *
 * @example
 * const result = reviveResult(train, outcomeJson)   // result.finishedAt instanceof Date
 */
export function reviveResult(action: AnyActionDefinition, json: unknown): unknown {
  const schema = action.result as z.ZodType | undefined
  if (schema === undefined) return json
  const revived = revive(schema, json, 0)
  const parsed = schema.safeParse(revived)
  return parsed.success ? parsed.data : revived
}

interface Def {
  type: string
  innerType?: z.ZodType
  element?: z.ZodType
  shape?: Record<string, z.ZodType>
  catchall?: z.ZodType
  options?: z.ZodType[]
  items?: z.ZodType[]
  rest?: z.ZodType | null
  keyType?: z.ZodType
  valueType?: z.ZodType
  in?: z.ZodType
  left?: z.ZodType
  right?: z.ZodType
  getter?: () => z.ZodType
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def
}

function revive(schema: z.ZodType, value: unknown, depth: number): unknown {
  // Deeply recursive schemas (z.lazy) end here; what is left stays JSON.
  if (depth > 64) return value
  const def = defOf(schema)
  switch (def.type) {
    case 'date':
      return typeof value === 'string' ? new Date(value) : value
    case 'bigint':
      return typeof value === 'string' && /^-?\d+$/.test(value) ? BigInt(value) : value
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return value === null || value === undefined
        ? value
        : revive(def.innerType as z.ZodType, value, depth + 1)
    case 'lazy':
      return revive((def.getter as () => z.ZodType)(), value, depth + 1)
    // The JSON holds the pipe's input side (a codec's encoded form); parsing decodes it.
    case 'pipe':
      return revive(def.in as z.ZodType, value, depth + 1)
    case 'array':
      return Array.isArray(value)
        ? value.map((item) => revive(def.element as z.ZodType, item, depth + 1))
        : value
    case 'set':
      return Array.isArray(value)
        ? new Set(value.map((item) => revive(def.valueType as z.ZodType, item, depth + 1)))
        : value
    case 'map':
      return Array.isArray(value) && value.every((pair) => Array.isArray(pair) && pair.length === 2)
        ? new Map(
            value.map(([k, v]) => [
              revive(def.keyType as z.ZodType, k, depth + 1),
              revive(def.valueType as z.ZodType, v, depth + 1),
            ]),
          )
        : value
    case 'tuple':
      return Array.isArray(value)
        ? value.map((item, i) => {
            const itemSchema = def.items?.[i] ?? def.rest ?? undefined
            return itemSchema === undefined ? item : revive(itemSchema, item, depth + 1)
          })
        : value
    case 'object':
      return isPlainObject(value) ? reviveObject(def, value, depth) : value
    case 'record':
      return isPlainObject(value)
        ? Object.fromEntries(
            Object.entries(value).map(([k, v]) => [
              k,
              revive(def.valueType as z.ZodType, v, depth + 1),
            ]),
          )
        : value
    case 'union':
      return reviveUnion(def.options ?? [], value, depth)
    case 'intersection':
      return revive(
        def.right as z.ZodType,
        revive(def.left as z.ZodType, value, depth + 1),
        depth + 1,
      )
    default:
      return value
  }
}

function reviveObject(def: Def, value: Record<string, unknown>, depth: number): unknown {
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    const field = def.shape?.[key] ?? def.catchall
    out[key] = field === undefined ? item : revive(field, item, depth + 1)
  }
  return out
}

/** The first option the revived value satisfies wins; none: the value as it came. */
function reviveUnion(options: z.ZodType[], value: unknown, depth: number): unknown {
  for (const option of options) {
    const revived = revive(option, value, depth + 1)
    if (option.safeParse(revived).success) return revived
  }
  return value
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
