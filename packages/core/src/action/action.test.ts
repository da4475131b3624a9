import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { PluginEnvironment } from '../context/plugin-environment'
import { RuntimeContext } from '../context/runtime-context'
import { CancelledError, ExecutionError, ValidationError } from '../errors/errors'
import { PluginError } from '../errors/plugin-error'
import { RunLogger } from '../logging/run-logger'
import { MemorySink } from '../logging/sinks/memory-sink'
import { DataTypes } from '../types/data-type'
import { isActionDefinition, withDefaults } from './action-definition'
import { actionFromClass, BaseAction, isActionClass } from './base-action'
import { ANY_PARAMS, defineAction } from './define-action'
import { invokeAction } from './invoke-action'
import { validateParams, validateResult } from './validate'

function context(options: { signal?: AbortSignal; env?: PluginEnvironment } = {}) {
  const sink = new MemorySink()
  const logger = new RunLogger({ runId: 'run-1', sinks: [sink] })
  const ctx = new RuntimeContext({ logger, runId: 'run-1', ...options })
  return { ctx, sink, logger }
}

async function rejection(promise: Promise<unknown>): Promise<PluginError> {
  try {
    await promise
  } catch (error) {
    expect(PluginError.is(error)).toBe(true)
    return error as PluginError
  }
  throw new Error('expected a rejection')
}

function thrown(fn: () => unknown): PluginError {
  try {
    fn()
  } catch (error) {
    expect(PluginError.is(error)).toBe(true)
    return error as PluginError
  }
  throw new Error('expected a throw')
}

const TrainParams = z.object({
  epochs: z.number().int().min(1).default(10),
  lr: z.number().positive(),
  dataset: z.object({ path: z.string(), splits: z.array(z.string()).min(1) }),
})
const TrainResult = z.object({ model: z.string(), score: z.number().default(0) })

describe('defineAction', () => {
  it('normalises metadata with defaults and stays frozen', () => {
    const action = defineAction({ params: TrainParams }, () => ({}))
    expect(isActionDefinition(action)).toBe(true)
    expect(Object.isFrozen(action)).toBe(true)
    expect(action).toMatchObject({
      name: '',
      description: '',
      category: undefined,
      method: undefined,
      params: TrainParams,
      result: undefined,
      inputType: undefined,
      outputType: undefined,
      resultValidation: 'warn',
    })
  })

  it('takes data types as values or names', () => {
    const action = defineAction(
      { name: 'convert', inputType: DataTypes.DMv2Dataset, outputType: 'yolo_dataset' },
      () => ({}),
    )
    expect(action.inputType).toBe('dm_v2_dataset')
    expect(action.outputType).toBe('yolo_dataset')
    expect(action.params).toBe(ANY_PARAMS)
  })

  it('runs sync and async functions as promises; a sync throw becomes a rejection', async () => {
    const { ctx } = context()
    const sync = defineAction({ name: 's' }, () => 1)
    const asyncFn = defineAction({ name: 'a' }, async () => 2)
    const throws = defineAction({ name: 't' }, () => {
      throw new Error('sync boom')
    })
    await expect(sync.run({}, ctx)).resolves.toBe(1)
    await expect(asyncFn.run({}, ctx)).resolves.toBe(2)
    const pending = throws.run({}, ctx)
    expect(pending).toBeInstanceOf(Promise)
    await expect(pending).rejects.toThrow('sync boom')
  })

  it('types params from the schema and the return from the result schema', () => {
    const action = defineAction(
      { name: 'train', params: TrainParams, result: TrainResult },
      async (params, ctx) => {
        expectTypeOf(params).toEqualTypeOf<z.output<typeof TrainParams>>()
        expectTypeOf(params.epochs).toEqualTypeOf<number>()
        expectTypeOf(ctx).toEqualTypeOf<RuntimeContext>()
        return { model: 'm.pt' }
      },
    )
    expectTypeOf(action.params).toEqualTypeOf<typeof TrainParams>()
    expectTypeOf(action.result).toEqualTypeOf<typeof TrainResult>()
    expectTypeOf(action.run).parameter(0).toEqualTypeOf<z.output<typeof TrainParams>>()
    // @ts-expect-error the result schema requires `model`
    defineAction({ params: TrainParams, result: TrainResult }, async () => ({ score: 1 }))
    const untyped = defineAction({ name: 'x' }, (params) => {
      expectTypeOf(params).toEqualTypeOf<Record<string, unknown>>()
      return 1
    })
    expectTypeOf(untyped.result).toEqualTypeOf<undefined>()
  })
})

