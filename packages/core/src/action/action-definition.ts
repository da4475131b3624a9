import type { z } from 'zod'
import type { RuntimeContext } from '../context/runtime-context'
import type { PluginCategory, RunMethod } from '../enums'

/** Brand on every action definition, shared across copies of core through `Symbol.for`. */
export const ACTION_DEFINITION: unique symbol = Symbol.for('synapse.action-definition') as never

/** What to do when a result does not match the result schema. */
export type ResultValidation = 'warn' | 'strict' | 'off'

/**
 * The one shape every action takes once defined, whether written with `defineAction` or as a
 * `BaseAction` class. Executors, pipelines and discovery deal only with this.
 */
export interface ActionDefinition<
  TParams extends z.ZodType = z.ZodType,
  TResult extends z.ZodType | undefined = z.ZodType | undefined,
> {
  readonly [ACTION_DEFINITION]: true
  /** Name used to invoke it; discovery fills it from config.yaml when the code leaves it out. */
  readonly name: string
  readonly description: string
  readonly category: PluginCategory | undefined
  readonly method: RunMethod | undefined
  readonly params: TParams
  readonly result: TResult
  /** Name of the semantic input type (see `DataTypeRegistry`). */
  readonly inputType: string | undefined
  readonly outputType: string | undefined
  /** Default `warn`, as the spec says; `strict` fails the run. */
  readonly resultValidation: ResultValidation
  run(params: z.output<TParams>, ctx: RuntimeContext): Promise<unknown>
}

/** Any action definition, for code that handles actions generically. */
// biome-ignore lint/suspicious/noExplicitAny: variance escape hatch for heterogeneous collections
export type AnyActionDefinition = ActionDefinition<any, any>

/** The fields shared by both ways of writing an action. */
export interface ActionMeta<TParams extends z.ZodType, TResult extends z.ZodType | undefined> {
  name?: string | undefined
  description?: string | undefined
  category?: PluginCategory | undefined
  method?: RunMethod | undefined
  params?: TParams | undefined
  result?: TResult | undefined
  inputType?: string | { name: string } | undefined
  outputType?: string | { name: string } | undefined
  resultValidation?: ResultValidation | undefined
}

/** True for a value made by `defineAction` or `actionFromClass`, from any copy of core. */
export function isActionDefinition(value: unknown): value is AnyActionDefinition {
  return typeof value === 'object' && value !== null && ACTION_DEFINITION in value
}

/** A copy of `definition` with fields filled in where it left them empty (discovery's injection). */
export function withDefaults(
  definition: AnyActionDefinition,
  defaults: { name?: string; category?: PluginCategory; method?: RunMethod; description?: string },
): AnyActionDefinition {
  return Object.freeze({
    ...definition,
    name: definition.name || (defaults.name ?? ''),
    category: definition.category ?? defaults.category,
    method: definition.method ?? defaults.method,
    description: definition.description || (defaults.description ?? ''),
  })
}

/**
 * Builds the frozen definition both ways of writing an action end in, from their metadata and
 * a runner. Gaps get their defaults here, once.
 */
export function createActionDefinition<
  TParams extends z.ZodType,
  TResult extends z.ZodType | undefined,
>(
  meta: ActionMeta<TParams, TResult>,
  defaultParams: TParams,
  run: (params: z.output<TParams>, ctx: RuntimeContext) => Promise<unknown>,
): ActionDefinition<TParams, TResult> {
  return Object.freeze({
    [ACTION_DEFINITION]: true as const,
    name: meta.name ?? '',
    description: meta.description ?? '',
    category: meta.category,
    method: meta.method,
    params: meta.params ?? defaultParams,
    result: meta.result as TResult,
    inputType: typeName(meta.inputType),
    outputType: typeName(meta.outputType),
    resultValidation: meta.resultValidation ?? 'warn',
    run,
  })
}

/** Type names may be given as strings or as `DataType` values. */
export function typeName(type: string | { name: string } | undefined): string | undefined {
  return typeof type === 'object' ? type.name : type
}
