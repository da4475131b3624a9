import { z } from 'zod'
import type { RuntimeContext } from '../context/runtime-context'
import { type ActionDefinition, type ActionMeta, createActionDefinition } from './action-definition'

/** Params schema used when an action declares none: any object. */
export const ANY_PARAMS = z.record(z.string(), z.unknown())

type ParamsOf<TMeta> = TMeta extends { params: infer TParams extends z.ZodType }
  ? TParams
  : typeof ANY_PARAMS

type ResultOf<TMeta> = TMeta extends { result: infer TResult extends z.ZodType }
  ? TResult
  : undefined

type ReturnOf<TMeta> = TMeta extends { result: infer TResult extends z.ZodType }
  ? z.input<TResult>
  : unknown

/**
 * Defines an action from a function. Params (and the result, when a schema is given) are typed
 * from the zod schemas, and params are validated before the function runs.
 *
 * @example
 * export const greet = defineAction(
 *   { name: 'greet', params: z.object({ name: z.string() }), result: z.object({ message: z.string() }) },
 *   async ({ name }, ctx) => {
 *     ctx.logMessage(`greeting ${name}`)
 *     return { message: `Hello ${name}!` }
 *   },
 * )
 */
export function defineAction<const TMeta extends ActionMeta<z.ZodType, z.ZodType | undefined>>(
  meta: TMeta,
  fn: (
    params: z.output<ParamsOf<TMeta>>,
    ctx: RuntimeContext,
  ) => ReturnOf<TMeta> | Promise<ReturnOf<TMeta>>,
): ActionDefinition<ParamsOf<TMeta>, ResultOf<TMeta>> {
  // Promise.resolve, not an async wrapper: sync functions are allowed and this is a hot path.
  const definition = createActionDefinition(meta, ANY_PARAMS, (params, ctx) => {
    try {
      return Promise.resolve(fn(params as z.output<ParamsOf<TMeta>>, ctx))
    } catch (error) {
      return Promise.reject(error)
    }
  })
  // The schemas in `meta` are the ones the type parameters were inferred from.
  return definition as unknown as ActionDefinition<ParamsOf<TMeta>, ResultOf<TMeta>>
}