describe('BaseAction', () => {
  class TrainAction extends BaseAction.with({
    name: 'train',
    description: 'Trains',
    category: 'neural_net',
    method: 'job',
    params: TrainParams,
    result: TrainResult,
    inputType: DataTypes.YOLODataset,
    outputType: 'model_weights',
    resultValidation: 'strict',
  }) {
    execute() {
      expectTypeOf(this.params).toEqualTypeOf<z.output<typeof TrainParams>>()
      this.setProgress(this.params.epochs, this.params.epochs, 'train')
      this.setMetrics({ lr: this.params.lr }, 'train')
      this.log('model_saved', { epochs: this.params.epochs }, '/tmp/m.pt')
      this.logMessage('done', 'success')
      return { model: `${this.params.dataset.path}/m.pt` }
    }
  }

  it('normalises a class to the same definition shape', () => {
    expect(isActionClass(TrainAction)).toBe(true)
    expect(isActionClass(class {})).toBe(false)
    expect(isActionClass(() => {})).toBe(false)
    const action = actionFromClass(TrainAction)
    expect(isActionDefinition(action)).toBe(true)
    expect(action).toMatchObject({
      name: 'train',
      description: 'Trains',
      category: 'neural_net',
      method: 'job',
      params: TrainParams,
      result: TrainResult,
      inputType: 'yolo_dataset',
      outputType: 'model_weights',
      resultValidation: 'strict',
    })
  })

  it('runs execute with params and context; helpers go to the logger', async () => {
    const { ctx, sink } = context()
    const action = actionFromClass(TrainAction)
    const result = await action.run(
      { epochs: 2, lr: 0.1, dataset: { path: '/d', splits: ['t'] } },
      ctx,
    )
    expect(result).toEqual({ model: '/d/m.pt' })
    expect(sink.events.map((e) => e.type)).toEqual(['progress', 'metrics', 'log', 'log'])
    expect(sink.ofType('log')).toMatchObject([
      { level: 'info', event: 'model_saved', file: '/tmp/m.pt' },
      { level: 'success', event: 'message', data: { message: 'done' } },
    ])
  })

  it('a class without metadata gets empty defaults and any-object params', () => {
    class Bare extends BaseAction {
      execute() {
        return this.params
      }
    }
    const action = actionFromClass(Bare)
    expect(action).toMatchObject({
      name: '',
      params: ANY_PARAMS,
      result: undefined,
      resultValidation: 'warn',
    })
  })

  it('run() can wrap execute()', async () => {
    class Wrapped extends BaseAction.with({ name: 'w' }) {
      execute() {
        return 'inner'
      }
      override async run() {
        return `wrapped ${await this.execute()}`
      }
    }
    await expect(actionFromClass(Wrapped).run({}, context().ctx)).resolves.toBe('wrapped inner')
  })

  it('a class from another copy of core is recognised by its brand', () => {
    const foreign = Object.assign(function Foreign() {}, {
      [Symbol.for('synapse.action-class')]: true,
    })
    expect(isActionClass(foreign)).toBe(true)
  })
})

describe('withDefaults', () => {
  it('fills only what the definition leaves empty', () => {
    const named = defineAction({ name: 'mine', category: 'export', description: 'd' }, () => 1)
    const filled = withDefaults(named, {
      name: 'cfg',
      category: 'upload',
      method: 'job',
      description: 'x',
    })
    expect(filled).toMatchObject({
      name: 'mine',
      category: 'export',
      method: 'job',
      description: 'd',
    })
    expect(isActionDefinition(filled)).toBe(true)
    const empty = withDefaults(
      defineAction({}, () => 1),
      { name: 'cfg', category: 'upload' },
    )
    expect(empty).toMatchObject({ name: 'cfg', category: 'upload' })
  })
})

