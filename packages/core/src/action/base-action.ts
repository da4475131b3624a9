import type { z } from 'zod'
import type { RuntimeContext } from '../context/runtime-context'
import type { LogLevel, PluginCategory, RunMethod } from '../enums'
import { PluginError } from '../errors/plugin-error'
import type { Logger } from '../logging/logger'
import {
  type ActionDefinition,
  type ActionMeta,
  type AnyActionDefinition,
  createActionDefinition,
  isActionDefinition,
  type ResultValidation,
} from './action-definition'
import { ANY_PARAMS } from './define-action'

/** Brand on BaseAction and its subclasses (shared across copies of core). */
export const ACTION_CLASS: unique symbol = Symbol.for('synapse.action-class') as never

/**
 * Base class for actions written as classes. The params schema is a static member (TypeScript
 * generics are erased at run time); {@link BaseAction.with} declares it once and types `params`:
 *
 * @example
 * const TrainParams = z.object({ epochs: z.number().int().min(1).default(10) })
 *
 * export class TrainAction extends BaseAction.with({ name: 'train', params: TrainParams }) {
 *   async execute() {
 *     for (let epoch = 1; epoch <= this.params.epochs; epoch++) this.setProgress(epoch, this.params.epochs, 'train')
 *     return { epochs: this.params.epochs }
 *   }
 * }
 */
export abstract class BaseAction<TParams extends z.ZodType = z.ZodType> {
  static actionName: string | undefined
  static description: string | undefined
  static category: PluginCategory | undefined
  static method: RunMethod | undefined
  static params: z.ZodType | undefined
  static result: z.ZodType | undefined
  static inputType: string | { name: string } | undefined
  static outputType: string | { name: string } | undefined
  static resultValidation: ResultValidation | undefined

  /**
   * A base class with the action's metadata and schemas set, so subclasses get typed `params`
   * without naming the type twice.
   */
  static with<TSchema extends z.ZodType = typeof ANY_PARAMS>(
    meta: ActionMeta<TSchema, z.ZodType | undefined>,
  ) {
    abstract class Configured extends BaseAction<TSchema> {
      static override actionName = meta.name
      static override description = meta.description
      static override category = meta.category
      static override method = meta.method
      static override params: z.ZodType | undefined = meta.params
      static override result = meta.result
      static override inputType = meta.inputType
      static override outputType = meta.outputType
      static override resultValidation = meta.resultValidation
    }
    return Configured
  }

  readonly params: z.output<TParams>
  readonly ctx: RuntimeContext

  constructor(params: z.output<TParams>, ctx: RuntimeContext) {
    this.params = params
    this.ctx = ctx
  }

  /** The action's work. Its return value is the run's result. */
  abstract execute(): unknown

  /** Runs the action; override to wrap `execute` (set-up, tear-down). */
  run(): unknown {
    return this.execute()
  }

  get logger(): Logger {
    return this.ctx.logger
  }
  get signal(): AbortSignal {
    return this.ctx.signal
  }
  setProgress(current: number, total: number, category?: string): void {
    this.ctx.setProgress(current, total, category)
  }
  setMetrics(values: Record<string, unknown>, category: string): void {
    this.ctx.setMetrics(values, category)
  }
  log(event: string, data: Record<string, unknown> = {}, file?: string): void {
    this.ctx.log(event, data, file)
  }
  logMessage(message: string, level?: LogLevel): void {
    this.ctx.logMessage(message, level)
  }
  logDevEvent(message: string, data?: Record<string, unknown>): void {
    this.ctx.logDevEvent(message, data)
  }
  logMetric(
    category: string,
    key: string,
    value: unknown,
    metrics?: Record<string, unknown>,
  ): void {
    this.ctx.logMetric(category, key, value, metrics)
  }
  endLog(): void {
    this.ctx.endLog()
  }
}

// The brand lives outside the class body so declaration files never have to name the symbol;
// subclasses see it through the constructor prototype chain.
Object.defineProperty(BaseAction, ACTION_CLASS, { value: true })

/** A concrete (non-abstract) subclass of BaseAction. */
export type ActionClass = (abstract new (
  params: never,
  ctx: RuntimeContext,
) => BaseAction<z.ZodType>) &
  Pick<typeof BaseAction, 'actionName' | 'params' | 'result'>

type ActionStatics = Pick<
  typeof BaseAction,
  | 'actionName'
  | 'description'
  | 'category'
  | 'method'
  | 'params'
  | 'result'
  | 'inputType'
  | 'outputType'
  | 'resultValidation'
>

/** True for BaseAction subclasses, including ones from another copy of core. */
export function isActionClass(value: unknown): value is ActionClass {
  return typeof value === 'function' && ACTION_CLASS in value
}

/** Normalises a BaseAction subclass to the one action shape. */
export function actionFromClass(cls: ActionClass): ActionDefinition {
  const c = cls as unknown as ActionStatics &
    (new (
      params: unknown,
      ctx: RuntimeContext,
    ) => BaseAction)
  return createActionDefinition(
    {
      name: c.actionName,
      description: c.description,
      category: c.category,
      method: c.method,
      params: c.params,
      result: c.result,
      inputType: c.inputType,
      outputType: c.outputType,
      resultValidation: c.resultValidation,
    },
    ANY_PARAMS as z.ZodType,
    async (params, ctx) => new c(params, ctx).run(),
  )
}

const definitions = new WeakMap<ActionClass, ActionDefinition>()

/**
 * The definition of an action given either way: a definition as it is, a `BaseAction` class as
 * its definition (made once per class). Wherever a definition is accepted, a class is too (the
 * spec's `action_cls`).
 *
 * @example
 * await executor.execute({ action: TrainAction, params: { epochs: 2 } })
 */
export function resolveAction(action: AnyActionDefinition | ActionClass): AnyActionDefinition {
  if (isActionDefinition(action)) return action
  if (isActionClass(action)) {
    let definition = definitions.get(action)
    if (definition === undefined) {
      definition = actionFromClass(action)
      definitions.set(action, definition)
    }
    return definition
  }
  throw new PluginError('Expected an action: a defineAction() result or a BaseAction subclass', {
    code: 'INVALID_ARGUMENT',
  })
}

/** The request with its action as a definition; the same object when it already was one. */
export function resolveRequest<T extends { action: AnyActionDefinition | ActionClass }>(
  request: T,
): T & { action: AnyActionDefinition } {
  const action = resolveAction(request.action)
  return (action === request.action ? request : { ...request, action }) as T & {
    action: AnyActionDefinition
  }
}
