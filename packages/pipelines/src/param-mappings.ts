import { PluginError, registerErrorCodes } from '@synapse/core'
import { z } from 'zod'

// The file asked an edge for a field the step before did not produce: the file is what is wrong.
registerErrorCodes({ PIPELINE_MAPPING_FAILED: 'input' })

/**
 * The mappings a pipeline file can put on an edge, by name: a file cannot hold a function, so
 * `mapParams` is built from a list of these, applied in order to the params merged so far.
 *
 * - `pick: [a, b]` keeps only those keys.
 * - `omit: [a, b]` drops those keys.
 * - `rename: { from: to }` moves each value to its new key (the old key goes).
 * - `set: { key: value }` sets keys to fixed values, over whatever was there.
 * - `default: { key: value }` sets keys only where they are missing.
 * - `lift: { a.b: key }` copies the value at the dotted path `a.b` to the top-level `key`, over
 *   whatever was there (`model.id: model` turns a result's `model: { id, … }` into the id an
 *   inference action takes). A path that is not there fails the step with
 *   `PIPELINE_MAPPING_FAILED`, naming it: the step before did not produce what the file expects.
 */
export const ParamMappingSchema = z.union([
  z.strictObject({ pick: z.array(z.string()).min(1) }),
  z.strictObject({ omit: z.array(z.string()).min(1) }),
  z.strictObject({ rename: z.record(z.string(), z.string()) }),
  z.strictObject({ set: z.record(z.string(), z.unknown()) }),
  z.strictObject({ default: z.record(z.string(), z.unknown()) }),
  z.strictObject({
    lift: z.record(
      z.string().regex(/^[^.]+(\.[^.]+)*$/, 'a dotted path such as model.id'),
      z.string().min(1),
    ),
  }),
])

/** One named mapping of an edge (see {@link ParamMappingSchema}). */
export type ParamMapping = z.infer<typeof ParamMappingSchema>

/** The names {@link ParamMappingSchema} accepts, for messages. */
export const PARAM_MAPPING_NAMES = ['pick', 'omit', 'rename', 'set', 'default', 'lift'] as const

/**
 * The mappings as one pure function of the merged params (resume replays it), each applied to
 * what the one before it returned.
 *
 * @example
 * const map = composeMappings([{ rename: { path: 'dataset' } }, { set: { operation: 'train' } }])
 * map({ path: '/d', operation: 'download' }) // { dataset: '/d', operation: 'train' }
 */
export function composeMappings(
  mappings: readonly ParamMapping[],
): (merged: Readonly<Record<string, unknown>>) => Record<string, unknown> {
  return (merged) => {
    let params: Record<string, unknown> = { ...merged }
    for (const mapping of mappings) params = applyMapping(params, mapping)
    return params
  }
}

function applyMapping(
  params: Record<string, unknown>,
  mapping: ParamMapping,
): Record<string, unknown> {
  if ('pick' in mapping) {
    return Object.fromEntries(mapping.pick.filter((k) => k in params).map((k) => [k, params[k]]))
  }
  if ('omit' in mapping) {
    const dropped = new Set(mapping.omit)
    return Object.fromEntries(Object.entries(params).filter(([k]) => !dropped.has(k)))
  }
  if ('rename' in mapping) {
    const out = { ...params }
    for (const from of Object.keys(mapping.rename)) delete out[from]
    for (const [from, to] of Object.entries(mapping.rename)) {
      if (from in params) out[to] = params[from]
    }
    return out
  }
  if ('set' in mapping) return { ...params, ...mapping.set }
  if ('lift' in mapping) {
    const out = { ...params }
    for (const [path, to] of Object.entries(mapping.lift)) out[to] = valueAt(params, path, to)
    return out
  }
  return { ...mapping.default, ...params }
}

function valueAt(params: Record<string, unknown>, path: string, to: string): unknown {
  let value: unknown = params
  const segments = path.split('.')
  for (const [n, segment] of segments.entries()) {
    const holder = value as Record<string, unknown> | null | undefined
    const found =
      typeof holder === 'object' && holder !== null && Object.hasOwn(holder, segment)
        ? holder[segment]
        : undefined
    if (found === undefined) {
      const at = segments.slice(0, n).join('.')
      throw new PluginError(
        `map lift { ${path}: ${to} }: the params have no '${path}' (${
          n === 0 ? `no key '${segment}'` : `'${at}' is ${describe(value)}, without '${segment}'`
        }; keys: ${Object.keys(params).join(', ') || 'none'})`,
        { code: 'PIPELINE_MAPPING_FAILED', details: { mapping: 'lift', path, to } },
      )
    }
    value = found
  }
  return value
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return `an object of ${Object.keys(value).join(', ') || 'no keys'}`
  return `a ${typeof value}`
}