describe('validateParams', () => {
  const action = defineAction({ name: 'train', params: TrainParams }, () => 1)

  it('returns parsed params with defaults applied', () => {
    expect(validateParams(action, { lr: 0.1, dataset: { path: '/d', splits: ['train'] } })).toEqual(
      {
        epochs: 10,
        lr: 0.1,
        dataset: { path: '/d', splits: ['train'] },
      },
    )
  })

  it('collects every issue, each with its path', () => {
    const error = thrown(() =>
      validateParams(action, { epochs: 0, lr: 'fast', dataset: { splits: [] } }),
    ) as ValidationError
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.code).toBe('INVALID_PARAMS')
    expect(error.details['action']).toBe('train')
    expect(error.issues.map((i) => i.path).sort()).toEqual(
      [['epochs'], ['lr'], ['dataset', 'path'], ['dataset', 'splits']].sort(),
    )
    expect(error.message).toContain("Invalid params for action 'train'")
    for (const path of ['epochs', 'lr', 'dataset.path', 'dataset.splits']) {
      expect(error.message).toContain(`  - ${path}: `)
    }
  })

  it('treats missing params as {} and rejects non-objects', () => {
    const loose = defineAction({ name: 'loose' }, () => 1)
    expect(validateParams(loose, undefined)).toEqual({})
    expect(validateParams(loose, null)).toEqual({})
    expect(thrown(() => validateParams(loose, 'text')).code).toBe('INVALID_PARAMS')
    expect(thrown(() => validateParams(action, undefined)).code).toBe('INVALID_PARAMS')
  })
})

describe('validateResult', () => {
  const make = (resultValidation: 'warn' | 'strict' | 'off', result?: z.ZodType) =>
    defineAction({ name: 'act', resultValidation, ...(result && { result }) }, () => 1)

  it('without a schema returns the result as is', () => {
    const { logger, sink } = context()
    const value = { anything: [1, 2] }
    expect(validateResult(make('strict'), value, logger)).toBe(value)
    expect(sink.events).toEqual([])
  })

  it('valid: returns the parsed value with defaults', () => {
    const { logger } = context()
    expect(validateResult(make('warn', TrainResult), { model: 'm' }, logger)).toEqual({
      model: 'm',
      score: 0,
    })
  })

  it('warn: logs one warning with the issues and returns the original', () => {
    const { logger, sink } = context()
    const bad = { score: 'high' }
    expect(validateResult(make('warn', TrainResult), bad, logger)).toBe(bad)
    const warnings = sink.ofType('log')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({ level: 'warning' })
    expect(String(warnings[0]?.data['message'])).toContain("Result of action 'act' does not match")
    const issues = warnings[0]?.data['issues'] as { path: unknown[] }[]
    expect(issues.map((i) => i.path)).toEqual([['model'], ['score']])
  })

  it('warn on a finished logger does not throw', () => {
    const { logger } = context()
    logger.finish()
    const bad = { score: 'high' }
    expect(validateResult(make('warn', TrainResult), bad, logger)).toBe(bad)
  })

  it('strict: throws INVALID_RESULT with every issue', () => {
    const { logger } = context()
    const error = thrown(() => validateResult(make('strict', TrainResult), { score: 'x' }, logger))
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.code).toBe('INVALID_RESULT')
    expect((error as ValidationError).issues).toHaveLength(2)
  })

  it('off: skips the check', () => {
    const { logger, sink } = context()
    const bad = { score: 'x' }
    expect(validateResult(make('off', TrainResult), bad, logger)).toBe(bad)
    expect(sink.events).toEqual([])
  })
})

