import { z } from 'zod'

/**
 * The mappings a pipeline file can put on an edge, by name: a file cannot hold a function, so
 * `mapParams` is built from a list of these, applied in order to the params merged so far.
 *
 * - `pick: [a, b]` keeps only those keys.
 * - `omit: [a, b]` drops those keys.
 * - `rename: { from: to }` moves each value to its new key (the old key goes).
 * - `set: { key: value }` sets keys to fixed values, over whatever was there.
 * - `default: { key: value }` sets keys only where they are missing.
 */
export const ParamMappingSchema = z.union([
  z.strictObject({ pick: z.array(z.string()).min(1) }),
  z.strictObject({ omit: z.array(z.string()).min(1) }),
  z.strictObject({ rename: z.record(z.string(), z.string()) }),
  z.strictObject({ set: z.record(z.string(), z.unknown()) }),
  z.strictObject({ default: z.record(z.string(), z.unknown()) }),
])

/** One named mapping of an edge (see {@link ParamMappingSchema}). */
export type ParamMapping = z.infer<typeof ParamMappingSchema>

/** The names {@link ParamMappingSchema} accepts, for messages. */
export const PARAM_MAPPING_NAMES = ['pick', 'omit', 'rename', 'set', 'default'] as const

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
  return { ...mapping.default, ...params }
}
