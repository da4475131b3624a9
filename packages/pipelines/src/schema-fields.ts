/**
 * What a zod object schema says about its keys, read from zod 4's definition objects. Pipelines
 * need only this much of a schema (which keys exist, which must be given) to check an edge
 * without running anything; a schema that is not an object yields `undefined` and no check.
 */
export interface SchemaFields {
  /** Every key of the object. */
  keys: string[]
  /** Keys that must be present: not optional, no default. */
  required: string[]
}

interface Def {
  type: string
  shape?: Record<string, unknown>
  in?: unknown
  innerType?: unknown
}

interface Zodlike {
  _zod: { def: Def; optin?: 'optional' }
}

function isZod(value: unknown): value is Zodlike {
  return typeof value === 'object' && value !== null && '_zod' in value
}

/** The keys of `schema` when it is a zod object (through pipes and readonly), else undefined. */
export function schemaFields(schema: unknown): SchemaFields | undefined {
  let current = schema
  // Transforms and readonly wrappers keep the object's input keys on their input side.
  for (let depth = 0; depth < 8 && isZod(current); depth++) {
    const def = current._zod.def
    if (def.type === 'object' && def.shape !== undefined) {
      const keys = Object.keys(def.shape)
      const required = keys.filter((key) => {
        const field = def.shape?.[key]
        if (!isZod(field)) return true
        // Optional fields say so in `optin`; defaulted ones are filled in when absent.
        const type = field._zod.def.type
        return !(field._zod.optin === 'optional' || type === 'default' || type === 'prefault')
      })
      return { keys, required }
    }
    if (def.type === 'pipe') current = def.in
    else if (def.type === 'readonly') current = def.innerType
    else return undefined
  }
  return undefined
}