describe('invokeAction', () => {
  it('returns the validated result', async () => {
    const action = defineAction({ name: 'a', result: TrainResult }, () => ({ model: 'm' }))
    await expect(invokeAction(action, {}, context().ctx)).resolves.toEqual({ model: 'm', score: 0 })
  })

  it('wraps a thrown error in ExecutionError, keeping it as cause', async () => {
    const cause = new TypeError('bad thing')
    const action = defineAction({ name: 'boom' }, async () => {
      throw cause
    })
    const error = await rejection(invokeAction(action, {}, context().ctx))
    expect(error).toBeInstanceOf(ExecutionError)
    expect(error.code).toBe('EXECUTION_FAILED')
    expect(error.message).toBe("Action 'boom' failed: bad thing")
    expect(error.cause).toBe(cause)
    expect(error.details).toEqual({ action: 'boom' })
  })

  it('wraps sync throws and non-Error throws too', async () => {
    const sync = defineAction({ name: 'sync' }, () => {
      throw new Error('now')
    })
    expect((await rejection(invokeAction(sync, {}, context().ctx))).cause).toBeInstanceOf(Error)
    const str = defineAction({ name: 'str' }, async () => {
      throw 'a string'
    })
    const error = await rejection(invokeAction(str, {}, context().ctx))
    expect(error.message).toBe("Action 'str' failed: a string")
    expect(error.cause).toBe('a string')
  })

  it('passes an ExecutionError or PluginError from the action through unchanged in class', async () => {
    const own = new ExecutionError('my own failure')
    const action = defineAction({ name: 'own' }, async () => {
      throw own
    })
    expect(await rejection(invokeAction(action, {}, context().ctx))).toBe(own)
    const other = new PluginError('quota', { code: 'QUOTA' })
    const wrapped = await rejection(
      invokeAction(
        defineAction({ name: 'q' }, async () => Promise.reject(other)),
        {},
        context().ctx,
      ),
    )
    expect(wrapped).toBeInstanceOf(ExecutionError)
    expect(wrapped.cause).toBe(other)
  })

  it('strict result failure is an INVALID_RESULT ValidationError', async () => {
    const action = defineAction(
      { name: 'r', result: TrainResult, resultValidation: 'strict' },
      () => ({ model: 1 }) as never,
    )
    const error = await rejection(invokeAction(action, {}, context().ctx))
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.code).toBe('INVALID_RESULT')
  })

  it('does not start an action whose signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort(new Error('stop'))
    let ran = false
    const action = defineAction({ name: 'never' }, () => {
      ran = true
    })
    const error = await rejection(
      invokeAction(action, {}, context({ signal: controller.signal }).ctx),
    )
    expect(error).toBeInstanceOf(CancelledError)
    expect(error.code).toBe('RUN_CANCELLED')
    expect(ran).toBe(false)
  })

  it('an action that stops on abort comes out as CancelledError with its error as cause', async () => {
    const controller = new AbortController()
    const started = Promise.withResolvers<void>()
    const action = defineAction({ name: 'loop' }, async (_params, ctx) => {
      started.resolve()
      await new Promise((_, reject) => {
        ctx.signal.addEventListener('abort', () => reject(new Error('aborted by signal')))
      })
    })
    const pending = invokeAction(action, {}, context({ signal: controller.signal }).ctx)
    await started.promise
    controller.abort()
    const error = await rejection(pending)
    expect(error).toBeInstanceOf(CancelledError)
    expect(error.message).toBe("Action 'loop' was cancelled")
    expect((error.cause as Error).message).toBe('aborted by signal')
  })

  it('throwIfCancelled inside the action gives a CancelledError as is', async () => {
    const controller = new AbortController()
    const action = defineAction({ name: 'coop' }, async (_p, ctx) => {
      controller.abort('reason')
      ctx.throwIfCancelled()
    })
    const error = await rejection(
      invokeAction(action, {}, context({ signal: controller.signal }).ctx),
    )
    expect(error).toBeInstanceOf(CancelledError)
    expect(error.cause).toBe('reason')
  })
})

describe('RuntimeContext', () => {
  it('builds the logger and the signal lazily, once', () => {
    let loggers = 0
    let signals = 0
    const sink = new MemorySink()
    const ctx = new RuntimeContext({
      runId: 'j',
      logger: (c) => {
        loggers++
        return new RunLogger({ runId: c.runId, sinks: [sink] })
      },
      signal: () => {
        signals++
        return new AbortController().signal
      },
    })
    ctx.throwIfCancelled()
    expect([loggers, signals]).toEqual([0, 1])
    ctx.logMessage('a')
    ctx.logDevEvent('b', { x: 1 })
    expect(ctx.signal).toBe(ctx.signal)
    expect([loggers, signals]).toEqual([1, 1])
    expect(sink.ofType('log')).toMatchObject([
      { level: 'info', event: 'message', data: { message: 'a' } },
      { level: 'debug', event: 'dev_event', data: { message: 'b', x: 1 } },
    ])
  })

  it('has an empty env and a never-aborted signal by default', () => {
    const { ctx } = context()
    expect(ctx.env).toBeInstanceOf(PluginEnvironment)
    expect(ctx.env.keys()).toEqual([])
    expect(ctx.signal.aborted).toBe(false)
    expect(() => ctx.throwIfCancelled()).not.toThrow()
  })

  it('logMetric and endLog emit the spec events; endLog twice is harmless', () => {
    const { ctx, sink, logger } = context()
    ctx.logMetric('train', 'epoch', 3, { loss: 0.1 })
    ctx.endLog()
    ctx.endLog()
    expect(logger.finished).toBe(true)
    expect(sink.ofType('log')).toMatchObject([
      {
        event: 'metric',
        category: 'train',
        data: { category: 'train', key: 'epoch', value: 3, metrics: { loss: 0.1 } },
      },
      { event: 'message', data: { message: 'Plugin run is complete.' } },
    ])
  })
})
