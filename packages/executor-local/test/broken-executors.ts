import {
  ANY_PARAMS,
  type AnyActionDefinition,
  CancelledError,
  type CancelOptions,
  type CancelOutcome,
  type EventsOptions,
  type ExecuteOptions,
  type ExecutorProtocol,
  PluginEnvironment,
  PluginError,
  type ResultValidation,
  type RunEvent,
  type RunInfo,
  RunNotFoundError,
  type RunOutcome,
  type RunRequest,
  resolveAction,
  validateParams,
  type WaitOptions,
} from '@synapse/core'
import { LocalExecutor } from '../src/local-executor'

/**
 * Executors that each break one rule of the protocol, for proving the conformance suite fails
 * when it should. Each wraps a correct LocalExecutor and changes one behaviour, the way a real
 * executor would get it wrong.
 */
export interface BrokenExecutor {
  /** The conformance checks that must reject it. */
  breaks: readonly string[]
  /** What it does wrong, as "an executor that …". */
  does: string
  make(inner: LocalExecutor): ExecutorProtocol
}

/** Passes every call to the correct executor; each broken one overrides what it breaks. */
class Delegating implements ExecutorProtocol {
  readonly name: string = 'broken'
  readonly inner: LocalExecutor
  constructor(inner: LocalExecutor) {
    this.inner = inner
  }
  execute(request: RunRequest, options?: ExecuteOptions): Promise<unknown> {
    return this.inner.execute(request, options)
  }
  submit(request: RunRequest): Promise<string> {
    return this.inner.submit(request)
  }
  status(runId: string): Promise<RunInfo> {
    return this.inner.status(runId)
  }
  events(runId: string, options?: EventsOptions): AsyncIterable<RunEvent> {
    return this.inner.events(runId, options)
  }
  wait(runId: string, options?: WaitOptions): Promise<RunOutcome> {
    return this.inner.wait(runId, options)
  }
  cancel(runId: string, options?: CancelOptions): Promise<CancelOutcome> {
    return this.inner.cancel(runId, options)
  }
  close(): Promise<void> {
    return this.inner.close()
  }
}

/** The request with its action changed (definitions are frozen: a changed copy). */
function withAction(
  request: RunRequest,
  change: (action: AnyActionDefinition) => Partial<AnyActionDefinition>,
): RunRequest {
  const action = resolveAction(request.action)
  return { ...request, action: { ...action, ...change(action) } }
}

/** Runs the action with its result validation switched from one mode to another. */
function swapValidation(from: ResultValidation, to: ResultValidation): BrokenExecutor {
  return {
    breaks: [`result-validation-${from}`],
    does: `applies result validation '${to}' to '${from}' actions`,
    make: (inner) =>
      new (class extends Delegating {
        override submit(request: RunRequest) {
          const swapped =
            resolveAction(request.action).resultValidation === from
              ? withAction(request, () => ({ resultValidation: to }))
              : request
          return super.submit(swapped)
        }
      })(inner),
  }
}

