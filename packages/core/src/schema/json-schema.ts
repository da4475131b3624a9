import { z } from 'zod'

/** A JSON Schema document (draft 2020-12), as zod writes it. */
export type JsonSchema = { [key: string]: unknown }

/** Which side of a schema to describe: what a caller may send, or what validation produces. */
export type SchemaSide = 'input' | 'output'

interface SelfDescribing {
  toJSONSchema(options?: object): JsonSchema
}

/**
 * The JSON Schema of a zod schema. `input` (the default) is what a caller may send: fields with
 * defaults are optional. Types JSON Schema cannot state (a `Date`, a transform) become `{}`,
 * "anything", rather than failing.
 *
 * @example
 * toJsonSchema(z.object({ epochs: z.number().int().default(10) }))
 * // { type: 'object', properties: { epochs: { type: 'integer', default: 10 } }, … }
 */
export function toJsonSchema(schema: z.ZodType, side: SchemaSide = 'input'): JsonSchema {
  const options = { io: side, unrepresentable: 'any' } as const
  // A plugin's schema may come from its own copy of zod: its own method knows its internals.
  const own = (schema as unknown as Partial<SelfDescribing>).toJSONSchema
  return typeof own === 'function' ? own.call(schema, options) : z.toJSONSchema(schema, options)
}