export const brokenExecutors: readonly BrokenExecutor[] = [
  {
    breaks: ['params-validated-first'],
    does: 'records and starts the run before it rejects invalid params',
    make: (inner) =>
      new (class extends Delegating {
        override async submit(request: RunRequest) {
          try {
            validateParams(resolveAction(request.action), request.params)
          } catch (error) {
            await super.submit(withAction(request, () => ({ params: ANY_PARAMS })))
            throw error
          }
          return super.submit(request)
        }
      })(inner),
  },
  swapValidation('off', 'warn'),
  swapValidation('warn', 'off'),
  swapValidation('strict', 'warn'),
  {
    breaks: ['errors-typed'],
    does: 'hands back errors as bare PluginErrors, without class, code or cause',
    make: (inner) =>
      new (class extends Delegating {
        override async wait(runId: string, options?: WaitOptions) {
          const outcome = await super.wait(runId, options)
          return outcome.error === undefined
            ? outcome
            : { ...outcome, error: new PluginError(outcome.error.message) }
        }
        override execute(request: RunRequest, options?: ExecuteOptions) {
          return super.execute(request, options).catch((error: Error) => {
            throw new PluginError(error.message)
          })
        }
      })(inner),
  },
  {
    breaks: ['events-ordered'],
    does: 'loses an event (a gap in seq)',
    make: (inner) =>
      new (class extends Delegating {
        override async *events(runId: string, options?: EventsOptions) {
          for await (const event of super.events(runId, options)) if (event.seq !== 2) yield event
        }
      })(inner),
  },
  {
    breaks: ['events-after-seq'],
    does: 'ignores afterSeq',
    make: (inner) =>
      new (class extends Delegating {
        override events(runId: string, options: EventsOptions = {}) {
          const { afterSeq: _ignored, ...rest } = options
          return super.events(runId, rest)
        }
      })(inner),
  },
  {
    breaks: ['result-event-json'],
    does: 'puts the live result (a Date, a bigint) in the result event',
    make: (inner) =>
      new (class extends Delegating {
        override async *events(runId: string, options?: EventsOptions) {
          for await (const event of super.events(runId, options)) {
            yield event.type === 'result'
              ? { ...event, result: (await this.inner.wait(runId)).result }
              : event
          }
        }
      })(inner),
  },
  {
    breaks: ['result-not-encodable'],
    does: 'encodes results with JSON.stringify, silently dropping what has no JSON form',
    make: (inner) =>
      new (class extends Delegating {
        override submit(request: RunRequest) {
          return super.submit(
            withAction(request, (action) => ({
              run: async (params, ctx) => JSON.parse(JSON.stringify(await action.run(params, ctx))),
            })),
          )
        }
      })(inner),
  },
  {
    breaks: ['cancel-pending', 'cancel-running'],
    does: "answers 'cancelled' to cancel and does nothing",
    make: (inner) =>
      new (class extends Delegating {
        override async cancel(runId: string) {
          await super.status(runId)
          return 'cancelled' as const
        }
      })(inner),
  },
  {
    breaks: ['cancel-ignoring-signal'],
    does: 'waits far longer than its declared grace for an action ignoring its signal',
    make: () => new LocalExecutor({ cancelGraceMs: 60_000 }),
  },
  {
    breaks: ['wait-timeout'],
    does: 'cancels the run when a wait times out',
    make: (inner) =>
      new (class extends Delegating {
        override wait(runId: string, options?: WaitOptions) {
          return super.wait(runId, options).catch(async (error: PluginError) => {
            if (error.code === 'WAIT_TIMEOUT') await this.inner.cancel(runId)
            throw error
          })
        }
      })(inner),
  },
  {
    breaks: ['wait-aborted'],
    does: 'reports an aborted wait as RUN_CANCELLED (the code the run uses)',
    make: (inner) =>
      new (class extends Delegating {
        override wait(runId: string, options?: WaitOptions) {
          return super.wait(runId, options).catch((error: PluginError) => {
            throw error.code === 'WAIT_ABORTED' ? new CancelledError('Waiting was aborted') : error
          })
        }
      })(inner),
  },
  {
    breaks: ['submit-idempotent'],
    does: 'starts a new run for a resubmitted id',
    make: (inner) =>
      new (class extends Delegating {
        readonly #seen = new Set<string>()
        override submit(request: RunRequest) {
          const { runId } = request
          if (runId === undefined || !this.#seen.has(runId)) {
            if (runId !== undefined) this.#seen.add(runId)
            return super.submit(request)
          }
          return super.submit({ ...request, runId: `${runId}-again-${this.#seen.size}` })
        }
      })(inner),
  },
  {
    breaks: ['submit-conflict'],
    does: 'returns the first run for an id resubmitted with other params or another action',
    make: (inner) =>
      new (class extends Delegating {
        override submit(request: RunRequest) {
          return super.submit(request).catch((error: PluginError) => {
            if (error.code === 'RUN_CONFLICT' && request.runId !== undefined) return request.runId
            throw error
          })
        }
        override execute(request: RunRequest, options?: ExecuteOptions) {
          return super.execute(request, options).catch(async (error: PluginError) => {
            if (error.code !== 'RUN_CONFLICT' || request.runId === undefined) throw error
            return (await this.inner.wait(request.runId)).result
          })
        }
      })(inner),
  },
  {
    breaks: ['concurrent-isolated'],
    does: 'reuses the env of the first run for every run (a worker caching its env)',
    make: (inner) =>
      new (class extends Delegating {
        #env: PluginEnvironment | undefined
        override submit(request: RunRequest) {
          this.#env ??= request.env ?? new PluginEnvironment()
          return super.submit({ ...request, env: this.#env })
        }
      })(inner),
  },
  {
    breaks: ['unknown-id'],
    does: 'throws RunNotFoundError from events() at the call',
    make: (inner) =>
      new (class extends Delegating {
        readonly #known = new Set<string>()
        override async submit(request: RunRequest) {
          const runId = await super.submit(request)
          this.#known.add(runId)
          return runId
        }
        override events(runId: string, options?: EventsOptions) {
          if (!this.#known.has(runId)) throw new RunNotFoundError(runId)
          return super.events(runId, options)
        }
      })(inner),
  },
  {
    breaks: ['execute-abort-cancels'],
    does: "ignores execute's signal",
    make: (inner) =>
      new (class extends Delegating {
        override execute(request: RunRequest, options: ExecuteOptions = {}) {
          const { signal: _ignored, ...rest } = options
          return super.execute(request, rest)
        }
      })(inner),
  },
  {
    breaks: ['close'],
    does: 'treats close() as a no-op',
    make: (inner) =>
      new (class extends Delegating {
        override async close() {}
      })(inner),
  },
]
